// tests/ui/privacy_test.cpp - what a resident typed (registration code, phone, name) leaves the
// screen once it has served: after a cancellation's result, on Done, Home, Back and at the idle
// reset; the next resident finds every field empty.
#include <catch2/catch.hpp>

#include "support/test_support.hpp"
#include "ui_harness.hpp"

using namespace fadaa;
using namespace fadaa::test;

namespace {

// True when any text drawn in the last frame contains one of `secrets` (a text box draws its
// value through the recorded texts, so a filled field counts).
bool showsAny(const HeadlessKiosk& k, const std::vector<std::string>& secrets) {
    for (const std::string& s : secrets)
        if (k.textShown(s)) return true;
    return false;
}

// A registration for the workshop made through the service (as at another kiosk); its code.
std::string registered(SeededKiosk& fx, const std::string& name, const std::string& phone) {
    RegistrationService regs(fx.db, "test");
    RegistrationOutcome r = regs.registerFor({fx.seeded.workshopSession, name, phone, {}, {}});
    REQUIRE(r.ok);
    return r.registration.code;
}

// Home -> My registration -> code, phone -> Find: the registration on screen.
void lookUp(HeadlessKiosk& k, const std::string& code, const std::string& phone) {
    k.tap("home.my_registration");
    k.type(code);
    k.tap("keyboard.enter");
    k.type(phone);
    REQUIRE(showsAny(k, {code}));
    REQUIRE(showsAny(k, {phone}));
    k.tap("keyboard.enter");
    REQUIRE(k.has("my.cancel"));
}

// Leaves the screen as a resident would: "done", "home", "back", or walking away ("idle":
// the prompt, during which nothing typed shows either, then the reset). Ends at home.
void leave(HeadlessKiosk& k, const std::string& way, const std::vector<std::string>& secrets) {
    if (way == "done") {
        k.tap("my.done");
    } else if (way == "home") {
        k.tap("bar.home");
    } else if (way == "back") {
        k.tap("bar.back");
    } else {
        k.idle(31.0);
        REQUIRE(k.has("idle.continue"));
        CHECK_FALSE(showsAny(k, secrets));
        k.idle(21.0);
    }
    REQUIRE(k.app().currentScreen() == "home");
}

}  // namespace

TEST_CASE("after a cancellation the code and phone leave the screen, whatever comes next",
          "[ui][privacy][cancel]") {
    const char* const ways[] = {"done", "home", "back", "idle"};
    for (const char* lang : {"ar", "fr", "en", "zgh"}) {
        for (const char* way : ways) {
            DYNAMIC_SECTION("language " << lang << ", then " << way) {
                kiosk::KioskConfig config;
                config.language = lang;
                config.idleTimeoutSeconds = 30;
                SeededKiosk fx(lang, config);
                HeadlessKiosk& k = fx.k;
                const std::string phone = "0655443322";
                const std::string code = registered(fx, "Salma Idrissi", phone);

                lookUp(k, code, phone);
                k.tap("my.cancel");
                k.tap("my.cancel.confirm");
                REQUIRE(k.textShown(k.t("my.cancelled")));
                // The result is what stays; what was typed is gone from it already.
                CHECK_FALSE(showsAny(k, {code, phone}));
                CHECK(RegistrationService(fx.db, "test").find(code, phone)->status ==
                      RegistrationStatus::Cancelled);

                leave(k, way, {code, phone});
                CHECK(k.app().currentScreen() == "home");
                CHECK_FALSE(showsAny(k, {code, phone}));

                // The next resident opens the same screen: empty fields, no old result.
                k.tap("home.my_registration");
                CHECK(k.app().currentScreen() == "my_registration");
                CHECK_FALSE(showsAny(k, {code, phone}));
                CHECK_FALSE(k.textShown(k.t("my.cancelled")));
                CHECK(k.textShown(k.t("my.help")));
            }
        }
    }
}

TEST_CASE("a registration found but left is cleared by Back, Home and the idle reset",
          "[ui][privacy]") {
    for (const char* way : {"home", "back", "idle"}) {
        DYNAMIC_SECTION("then " << way) {
            kiosk::KioskConfig config;
            config.language = "fr";
            config.idleTimeoutSeconds = 30;
            SeededKiosk fx("fr", config);
            HeadlessKiosk& k = fx.k;
            const std::string phone = "0677889900";
            const std::string code = registered(fx, "Youssef Alami", phone);
            lookUp(k, code, phone);
            REQUIRE(k.textShown(k.t("status.confirmed")));
            leave(k, way, {code, phone});
            k.tap("home.my_registration");
            CHECK_FALSE(showsAny(k, {code, phone}));
            CHECK_FALSE(k.textShown(k.t("status.confirmed")));
        }
    }
}

TEST_CASE("a registration form left with Back comes back empty", "[ui][privacy][register]") {
    for (const char* lang : {"ar", "fr", "en", "zgh"}) {
        DYNAMIC_SECTION("language " << lang) {
            SeededKiosk fx(lang);
            HeadlessKiosk& k = fx.k;
            const std::string workshop =
                Catalogue(fx.db).event("leadership-workshop")->title.get(lang);
            openRegistration(k, workshop);
            k.type("Karim");
            k.tap("keyboard.enter");
            k.type("0612121212");
            REQUIRE(showsAny(k, {"Karim", "0612121212"}));
            k.tap("bar.back");
            CHECK(k.app().currentScreen() == "detail");
            CHECK_FALSE(showsAny(k, {"Karim", "0612121212"}));
            // The session chosen before is still chosen (the detail is rebuilt on Back).
            REQUIRE(k.has("detail.session.0"));
            k.tap("detail.register");
            REQUIRE(k.app().currentScreen() == "register");
            CHECK_FALSE(showsAny(k, {"Karim", "0612121212"}));
        }
    }
}
