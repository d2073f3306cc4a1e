// tests/unit/translations_test.cpp - UI strings by key with fallbacks, placeholders, bad files,
// and dates in each language's words. Fixture files are written into a TempDir (the real
// assets/i18n files belong to the kiosk screens and have their own completeness test).
#include <catch2/catch.hpp>

#include <algorithm>

#include "i18n/translations.hpp"
#include "i18n/utf8.hpp"
#include "support/test_support.hpp"

using namespace fadaa;
using test::TempDir;
using test::writeFile;

namespace {

void writeFixtures(const TempDir& dir) {
    writeFile(dir / "ar.json", R"({"home.title": "مرحبا بكم", "greet": "مرحبا {name}"})");
    writeFile(dir / "fr.json", R"({"home.title": "Bienvenue", "greet": "Bonjour {name}",
        "only.fr": "Seulement en français", "seats": "{n} places sur {total}",
        "braces": "{n} place(s) {inconnu} {", "empty.here": "Texte français"})");
    writeFile(dir / "en.json", R"({"home.title": "Welcome", "only.en": "English only",
        "seats": "{n} seats of {total}"})");
    writeFile(dir / "zgh.json",
              "\xEF\xBB\xBF"
              R"({"home.title": "ⴰⵏⵙⵓⴼ", "empty.here": ""})");  // with a BOM
}

std::string loadError(const TempDir& dir) {
    try {
        Translations::load(dir.path());
    } catch (const std::runtime_error& e) {
        return e.what();
    }
    return "(loaded without error)";
}

}  // namespace

TEST_CASE("a string comes in the asked language, else French, else English, else its key") {
    TempDir dir;
    writeFixtures(dir);
    const Translations t = Translations::load(dir.path());
    CHECK(t.get("ar", "home.title") == "مرحبا بكم");
    CHECK(t.get("zgh", "home.title") == "ⴰⵏⵙⵓⴼ");
    CHECK(t.get("ar", "only.fr") == "Seulement en français");
    CHECK(t.get("zgh", "only.en") == "English only");
    CHECK(t.get("fr", "only.en") == "English only");
    CHECK(t.get("en", "no.such.key") == "no.such.key");
    CHECK(t.get("es", "home.title") == "Bienvenue");  // a language without a file
    // An empty text is untranslated: the fallback shows, and it counts as missing.
    CHECK(t.get("zgh", "empty.here") == "Texte français");
    CHECK_FALSE(t.has("zgh", "empty.here"));
    CHECK(t.has("ar", "greet"));
    CHECK_FALSE(t.has("ar", "only.fr"));
    CHECK_FALSE(t.has("es", "home.title"));
}

TEST_CASE("placeholders are filled once and unknown ones stay visible") {
    TempDir dir;
    writeFixtures(dir);
    const Translations t = Translations::load(dir.path());
    CHECK(t.get("ar", "greet", {{"name", "سلمى"}}) == "مرحبا سلمى");
    CHECK(t.get("fr", "seats", {{"n", "3"}, {"total", "30"}}) == "3 places sur 30");
    CHECK(t.get("en", "seats", {{"n", "3"}}) == "3 seats of {total}");
    CHECK(t.get("fr", "braces", {{"n", "1"}}) == "1 place(s) {inconnu} {");
    // A value that looks like a placeholder (typed by a resident) is not expanded again.
    CHECK(t.get("fr", "greet", {{"name", "{name}"}}) == "Bonjour {name}");
    CHECK(t.get("fr", "seats", {{"n", "{total}"}, {"total", "5"}}) == "{total} places sur 5");
}

TEST_CASE("languages are listed in the kiosk's order with native names and direction") {
    TempDir dir;
    writeFixtures(dir);
    const auto langs = Translations::load(dir.path()).languages();
    REQUIRE(langs.size() == 4);
    CHECK(langs[0].code == "ar");
    CHECK(langs[0].nativeName == "العربية");
    CHECK(langs[0].rightToLeft);
    CHECK(langs[1].code == "fr");
    CHECK(langs[1].nativeName == "Français");
    CHECK(langs[2].code == "en");
    CHECK(langs[2].nativeName == "English");
    CHECK(langs[3].code == "zgh");
    CHECK(langs[3].nativeName == "ⵜⴰⵎⴰⵣⵉⵖⵜ");
    CHECK_FALSE(langs[3].rightToLeft);

    TempDir two;
    writeFile(two / "en.json", R"({"a": "A"})");
    writeFile(two / "es.json", R"({"a": "A"})");
    const auto fewer = Translations::load(two.path()).languages();
    REQUIRE(fewer.size() == 2);
    CHECK(fewer[0].code == "en");
    CHECK(fewer[1].code == "es");
    CHECK(fewer[1].nativeName == "es");
}

TEST_CASE("missing keys and all strings serve the completeness and glyph tests") {
    TempDir dir;
    writeFixtures(dir);
    const Translations t = Translations::load(dir.path());
    CHECK(t.missingKeys("zgh") ==
          std::vector<std::string>{"braces", "empty.here", "greet", "only.en", "only.fr", "seats"});
    CHECK(t.missingKeys("fr") == std::vector<std::string>{"only.en"});
    const auto all = t.allStrings();
    for (const char* text : {"مرحبا بكم", "Bienvenue", "English only", "ⴰⵏⵙⵓⴼ"})
        CHECK(std::count(all.begin(), all.end(), text) == 1);
}

