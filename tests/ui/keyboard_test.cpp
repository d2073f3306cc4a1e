// tests/ui/keyboard_test.cpp - on-screen keyboard layouts as data files, and the kiosk config.
#include <catch2/catch.hpp>

#include "support/test_support.hpp"
#include "ui/keyboard.hpp"
#include "ui/kiosk_app.hpp"

using namespace fadaa;
using namespace fadaa::kiosk;

namespace {

std::vector<std::string> textKeys(const KeyboardLayout& layout) {
    std::vector<std::string> out;
    for (const auto& row : layout.rows)
        for (const auto& key : row)
            if (key.action == KeyAction::Text) out.push_back(key.text);
    return out;
}

bool hasAction(const KeyboardLayout& layout, KeyAction action) {
    for (const auto& row : layout.rows)
        for (const auto& key : row)
            if (key.action == action) return true;
    return false;
}

std::string loadError(const std::string& json) {
    test::TempDir dir;
    test::writeFile(dir / "bad.json", json);
    try {
        KeyboardLayouts::load(dir.path());
    } catch (const std::runtime_error& e) {
        return e.what();
    }
    return "";
}

}  // namespace

TEST_CASE("the shipped keyboard layouts load and cover what residents type", "[keyboard]") {
    KeyboardLayouts all = KeyboardLayouts::load(test::assetsDir() / "keyboards");
    for (const char* id : {"azerty", "arabic", "tifinagh", "phone", "number", "code"}) {
        INFO(id);
        REQUIRE(all.has(id));
        CHECK(hasAction(all.get(id), KeyAction::Backspace));
        CHECK(hasAction(all.get(id), KeyAction::Enter));
    }
    auto azerty = textKeys(all.get("azerty"));
    // AZERTY order on the first letter row, French accents present.
    CHECK(std::find(azerty.begin(), azerty.end(), "a") + 1 ==
          std::find(azerty.begin(), azerty.end(), "z"));
    for (const char* accent : {"é", "è", "à", "ç", "ô"})
        CHECK(std::find(azerty.begin(), azerty.end(), accent) != azerty.end());
    CHECK(all.get("azerty").hasShift);
    CHECK(all.get("arabic").rtl);
    auto arabic = textKeys(all.get("arabic"));
    for (const char* letter : {"ب", "ة", "ڤ", "ڭ", "أ"})  // Moroccan letters too
        CHECK(std::find(arabic.begin(), arabic.end(), letter) != arabic.end());
    CHECK(textKeys(all.get("tifinagh")).size() >= 33);
    auto phone = textKeys(all.get("phone"));
    CHECK(phone.size() == 11);  // ten digits and +
    CHECK(all.get("phone").keypad);
    // Codes are Crockford base32: no I, L, O, U to misread.
    auto code = textKeys(all.get("code"));
    CHECK(code.size() == 32);
    for (const char* ambiguous : {"I", "L", "O", "U"})
        CHECK(std::find(code.begin(), code.end(), ambiguous) == code.end());
}

TEST_CASE("a bad layout file is refused with its name and the problem", "[keyboard]") {
    CHECK_THAT(loadError("{\"id\":\"x\",\"label\":\"X\",\"rows\":[[{\"action\":\"jump\"}]]}"),
               Catch::Contains("bad.json") && Catch::Contains("unknown action"));
    CHECK_THAT(
        loadError(
            "{\"id\":\"x\",\"label\":\"X\",\"rows\":[[{\"action\":\"layout\",\"to\":\"nope\"}]]}"),
        Catch::Contains("nope"));
    CHECK_THAT(loadError("{\"id\":\"x\",\"label\":\"X\",\"rows\":[]}"), Catch::Contains("rows"));
    CHECK_THAT(loadError("{\"id\":\"x\",\"label\":\"X\",\"colour\":1,\"rows\":[[\"a\"]]}"),
               Catch::Contains("colour"));
    CHECK_THAT(loadError("{\"id\": "), Catch::Contains("malformed JSON"));
    CHECK_THAT(loadError("{\"id\":\"x\",\"label\":\"X\",\"rows\":[[\"\xC3\"]]}"),
               Catch::Contains("UTF-8"));
}

TEST_CASE("shift gives Latin capitals, accents included", "[keyboard]") {
    CHECK(latinUpper("a") == "A");
    CHECK(latinUpper("é") == "É");
    CHECK(latinUpper("ç") == "Ç");
    CHECK(latinUpper("œ") == "Œ");
    CHECK(latinUpper("ÿ") == "Ÿ");
    CHECK(latinUpper("ĺ") == "Ĺ");
    CHECK(latinUpper("1") == "1");
    CHECK(latinUpper("ب") == "ب");
}

TEST_CASE("kiosk config: settings read, bad ones named", "[config]") {
    test::TempDir dir;
    test::writeFile(
        dir / "k.toml",
        "kiosk_name = \"Médiathèque\"\nlanguages = [\"fr\", \"ar\"]\nlanguage = \"fr\"\n"
        "idle_timeout = 90\ntext_size = 2\ntheme = \"high-contrast\"\n");
    KioskConfig c = loadKioskConfig(dir / "k.toml");
    CHECK(c.kioskName == "Médiathèque");
    CHECK(c.languages == std::vector<std::string>{"fr", "ar"});
    CHECK(c.language == "fr");
    CHECK(c.idleTimeoutSeconds == 90);
    CHECK(c.textSize == 2);
    CHECK(c.highContrast);

    auto error = [&](const std::string& toml) {
        test::writeFile(dir / "bad.toml", toml);
        try {
            loadKioskConfig(dir / "bad.toml");
        } catch (const std::runtime_error& e) {
            return std::string(e.what());
        }
        return std::string();
    };
    CHECK_THAT(error("idle_timeout = 2\n"), Catch::Contains("idle_timeout"));
    CHECK_THAT(error("theme = \"dark\"\n"), Catch::Contains("theme"));
    CHECK_THAT(error("languages = [\"de\"]\n"), Catch::Contains("languages"));
    CHECK_THAT(error("language = \"zgh\"\nlanguages = [\"fr\"]\n"), Catch::Contains("language"));
    CHECK_THAT(error("colour = 3\n"), Catch::Contains("colour"));
    CHECK_THAT(error("timezone = \"Mars/Olympus\"\n"), Catch::Contains("timezone"));
    CHECK_THAT(error("kiosk_name = \n"), Catch::Contains("bad.toml"));
}
