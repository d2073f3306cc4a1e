// tests/ui/idle_test.cpp - "still there?" after the idle timeout, then everything typed cleared
// and home in the kiosk's language; and render-on-demand timing (nextWakeup).
#include <catch2/catch.hpp>

#include <cmath>

#include "support/test_support.hpp"
#include "ui_harness.hpp"

using namespace fadaa;
using namespace fadaa::test;

TEST_CASE("idle: prompt, continue, then reset clears everything typed", "[ui][idle]") {
    for (const char* lang : {"ar", "fr", "en", "zgh"}) {
        DYNAMIC_SECTION("language " << lang) {
            kiosk::KioskConfig config;
            config.idleTimeoutSeconds = 45;
            SeededKiosk fx("ar", config);
            HeadlessKiosk& k = fx.k;
            const std::string workshop =
                Catalogue(fx.db).event("leadership-workshop")->title.get(lang);
            // Nothing to time at home in the kiosk's own language: no frames asked for.
            CHECK(std::isinf(k.app().nextWakeup(k.now())));

            k.tap(std::string("home.lang.") + lang);
            k.tap("bar.text_size");
            openRegistration(k, workshop);
            k.type("Rania");
            CHECK(k.textShown("Rania"));
            double wake = k.app().nextWakeup(k.now());
            CHECK(wake > 40.0);
            CHECK(wake <= 45.0);

            k.idle(44.0);
            CHECK_FALSE(k.has("idle.continue"));
            k.idle(2.0);
            REQUIRE(k.has("idle.continue"));
            CHECK(k.textShown(k.t("idle.title")));
            CHECK_FALSE(k.has("register.submit"));  // the form is inert under the prompt
            CHECK_FALSE(k.textShown("Rania"));      // and shows nothing typed to a passer-by
            // The countdown ticks each second.
            CHECK(k.app().nextWakeup(k.now()) <= 1.0);
            k.tap("idle.continue");
            CHECK_FALSE(k.has("idle.continue"));
            CHECK(k.app().currentScreen() == "register");
            CHECK(k.textShown("Rania"));

            k.idle(46.0);
            REQUIRE(k.has("idle.continue"));
            k.idle(21.0);
            CHECK_FALSE(k.has("idle.continue"));
            CHECK(k.app().currentScreen() == "home");
            CHECK(k.app().language() == "ar");
            CHECK(k.app().textSize() == 1);
            CHECK(std::isinf(k.app().nextWakeup(k.now())));

            // Nothing of Rania is left: the form comes back empty.
            k.tap(std::string("home.lang.") + lang);
            openRegistration(k, workshop);
            CHECK_FALSE(k.textShown("Rania"));
        }
    }
}

TEST_CASE("idle: start over at once from the prompt", "[ui][idle]") {
    SeededKiosk fx("fr");
    HeadlessKiosk& k = fx.k;
    k.tap("home.my_registration");
    k.type("7K3");
    k.idle(61.0);
    REQUIRE(k.has("idle.start_over"));
    k.tap("idle.start_over");
    CHECK(k.app().currentScreen() == "home");
    k.tap("home.my_registration");
    CHECK_FALSE(k.textShown("7K3"));
}

TEST_CASE("the sync state shows on the bar, and a change wakes the window", "[ui][sync]") {
    SeededKiosk fx("fr");
    HeadlessKiosk& k = fx.k;
    Database& db = fx.db;
    int wakes = 0;
    k.app().setWakeupCallback([&] { ++wakes; });
    CHECK_FALSE(k.textShown(k.t("sync.offline")));  // not enrolled: nothing shown
    k.app().setSyncIndicator({true, false, 3});
    CHECK(wakes == 1);
    k.frame();
    CHECK(k.textShown(k.t("sync.waiting", {{"state", k.t("sync.offline")}, {"n", "3"}})));
    k.app().setSyncIndicator({true, false, 3});
    CHECK(wakes == 1);  // no change, no frame
    k.app().setSyncIndicator({true, true, 0});
    k.frame();
    CHECK(wakes == 2);
    CHECK(k.textShown(k.t("sync.online")));
    // Data that changed behind the screens is re-read on the next frame.
    k.tap("home.all");
    REQUIRE(k.findLabel("Concert de musique andalouse"));
    Catalogue(db).cancelSession("concert-1");
    k.frame();
    CHECK(k.findLabel("Concert de musique andalouse"));  // no query per frame
    k.app().notifyDataChanged();
    CHECK(wakes == 3);
    k.frame();
    CHECK_FALSE(k.findLabel("Concert de musique andalouse"));
}
