// tests/ui/fonts_test.cpp - the kiosk bakes only the text size shown, and bakes another one
// off the UI thread when the resident asks for it, swapping it in between frames.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <vector>

#include "support/test_support.hpp"
#include "ui/fonts.hpp"
#include "ui_harness.hpp"

using namespace fadaa;

namespace {

// The pixel sizes of the fonts in the context's atlas, sorted.
std::vector<float> atlasSizes() {
    std::vector<float> sizes;
    for (const ImFont* font : ImGui::GetIO().Fonts->Fonts) sizes.push_back(font->FontSize);
    std::sort(sizes.begin(), sizes.end());
    return sizes;
}

}  // namespace

TEST_CASE("only the chosen text size is baked; another is baked when asked and swapped in",
          "[fonts]") {
    test::TempDir dir;
    test::HeadlessKiosk k(dir / "kiosk.sqlite", "fr");
    REQUIRE(k.app().textSize() == 1);
    // Size 1 (body 34, heading 44), the small print (body 28) and the code font (120): no
    // font of size 2 (42, 54), none of size 0's headings (36).
    CHECK_FALSE(k.app().fontsPending());
    CHECK(atlasSizes() == std::vector<float>{28, 34, 44, 120});
    const ImFontAtlas* first = ImGui::GetIO().Fonts;
    // The home screen's buttons are laid out with the body font's line height.
    auto buttonHeight = [&] {
        const kiosk::Hit* hit = k.find("home.today");
        REQUIRE(hit);
        return hit->max.y - hit->min.y;
    };
    const float heightAt1 = buttonHeight();

    k.tap("bar.text_size");  // waits (bounded) until the new size is swapped in
    REQUIRE(k.app().textSize() == 2);
    REQUIRE_FALSE(k.app().fontsPending());
    CHECK(ImGui::GetIO().Fonts != first);  // a new atlas, the old one freed
    CHECK(atlasSizes() == std::vector<float>{28, 42, 54, 120});
    const float heightAt2 = buttonHeight();

    k.tap("bar.text_size");
    REQUIRE(k.app().textSize() == 0);
    REQUIRE_FALSE(k.app().fontsPending());
    CHECK(atlasSizes() == std::vector<float>{28, 36, 120});
    const float heightAt0 = buttonHeight();
    INFO("home.today height at sizes 0, 1, 2: " << heightAt0 << ", " << heightAt1 << ", "
                                                << heightAt2);
    CHECK(heightAt0 < heightAt2);
    CHECK(heightAt0 <= heightAt1);
    CHECK(heightAt1 <= heightAt2);
}

