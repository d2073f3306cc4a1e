// tests/ui/fonts_test.cpp - the kiosk bakes only the text size shown, and bakes another one
// off the UI thread when the resident asks for it, swapping it in between frames.
#include <catch2/catch.hpp>

#include <algorithm>
#include <vector>

#include "support/test_support.hpp"
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
