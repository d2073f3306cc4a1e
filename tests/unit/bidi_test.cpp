// tests/unit/bidi_test.cpp - Arabic shaping, bidi reordering, wrapping and the visual text cache.
//
// Expected strings are written as presentation-form code points from the Unicode tables
// (Arabic Presentation Forms-B, U+FE70-U+FEFF), in the order they must be drawn left to right.
#include <catch2/catch.hpp>

#include <cstdint>
#include <string>
#include <vector>

#include "i18n/bidi.hpp"
#include "i18n/utf8.hpp"

using namespace fadaa;

namespace {

std::string u8(std::u32string_view cps) {
    return utf8::encode(cps);
}

// Display width in the fake font: every code point is 10 units wide.
float tenPerCodePoint(std::string_view visual) {
    return 10.0f * static_cast<float>(utf8::decode(visual).size());
}

bool hasPresentationForms(std::string_view text) {
    for (char32_t cp : utf8::decode(text))
        if (cp >= 0xFE70 && cp <= 0xFEFC) return true;
    return false;
}

}  // namespace

TEST_CASE("a plain Arabic word is shaped into presentation forms in visual order") {
    // ك ت ا ب: kaf initial, teh medial, alef final, beh isolated (alef never joins leftwards);
    // drawn left to right, the last letter comes first.
    CHECK(toVisual("كتاب", TextDirection::RightToLeft) == u8(U"\uFE8F\uFE8E\uFE98\uFEDB"));
}

TEST_CASE("lam-alef becomes one ligature glyph and no U+FEFF filler is left behind") {
    // س ل ا م: seen initial, lam+alef as the final lam-alef ligature, meem isolated.
    const std::string salam = toVisual("سلام", TextDirection::RightToLeft);
    CHECK(salam == u8(U"\uFEE1\uFEFC\uFEB3"));
    CHECK(salam.find("\xEF\xBB\xBF") == std::string::npos);
    // Standalone لا: the isolated ligature.
    CHECK(toVisual("لا", TextDirection::RightToLeft) == u8(U"\uFEFB"));
    // Bidi and joining controls a font has no glyph for are gone too.
    const std::string marked = toVisual("\u200Fسلام\u200E", TextDirection::RightToLeft);
    CHECK(marked == salam);
}

TEST_CASE("Latin words and numbers inside Arabic keep their reading order") {
    // بطولة FIDE 2025: the Arabic word is read first, so it sits at the right; the Latin
    // run and the number stay readable left to right.
    const std::string tournament = u8(U"\uFE94\uFEDF\uFEEE\uFEC4\uFE91");  // بطولة, visual
    CHECK(toVisual("بطولة FIDE 2025", TextDirection::RightToLeft) == "FIDE 2025 " + tournament);
    // A time after an Arabic word: digits are not reversed into 03:81.
    const std::string at = toVisual("الساعة 18:30", TextDirection::RightToLeft);
    CHECK(at.rfind("18:30 ", 0) == 0);
    CHECK(hasPresentationForms(at));
    // Arabic inside a French sentence: the sentence reads left to right around it.
    const std::string salam = u8(U"\uFEE1\uFEFC\uFEB3");
    CHECK(toVisual("Club سلام Benguerir", TextDirection::LeftToRight) ==
          "Club " + salam + " Benguerir");
    // A number right after Arabic belongs to the Arabic run (UAX #9 rule W2), as in print.
    CHECK(toVisual("Club سلام 2", TextDirection::LeftToRight) == "Club 2 " + salam);
}

TEST_CASE("brackets in right-to-left text are mirrored so they still enclose their words") {
    // Logically "(" comes first, so it ends up at the right end of the RTL line; mirroring
    // turns it into ")" there, and the closing bracket into "(" at the left end.
    const std::string visual = toVisual("(كتاب)", TextDirection::RightToLeft);
    CHECK(visual == "(" + u8(U"\uFE8F\uFE8E\uFE98\uFEDB") + ")");
}

TEST_CASE("the base direction places neutral characters at the ends of a line") {
    CHECK(toVisual("Hello!", TextDirection::LeftToRight) == "Hello!");
    CHECK(toVisual("Hello!", TextDirection::RightToLeft) == "!Hello");
    CHECK(toVisual("", TextDirection::RightToLeft).empty());
}