namespace {

// A headless context's atlas baked (or loaded) by KioskFonts for one text size.
struct Baked {
    ImGuiContext* ctx = ImGui::CreateContext();
    kiosk::KioskFonts fonts;
    explicit Baked(int textSize) {
        ImGui::SetCurrentContext(ctx);
        fonts.build(*ImGui::GetIO().Fonts, 1.0f, textSize);
    }
    ~Baked() { ImGui::DestroyContext(ctx); }
    ImFontAtlas& atlas() const { return *ImGui::GetIO().Fonts; }
};

// Every glyph, metric and pixel of a's atlas equals b's.
void requireSameAtlas(const Baked& a, const Baked& b) {
    ImGui::SetCurrentContext(a.ctx);
    const ImFontAtlas& x = a.atlas();
    ImGui::SetCurrentContext(b.ctx);
    const ImFontAtlas& y = b.atlas();
    REQUIRE(x.TexWidth == y.TexWidth);
    REQUIRE(x.TexHeight == y.TexHeight);
    REQUIRE(x.TexPixelsAlpha8);
    REQUIRE(y.TexPixelsAlpha8);
    CHECK(std::equal(x.TexPixelsAlpha8, x.TexPixelsAlpha8 + x.TexWidth * x.TexHeight,
                     y.TexPixelsAlpha8));
    CHECK(x.TexUvWhitePixel.x == y.TexUvWhitePixel.x);
    CHECK(x.TexUvWhitePixel.y == y.TexUvWhitePixel.y);
    REQUIRE(x.Fonts.Size == y.Fonts.Size);
    for (int i = 0; i < x.Fonts.Size; ++i) {
        const ImFont& f = *x.Fonts[i];
        const ImFont& g = *y.Fonts[i];
        INFO("font " << i);
        CHECK(f.FontSize == g.FontSize);
        CHECK(f.Ascent == g.Ascent);
        CHECK(f.Descent == g.Descent);
        CHECK(f.FallbackChar == g.FallbackChar);
        CHECK(f.EllipsisChar == g.EllipsisChar);
        CHECK(f.FallbackAdvanceX == g.FallbackAdvanceX);
        REQUIRE(f.Glyphs.Size == g.Glyphs.Size);
        for (int k = 0; k < f.Glyphs.Size; ++k) {
            const ImFontGlyph& p = f.Glyphs[k];
            const ImFontGlyph* q = g.FindGlyphNoFallback(static_cast<ImWchar>(p.Codepoint));
            REQUIRE(q);
            CHECK((p.Codepoint == q->Codepoint && p.Visible == q->Visible &&
                   p.AdvanceX == q->AdvanceX && p.X0 == q->X0 && p.Y1 == q->Y1 && p.U0 == q->U0 &&
                   p.V1 == q->V1));
        }
    }
    // The roles come back too.
    CHECK(a.fonts.level(a.fonts.bakedLevel()).body->FontSize ==
          b.fonts.level(b.fonts.bakedLevel()).body->FontSize);
    CHECK(a.fonts.code()->FontSize == b.fonts.code()->FontSize);
    CHECK(b.fonts.level(0).body->FontSize == 28.0f);
}

struct CacheDir {
    test::TempDir dir;
    CacheDir() { kiosk::KioskFonts::setCacheDir(dir.path()); }
    ~CacheDir() { kiosk::KioskFonts::setCacheDir({}); }
    std::vector<std::filesystem::path> files() const {
        std::vector<std::filesystem::path> out;
        for (const auto& e : std::filesystem::directory_iterator(dir.path()))
            out.push_back(e.path());
        return out;
    }
};

}  // namespace

TEST_CASE("a baked atlas is cached on disk and loads back identical", "[fonts]") {
    CacheDir cache;
    Baked baked(2);
    REQUIRE(cache.files().size() == 1);  // written by the bake
    Baked loaded(2);                     // from the file
    requireSameAtlas(baked, loaded);
    ImGui::SetCurrentContext(loaded.ctx);
    CHECK(kiosk::KioskFonts::hasGlyphs(loaded.fonts.level(2).body,
                                       "Atelier \xEF\xBB\xB7 \xE2\xB5\xA3"));  // ﻷ ⵣ
    // Another text size is another file.
    Baked other(0);
    CHECK(cache.files().size() == 2);
}

TEST_CASE("a damaged or truncated atlas cache is ignored and baked again", "[fonts]") {
    CacheDir cache;
    Baked reference(1);
    REQUIRE(cache.files().size() == 1);
    const auto file = cache.files().front();
    const auto size = std::filesystem::file_size(file);
    SECTION("truncated") {
        std::filesystem::resize_file(file, size / 2);
    }
    SECTION("another key") {
        std::fstream f(file, std::ios::in | std::ios::out | std::ios::binary);
        f.seekp(20);
        f.put('#');
    }
    SECTION("trailing bytes") {
        std::ofstream(file, std::ios::app | std::ios::binary) << "x";
    }
    Baked again(1);  // must not throw, must not show a broken atlas
    requireSameAtlas(reference, again);
    // And the bake wrote a good file back.
    CHECK(std::filesystem::file_size(file) == size);
}
