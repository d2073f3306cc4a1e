// tests/ui/out_of_order_test.cpp - a failing store shows "temporarily out of order, please ask
// the staff" in every language, and the kiosk comes back by itself when the store answers.
// Faults are real: another connection breaks the schema, or a trigger refuses writes.
#include <catch2/catch.hpp>

#include "support/test_support.hpp"
#include "ui_harness.hpp"

using namespace fadaa;
using namespace fadaa::test;

TEST_CASE("a store error while browsing shows out of order, then recovers", "[ui][fault]") {
    SeededKiosk fx("fr");
    HeadlessKiosk& k = fx.k;
    Database& db = fx.db;
    k.tap("home.all");
    db.exec("ALTER TABLE category RENAME TO category_away");
    k.tap("browse.category.chess");
    REQUIRE(k.app().currentScreen() == "out_of_order");
    for (const char* lang : {"ar", "fr", "en", "zgh"}) {
        INFO(lang);
        CHECK(k.textShown(k.tr().get(lang, "outoforder.title")));
        CHECK(k.textShown(k.tr().get(lang, "outoforder.body")));
    }
    CHECK(k.app().hits().empty());  // nothing to tap
    double wake = k.app().nextWakeup(k.now());
    CHECK(wake > 0.0);
    CHECK(wake <= 5.0);

    k.idle(6.0);  // still broken: still out of order, retrying
    CHECK(k.app().currentScreen() == "out_of_order");
    db.exec("ALTER TABLE category_away RENAME TO category");
    k.idle(6.0);
    CHECK(k.app().currentScreen() == "home");
    CHECK(k.has("home.category.chess"));
}

TEST_CASE("a store error on registering shows out of order and writes nothing", "[ui][fault]") {
    SeededKiosk fx("en");
    HeadlessKiosk& k = fx.k;
    Database& db = fx.db;
    const Seeded& seeded = fx.seeded;
    k.tap("home.all");
    k.tap(k.findLabel("Youth leadership workshop")->id);
    k.tap("detail.register");
    k.type("Salma Berrada");
    k.tap("keyboard.enter");
    k.type("0612345678");
    k.tap("register.consent");
    db.exec(
        "CREATE TRIGGER refuse BEFORE INSERT ON registration BEGIN SELECT RAISE(ABORT, 'disk is "
        "failing'); END");
    k.tap("register.submit");
    CHECK(k.app().currentScreen() == "out_of_order");
    db.exec("DROP TRIGGER refuse");
    RegistrationService regs(db, "test");
    CHECK(regs.forSession(seeded.workshopSession).empty());
    k.idle(6.0);
    CHECK(k.app().currentScreen() == "home");
    CHECK_FALSE(k.textShown("Salma"));
}

TEST_CASE("a store that cannot be opened at start shows out of order, not a crash", "[ui][fault]") {
    TempDir dir;
    test::writeFile(dir / "kiosk.sqlite", "this is not a database, it is a text file\n");
    HeadlessKiosk k(dir / "kiosk.sqlite", "ar");
    CHECK(k.app().currentScreen() == "out_of_order");
    std::filesystem::remove(dir / "kiosk.sqlite");
    k.idle(6.0);
    CHECK(k.app().currentScreen() == "home");
}