TEST_CASE("Latin and Tifinagh text left to right comes back unchanged") {
    CHECK(toVisual("Théâtre: « Le Petit Prince », 18:30", TextDirection::LeftToRight) ==
          "Théâtre: « Le Petit Prince », 18:30");
    CHECK(toVisual("ⵜⴰⵎⴰⵣⵉⵖⵜ ⴰⵙⵉⴹⵢⴰⵙ", TextDirection::LeftToRight) == "ⵜⴰⵎⴰⵣⵉⵖⵜ ⴰⵙⵉⴹⵢⴰⵙ");
}

TEST_CASE("invalid UTF-8 is shown as replacement characters, never crashes") {
    CHECK(toVisual("a\xFF"
                   "b",
                   TextDirection::RightToLeft) ==
          "a\xEF\xBF\xBD"
          "b");
    CHECK(toVisual("\xD8", TextDirection::RightToLeft) == "\xEF\xBF\xBD");
}

TEST_CASE("paragraph direction follows the first strong letter") {
    CHECK(paragraphDirection("سلام Hello") == TextDirection::RightToLeft);
    CHECK(paragraphDirection("  12: سلام") == TextDirection::RightToLeft);
    CHECK(paragraphDirection("Atelier سلام") == TextDirection::LeftToRight);
    CHECK(paragraphDirection("ⵜⴰⵎⴰⵣⵉⵖⵜ") == TextDirection::LeftToRight);
    CHECK(paragraphDirection("123 !?") == TextDirection::LeftToRight);
    CHECK(paragraphDirection("") == TextDirection::LeftToRight);
    // An isolated run does not decide: U+2067 (RLI) ... U+2069 (PDI).
    CHECK(paragraphDirection("\u2067سلام\u2069 Hello") == TextDirection::LeftToRight);

    CHECK(containsRtl("Club سلام"));
    CHECK_FALSE(containsRtl("Échecs 2025 ⵜⴰⵎⴰⵣⵉⵖⵜ"));
    CHECK_FALSE(containsRtl(""));
}

TEST_CASE("wrapping breaks Latin text at spaces within the width") {
    const auto lines =
        wrapForDisplay("one two  three four", TextDirection::LeftToRight, 90, tenPerCodePoint);
    CHECK(lines == std::vector<std::string>{"one two", "three", "four"});
    for (const auto& line : lines) CHECK(tenPerCodePoint(line) <= 90);
}

TEST_CASE("wrapping Arabic happens in logical order and each line is then reordered") {
    // مرحبا(5) بكم(3) في(2) المكتبة(7), 10 units per glyph, 90 wide: the first line holds the
    // first words read, not the last ones (which a reorder-then-wrap would give).
    std::vector<std::string> measured;
    const auto measure = [&](std::string_view visual) {
        measured.emplace_back(visual);
        return tenPerCodePoint(visual);
    };
    const auto lines =
        wrapForDisplay("مرحبا بكم في المكتبة", TextDirection::RightToLeft, 90, measure);
    REQUIRE(lines.size() == 3);
    CHECK(lines[0] == toVisual("مرحبا بكم", TextDirection::RightToLeft));
    CHECK(lines[1] == toVisual("في", TextDirection::RightToLeft));
    CHECK(lines[2] == toVisual("المكتبة", TextDirection::RightToLeft));
    // The callback measured shaped text (what will be drawn), never the logical letters.
    REQUIRE_FALSE(measured.empty());
    for (const auto& m : measured) CHECK(hasPresentationForms(m));
}

TEST_CASE("wrapping measures shaped text, so a lam-alef ligature takes one glyph's width") {
    // "سلام سلام" is 9 logical letters but 7 glyphs once shaped: it fits in 70.
    const auto lines = wrapForDisplay("سلام سلام", TextDirection::RightToLeft, 70, tenPerCodePoint);
    REQUIRE(lines.size() == 1);
    CHECK(tenPerCodePoint(lines[0]) == 70);
}

