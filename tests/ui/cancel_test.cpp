// tests/ui/cancel_test.cpp - "my registration": code + phone -> status, cancel with a confirm
// step, the first waitlisted person promoted; wrong details found nothing; in each language.
#include <catch2/catch.hpp>

#include "support/test_support.hpp"
#include "ui_harness.hpp"

using namespace fadaa;
using namespace fadaa::test;

TEST_CASE("check and cancel a registration in each language", "[ui][cancel]") {
    for (const char* lang : {"ar", "fr", "en", "zgh"}) {
        DYNAMIC_SECTION("language " << lang) {
            SeededKiosk fx(lang);
            HeadlessKiosk& k = fx.k;
            Database& db = fx.db;
            const Seeded& seeded = fx.seeded;
            RegistrationService regs(db, "test");
            RegistrationRequest first{seeded.workshopSession, "Nadia Amrani", "0611111111", {}, {}};
            RegistrationRequest second{seeded.workshopSession, "Omar Fassi", "0622222222", {}, {}};
            RegistrationOutcome a = regs.registerFor(first);
            RegistrationOutcome b = regs.registerFor(second);
            REQUIRE(a.registration.status == RegistrationStatus::Confirmed);
            REQUIRE(b.registration.status == RegistrationStatus::Waitlisted);

            k.tap("home.my_registration");
            REQUIRE(k.app().currentScreen() == "my_registration");

            // Wrong phone: nothing found, and nothing said about the code.
            k.type(a.registration.code);
            k.tap("keyboard.enter");
            k.type("0699999999");
            k.tap("keyboard.enter");
            CHECK(k.textShown(k.t("my.not_found")));
            CHECK_FALSE(k.has("my.cancel"));

            k.tap("my.field.phone");
            for (int i = 0; i < 10; ++i) k.tap("keyboard.backspace");
            k.type("0611111111");
            k.tap("keyboard.enter");
            CHECK(k.textShown(k.t("status.confirmed")));
            CHECK(k.textShown(Catalogue(db).event("leadership-workshop")->title.get(lang)));

            // Cancel asks first; keeping it changes nothing.
            k.tap("my.cancel");
            REQUIRE(k.has("my.cancel.confirm"));
            CHECK_FALSE(k.has("bar.home"));  // under the prompt: inert
            k.tap("my.cancel.keep");
            CHECK(regs.find(a.registration.code, "0611111111")->status ==
                  RegistrationStatus::Confirmed);
            k.tap("my.cancel");
            k.tap("my.cancel.confirm");
            CHECK(k.textShown(k.t("my.cancelled")));
            CHECK(regs.find(a.registration.code, "0611111111")->status ==
                  RegistrationStatus::Cancelled);
            CHECK(regs.find(b.registration.code, "0622222222")->status ==
                  RegistrationStatus::Confirmed);
            CHECK(k.rawKeysShown().empty());
            k.tap("my.done");
            CHECK(k.app().currentScreen() == "home");

            // The promoted person sees it too.
            k.tap("home.my_registration");
            k.type(b.registration.code);
            k.tap("keyboard.enter");
            k.type("0622222222");
            k.tap("keyboard.enter");
            CHECK(k.textShown(k.t("status.confirmed")));
        }
    }
}

TEST_CASE("my registration asks for both the code and the phone", "[ui][cancel]") {
    SeededKiosk fx("fr");
    HeadlessKiosk& k = fx.k;
    Database& db = fx.db;
    k.tap("home.my_registration");
    k.tap("keyboard.enter");  // next, with no code
    k.tap("keyboard.enter");  // find, with nothing typed
    CHECK(k.textShown(k.t("error.code.required")));
    // The waitlisted person sees their place.
    RegistrationService regs(db, "test");
    Seeded s{"chess-open-1", "workshop-1", "concert-1", "reading-1"};
    regs.registerFor({s.workshopSession, "Aya Saidi", "0633333333", {}, {}});
    RegistrationOutcome w =
        regs.registerFor({s.workshopSession, "Ilyas Saidi", "0644444444", {}, {}});
    REQUIRE(w.registration.status == RegistrationStatus::Waitlisted);
    k.type(w.registration.code);
    k.tap("keyboard.enter");
    k.type("0644444444");
    k.tap("keyboard.enter");
    CHECK(k.textShown(k.t("status.waitlisted_position", {{"position", "1"}})));
}
