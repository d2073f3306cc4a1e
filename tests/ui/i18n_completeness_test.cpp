// tests/ui/i18n_completeness_test.cpp - every UI string exists in every language, and every
// glyph those strings need (after Arabic shaping) is in the font atlas the kiosk builds.
#include <catch2/catch.hpp>

#include <fmt/format.h>

#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "i18n/bidi.hpp"
#include "i18n/translations.hpp"
#include "registration/validation.hpp"
#include "support/test_support.hpp"
#include "ui/fonts.hpp"
#include "ui/keyboard.hpp"
#include "ui_harness.hpp"

using namespace fadaa;
using namespace fadaa::kiosk;

namespace {

// A headless ImGui context with the kiosk's atlas for one text size, built as the window
// would build it.
struct AtlasFixture {
    ImGuiContext* ctx = ImGui::CreateContext();
    KioskFonts fonts;
    explicit AtlasFixture(int textSize = 1) {
        ImGui::SetCurrentContext(ctx);
        fonts.build(*ImGui::GetIO().Fonts, 1.0f, textSize);
        unsigned char* px = nullptr;
        int w = 0, h = 0;
        ImGui::GetIO().Fonts->GetTexDataAsRGBA32(&px, &w, &h);
    }
    ~AtlasFixture() { ImGui::DestroyContext(ctx); }

    // "" when every font baked for this text size (its body and heading, the small print) has
    // every glyph of the shaped text.
    std::string missing(const std::string& logical) const {
        std::string visual = toVisual(logical, paragraphDirection(logical));
        const int level = fonts.bakedLevel();
        for (const ImFont* font :
             {fonts.level(level).body, fonts.level(level).heading, fonts.level(0).body}) {
            char32_t cp = 0;
            if (!KioskFonts::hasGlyphs(font, visual, &cp))
                return fmt::format("U+{:04X} in \"{}\" (text size {})", static_cast<unsigned>(cp),
                                   logical, level);
        }
        return "";
    }
};

void collectTexts(const nlohmann::json& j, std::vector<std::string>& out) {
    if (j.is_string()) out.push_back(j.get<std::string>());
    if (j.is_object() || j.is_array())
        for (const auto& v : j) collectTexts(v, out);
}

}  // namespace

TEST_CASE("every UI key exists in every language", "[i18n]") {
    Translations tr = Translations::load(test::assetsDir() / "i18n");
    std::vector<std::string> codes;
    for (const auto& info : tr.languages()) codes.push_back(info.code);
    REQUIRE(codes == std::vector<std::string>{"ar", "fr", "en", "zgh"});
    for (const auto& code : codes) {
        INFO("language " << code);
        CHECK(tr.missingKeys(code).empty());
    }
}

TEST_CASE("every registration error key is translated in every language", "[i18n]") {
    Translations tr = Translations::load(test::assetsDir() / "i18n");
    // The service's own list, so a new key there fails here until it is translated.
    std::vector<std::string> keys(std::begin(kRegistrationMessageKeys),
                                  std::end(kRegistrationMessageKeys));
    REQUIRE(keys.size() >= 15);
    for (const char* extra : {"error.consent.required", "error.code.required"})
        keys.push_back(extra);
    for (const char* lang : {"ar", "fr", "en", "zgh"}) {
        for (const auto& key : keys) {
            INFO(lang << " " << key);
            CHECK(tr.has(lang, key));
        }
    }
}

TEST_CASE("deleting a letter and clearing the search are told apart in every language", "[i18n]") {
    Translations tr = Translations::load(test::assetsDir() / "i18n");
    for (const char* lang : {"ar", "fr", "en", "zgh"}) {
        INFO("language " << lang);
        const std::string backspace = tr.get(lang, "keyboard.backspace");
        const std::string clear = tr.get(lang, "browse.search.clear");
        CHECK(backspace != clear);
        // Not one word inside the other either ("Effacer" / "Effacer tout" would read alike).
        CHECK(clear.find(backspace) == std::string::npos);
        CHECK(backspace.find(clear) == std::string::npos);
    }
    // On screen: searching with the keyboard up, every button says something of its own.
    for (const char* lang : {"ar", "fr", "en", "zgh"}) {
        DYNAMIC_SECTION("browse with the keyboard, " << lang) {
            test::SeededKiosk fx(lang);
            test::HeadlessKiosk& k = fx.k;
            k.tap("home.all");
            k.tap("browse.search");
            k.tap(k.ids("keyboard.key.").front());
            REQUIRE(k.has("browse.search.clear"));
            REQUIRE(k.has("keyboard.backspace"));
            std::map<std::string, std::string> byLabel;
            for (const kiosk::Hit& h : k.app().hits()) {
                if (h.id.rfind("browse.card.", 0) == 0) continue;  // titles may repeat
                auto [it, fresh] = byLabel.emplace(h.label, h.id);
                INFO(h.id << " and " << it->second << " both say \"" << h.label << "\"");
                CHECK(fresh);
            }
        }
    }
}