TEST_CASE("a bad language file is refused with its name in the message") {
    SECTION("malformed JSON") {
        TempDir dir;
        writeFixtures(dir);
        writeFile(dir / "fr.json", R"({"home.title": "Bienvenue",)");
        const std::string error = loadError(dir);
        CHECK_THAT(error, Catch::Contains("fr.json") && Catch::Contains("malformed JSON"));
    }
    SECTION("invalid UTF-8") {
        TempDir dir;
        writeFixtures(dir);
        writeFile(dir / "ar.json", "{\"home.title\": \"\xD9\x85\xD8\"}");
        const std::string error = loadError(dir);
        CHECK_THAT(error, Catch::Contains("ar.json") && Catch::Contains("invalid UTF-8"));
    }
    SECTION("an overlong encoding is invalid UTF-8 too") {
        TempDir dir;
        writeFile(dir / "en.json", "{\"a\": \"\xC0\xAF\"}");
        CHECK_THAT(loadError(dir), Catch::Contains("en.json") && Catch::Contains("UTF-8"));
    }
    SECTION("a value that is not a text") {
        TempDir dir;
        writeFile(dir / "en.json", R"({"home": {"title": "Welcome"}})");
        CHECK_THAT(loadError(dir), Catch::Contains("en.json") && Catch::Contains("\"home\""));
    }
    SECTION("not an object") {
        TempDir dir;
        writeFile(dir / "en.json", R"(["Welcome"])");
        CHECK_THAT(loadError(dir), Catch::Contains("en.json"));
    }
    SECTION("a JSON file that is not named by a language") {
        TempDir dir;
        writeFixtures(dir);
        writeFile(dir / "French.json", R"({"a": "b"})");
        CHECK_THAT(loadError(dir), Catch::Contains("French.json"));
    }
    SECTION("no language files or no directory") {
        TempDir dir;
        writeFile(dir / "notes.txt", "not a language file");
        CHECK_THAT(loadError(dir), Catch::Contains("no language files"));
        CHECK_THROWS_AS(Translations::load(dir / "missing"), std::runtime_error);
    }
}

// 2026-12-05T17:30:00Z is a Saturday, 18:30 in Casablanca (UTC+1 outside Ramadan).
constexpr Timestamp kSaturdayEvening = 1796491800;
// 2026-12-31T23:30:00Z is already Friday 1 January 2027, 00:30, in Casablanca.
constexpr Timestamp kNewYearNight = 1798759800;
// 2027-07-14T08:05:00Z: Wednesday, 09:05 in Casablanca.
constexpr Timestamp kJulyMorning = 1815552300;

TEST_CASE("days and times are written in each language's words in the kiosk's zone") {
    const std::string_view zone = "Africa/Casablanca";
    CHECK(formatDayTime(kSaturdayEvening, "fr", zone) == "samedi 5 décembre, 18:30");
    CHECK(formatDayTime(kSaturdayEvening, "ar", zone) == "السبت 5 دجنبر، 18:30");
    CHECK(formatDayTime(kSaturdayEvening, "en", zone) == "Saturday 5 December, 18:30");
    CHECK(formatDayTime(kSaturdayEvening, "zgh", zone) == "ⴰⵙⵉⴹⵢⴰⵙ 5 ⴷⵓⵊⴰⵏⴱⵉⵔ, 18:30");
    CHECK(formatTime(kSaturdayEvening, zone) == "18:30");
    CHECK(formatTime(kSaturdayEvening, "UTC") == "17:30");

    // The local day, not the UTC one, and French's "1er".
    CHECK(formatDay(kNewYearNight, "fr", zone) == "vendredi 1er janvier");
    CHECK(formatDay(kNewYearNight, "en", zone) == "Friday 1 January");
    CHECK(formatDay(kNewYearNight, "ar", zone) == "الجمعة 1 يناير");
    CHECK(formatDay(kNewYearNight, "zgh", zone) == "ⴰⵙⵉⵎⵡⴰⵙ 1 ⵉⵏⵏⴰⵢⵔ");
    CHECK(formatDay(kNewYearNight, "fr", "UTC") == "jeudi 31 décembre");

    // Moroccan Arabic month names, not the Mashreq ones (تموز) nor يوليو.
    CHECK(formatDayTime(kJulyMorning, "ar", zone) == "الأربعاء 14 يوليوز، 09:05");
    CHECK(formatDay(kJulyMorning, "zgh", zone) == "ⴰⴽⵕⴰⵙ 14 ⵢⵓⵍⵢⵓⵣ");
    CHECK(formatDay(kJulyMorning, "es", zone) == "mercredi 14 juillet");  // French fallback
    CHECK_THROWS_AS(formatDay(kJulyMorning, "fr", "Mars/Olympus_Mons"), std::invalid_argument);
}

TEST_CASE("dates use Western digits in every language, every day of a year") {
    for (Timestamp t = kSaturdayEvening; t < kSaturdayEvening + 366 * 86400; t += 86400) {
        for (const char* lang : {"ar", "fr", "en", "zgh"}) {
            const std::string text = formatDayTime(t, lang, "Africa/Casablanca");
            REQUIRE_FALSE(utf8::firstInvalid(text).has_value());
            for (char32_t cp : utf8::decode(text)) {
                REQUIRE_FALSE((cp >= 0x0660 && cp <= 0x0669));  // Arabic-Indic digits
                REQUIRE_FALSE((cp >= 0x06F0 && cp <= 0x06F9));  // Extended Arabic-Indic
            }
        }
    }
}