TEST_CASE("a word wider than the line is split between code points") {
    CHECK(wrapForDisplay("abcdefghijkl xy", TextDirection::LeftToRight, 50, tenPerCodePoint) ==
          std::vector<std::string>{"abcde", "fghij", "kl xy"});
    // Even a single glyph wider than the line advances (one per line), never loops.
    CHECK(wrapForDisplay("ⴰⴱⵛ", TextDirection::LeftToRight, 5, tenPerCodePoint) ==
          std::vector<std::string>{"ⴰ", "ⴱ", "ⵛ"});
}

TEST_CASE("newlines start new lines and empty paragraphs stay as empty lines") {
    CHECK(wrapForDisplay("a\n\nb c\r\nd", TextDirection::LeftToRight, 1000, tenPerCodePoint) ==
          std::vector<std::string>{"a", "", "b c", "d"});
    CHECK(wrapForDisplay("", TextDirection::LeftToRight, 100, tenPerCodePoint) ==
          std::vector<std::string>{""});
}

TEST_CASE("the visual text cache answers repeated texts without reshaping") {
    VisualTextCache cache(8);
    const std::string& first = cache.get("سلام", TextDirection::RightToLeft);
    CHECK(first == toVisual("سلام", TextDirection::RightToLeft));
    const std::string& again = cache.get(std::string("سلام"), TextDirection::RightToLeft);
    CHECK(&again == &first);  // the same stored string, not a new computation
    CHECK(cache.hits() == 1);
    CHECK(cache.misses() == 1);
    // The direction is part of the key.
    CHECK(cache.get("Hello!", TextDirection::RightToLeft) == "!Hello");
    CHECK(cache.get("Hello!", TextDirection::LeftToRight) == "Hello!");
    CHECK(cache.size() == 3);
    CHECK(cache.misses() == 3);
}

TEST_CASE("the visual text cache evicts the least recently used text") {
    VisualTextCache cache(2);
    cache.get("a", TextDirection::LeftToRight);
    cache.get("b", TextDirection::LeftToRight);
    cache.get("a", TextDirection::LeftToRight);  // a is now the most recent
    cache.get("c", TextDirection::LeftToRight);  // evicts b
    CHECK(cache.size() == 2);
    const size_t missesBefore = cache.misses();
    cache.get("a", TextDirection::LeftToRight);
    CHECK(cache.misses() == missesBefore);
    cache.get("b", TextDirection::LeftToRight);
    CHECK(cache.misses() == missesBefore + 1);
    CHECK(cache.size() == 2);

    cache.clear();
    CHECK(cache.size() == 0);
    CHECK(cache.hits() == 0);
    // A cache of capacity 0 still returns a usable string.
    VisualTextCache tiny(0);
    CHECK(tiny.get("كتاب", TextDirection::RightToLeft) == u8(U"\uFE8F\uFE8E\uFE98\uFEDB"));
    CHECK(tiny.size() == 1);
}

TEST_CASE("any input, even broken, gives valid UTF-8 lines that fit the width") {
    // Deterministic mix of Arabic, Latin, digits, brackets, controls, spaces and stray bytes.
    const std::vector<std::string> pieces = {
        "ل",      "ا",      "م", "ب",    "ة",    "ڭ",        "\u064E", "a",      "Z",
        "é",      "7",      "٣", "(",    "]",    " ",        "  ",     "\u200F", "\u202B",
        "\u2069", "\uFEFF", "ⵜ", "\xFF", "\xD8", "\xE2\x80", "\t",     "\n"};
    std::uint32_t seed = 12345;
    const auto next = [&] { return seed = seed * 1664525u + 1013904223u; };
    for (int i = 0; i < 500; ++i) {
        std::string text;
        const int length = static_cast<int>(next() % 40);
        for (int j = 0; j < length; ++j) text += pieces[(next() >> 8) % pieces.size()];
        INFO(text);
        for (const auto base : {TextDirection::LeftToRight, TextDirection::RightToLeft}) {
            const std::string visual = toVisual(text, base);
            REQUIRE_FALSE(utf8::firstInvalid(visual).has_value());
            REQUIRE(visual.find("\xEF\xBB\xBF") == std::string::npos);
            for (const auto& line : wrapForDisplay(text, base, 60, tenPerCodePoint)) {
                REQUIRE_FALSE(utf8::firstInvalid(line).has_value());
                REQUIRE((tenPerCodePoint(line) <= 60 || utf8::decode(line).size() == 1));
            }
        }
    }
}