TEST_CASE("every glyph of every UI string, keyboard key and demo text is in the atlas",
          "[i18n][fonts]") {
    std::vector<std::string> texts = Translations::load(test::assetsDir() / "i18n").allStrings();
    for (const auto& info : Translations::load(test::assetsDir() / "i18n").languages())
        texts.push_back(info.nativeName);
    KeyboardLayouts keyboards = KeyboardLayouts::load(test::assetsDir() / "keyboards");
    for (const auto& [id, layout] : keyboards.all()) {
        texts.push_back(layout.label);
        for (const auto& row : layout.rows)
            for (const auto& key : row) {
                texts.push_back(key.text);
                texts.push_back(key.shifted);
            }
    }
    // The demo catalogue: what residents will read on the cards.
    std::ifstream in(test::assetsDir() / "demo/catalogue.json");
    REQUIRE(in);
    std::stringstream buffer;
    buffer << in.rdbuf();
    collectTexts(nlohmann::json::parse(buffer.str()), texts);
    // Dates in every language, as the cards show them.
    for (const char* lang : {"ar", "fr", "en", "zgh"})
        for (int d = 0; d < 7; ++d)
            for (int m = 0; m < 12; ++m)
                texts.push_back(formatDayTime(1767225600 + d * 86400 + m * 31 * 86400, lang,
                                              "Africa/Casablanca"));

    CHECK(texts.size() > 500);
    // Each text size is baked on its own (the kiosk bakes the one the resident sees).
    for (int level = 0; level < kTextSizeLevels; ++level) {
        AtlasFixture atlas(level);
        REQUIRE(atlas.fonts.bakedLevel() == level);
        std::vector<std::string> problems;
        for (const auto& text : texts) {
            if (text.empty()) continue;
            std::string problem = atlas.missing(text);
            if (!problem.empty()) problems.push_back(problem);
        }
        INFO((problems.empty() ? std::string() : problems.front()));
        CHECK(problems.empty());

        char32_t cp = 0;
        CHECK(KioskFonts::hasGlyphs(atlas.fonts.code(), "0123456789 ABCDEFGHJKMNPQRSTVWXYZ", &cp));
    }
}

TEST_CASE("an unknown glyph is reported, not silently drawn as '?'", "[fonts]") {
    AtlasFixture atlas(1);
    char32_t cp = 0;
    // U+4E2D (a CJK ideograph) is in none of the kiosk's fonts.
    CHECK_FALSE(KioskFonts::hasGlyphs(atlas.fonts.level(1).body, "abc\xE4\xB8\xAD", &cp));
    CHECK(cp == 0x4E2D);
    // The U+FEFF FriBidi may leave after lam-alef is invisible, not missing.
    CHECK(KioskFonts::hasGlyphs(atlas.fonts.level(1).body, "\xEF\xBB\xBF"));
}

TEST_CASE("Arabic letters are drawn as tall as Latin ones", "[fonts]") {
    for (int level = 0; level < kTextSizeLevels; ++level) {
        AtlasFixture atlas(level);
        CHECK(atlas.fonts.arabicScale() >= 1.2f);
        CHECK(atlas.fonts.arabicScale() <= 1.8f);
        const ImFont* font = atlas.fonts.level(level).body;
        const ImFontGlyph* alef = font->FindGlyphNoFallback(0xFE8D);  // isolated alef
        const ImFontGlyph* l = font->FindGlyphNoFallback('l');
        REQUIRE(alef);
        REQUIRE(l);
        float ratio = (alef->Y1 - alef->Y0) / (l->Y1 - l->Y0);
        INFO("text size " << level << ": alef/l height " << ratio);
        CHECK(ratio > 0.8f);
        CHECK(ratio < 1.3f);
        // Same baseline: both end near the same y (alef sits on the line like l).
        CHECK(std::abs(alef->Y1 - l->Y1) < font->FontSize * 0.08f);
    }
}

TEST_CASE("Tifinagh letters are drawn as tall as Latin capitals", "[fonts]") {
    for (int level = 0; level < kTextSizeLevels; ++level) {
        AtlasFixture atlas(level);
        // Larger than the capitals' height (at equal em, as before, they read a size smaller
        // than Latin and Arabic text), but not a different size of text.
        CHECK(atlas.fonts.tifinaghScale() > 1.1f);
        CHECK(atlas.fonts.tifinaghScale() < 1.4f);
        for (const ImFont* font :
             {atlas.fonts.level(level).body, atlas.fonts.level(level).heading}) {
            const ImFontGlyph* yaz = font->FindGlyphNoFallback(0x2D63);  // ⵣ
            const ImFontGlyph* yas = font->FindGlyphNoFallback(0x2D59);  // ⵙ
            const ImFontGlyph* h = font->FindGlyphNoFallback('H');
            REQUIRE(yaz);
            REQUIRE(yas);
            REQUIRE(h);
            for (const ImFontGlyph* letter : {yaz, yas}) {
                float ratio = (letter->Y1 - letter->Y0) / (h->Y1 - h->Y0);
                INFO("text size " << level << ": U+" << std::hex << letter->Codepoint
                                  << " / H height " << ratio);
                CHECK(ratio > 1.1f);
                CHECK(ratio < 1.35f);
                // On the same baseline as the capitals.
                CHECK(std::abs(letter->Y1 - h->Y1) < font->FontSize * 0.06f);
            }
        }
    }
}

TEST_CASE("a missing font is a clear error naming the package", "[fonts]") {
    try {
        findFontFile("Fadaa Font That Does Not Exist", "Regular");
        FAIL("no error");
    } catch (const std::runtime_error& e) {
        CHECK_THAT(e.what(), Catch::Contains("fonts-noto-core"));
        CHECK_THAT(e.what(), Catch::Contains("Fadaa Font That Does Not Exist"));
    }
    CHECK(findFontFile("Noto Sans Tifinagh", "Regular").filename().string().find("Tifinagh") !=
          std::string::npos);
}
