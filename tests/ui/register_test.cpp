// tests/ui/register_test.cpp - registering on the kiosk in each language: invalid input gets
// per-field messages in that language and writes nothing; then confirmed, then waitlisted when
// the seat is gone; the event's own form fields (choice, number) checked too.
#include <catch2/catch.hpp>

#include "support/test_support.hpp"
#include "ui_harness.hpp"

using namespace fadaa;
using namespace fadaa::test;

namespace {

const char* kLangs[] = {"ar", "fr", "en", "zgh"};

// A name typed in the language's own script.
std::string nameFor(const std::string& lang, int person) {
    if (lang == "ar") return person == 0 ? "أمينة العلوي" : "يوسف بناني";
    if (lang == "zgh") return person == 0 ? "ⵜⵉⵍⵍⵉ ⴰⵎⵣⵉⵖ" : "ⵢⵓⴱⴰ ⵏⴰⵙⵉⵔ";
    if (lang == "fr") return person == 0 ? "Amélie Dupré" : "Loïc Benali";
    return person == 0 ? "Amina Alaoui" : "Sam Idrissi";
}

void clearField(HeadlessKiosk& k, int count) {
    for (int i = 0; i < count; ++i) k.tap("keyboard.backspace");
}

}  // namespace

TEST_CASE("register: invalid input, confirmed, then waitlisted, in each language",
          "[ui][register]") {
    for (const char* lang : kLangs) {
        DYNAMIC_SECTION("language " << lang) {
            SeededKiosk fx(lang);
            HeadlessKiosk& k = fx.k;
            Database& db = fx.db;
            const Seeded& seeded = fx.seeded;
            RegistrationService regs(db, "test");
            const std::string title = Catalogue(db).event("leadership-workshop")->title.get(lang);

            openRegistration(k, title);
            // The name field has the keyboard; nothing typed, no consent: every problem shown.
            REQUIRE(k.has("keyboard.backspace"));
            k.tap("register.submit");
            CHECK(k.app().currentScreen() == "register");
            CHECK(k.textShown(k.t("error.name.required")));
            CHECK(k.textShown(k.t("error.phone.required")));
            CHECK(k.textShown(k.t("error.consent.required")));
            CHECK(regs.forSession(seeded.workshopSession).empty());

            // A phone that is not Moroccan.
            k.tap("register.field.name");
            k.type(nameFor(lang, 0));
            k.tap("register.field.phone");
            REQUIRE(k.has("keyboard.key.+"));  // the phone keypad
            k.type("12345");
            k.tap("register.consent");
            k.tap("register.submit");
            CHECK(k.app().currentScreen() == "register");
            CHECK(k.textShown(k.t("error.phone.invalid")));
            CHECK_FALSE(k.textShown(k.t("error.name.required")));
            CHECK(regs.forSession(seeded.workshopSession).empty());

            // Fixed: confirmed at once, the code in large type and as a QR code.
            k.tap("register.field.phone");
            clearField(k, 5);
            k.type("0612345678");
            k.tap("register.submit");
            REQUIRE(k.app().currentScreen() == "confirmation");
            CHECK(k.textShown(k.t("confirm.confirmed.title")));
            auto stored = regs.forSession(seeded.workshopSession);
            REQUIRE(stored.size() == 1);
            CHECK(stored[0].status == RegistrationStatus::Confirmed);
            CHECK(stored[0].name == nameFor(lang, 0));
            CHECK(stored[0].phone == "+212612345678");
            std::string code = stored[0].code;
            CHECK(k.textShown(code.substr(0, 3) + " " + code.substr(3, 3)));
            CHECK_FALSE(k.has("bar.back"));  // no way back into the form
            CHECK(k.rawKeysShown().empty());
            k.tap("confirmation.done");
            CHECK(k.app().currentScreen() == "home");

            // The only seat is taken: the next person joins the waiting list, told so plainly.
            k.tap("home.all");
            k.tap(k.findLabel(title)->id);
            CHECK(k.textShown(k.t("seats.full")));
            CHECK(k.find("detail.register")->label == k.t("detail.join_waitlist"));
            k.tap("detail.register");
            REQUIRE(k.app().currentScreen() == "register");
            CHECK(k.find("register.submit")->label == k.t("register.submit_waitlist"));
            k.type(nameFor(lang, 1));
            k.tap("keyboard.enter");  // next: the phone
            k.type("0698765432");
            k.tap("register.consent");
            k.tap("register.submit");
            REQUIRE(k.app().currentScreen() == "confirmation");
            CHECK(k.textShown(k.t("confirm.waitlisted.title")));
            CHECK(k.textShown(k.t("confirm.waitlisted.position", {{"position", "1"}})));
            stored = regs.forSession(seeded.workshopSession);
            REQUIRE(stored.size() == 2);
            CHECK(stored[1].status == RegistrationStatus::Waitlisted);
            CHECK(k.rawKeysShown().empty());
        }
    }
}

TEST_CASE("register: the event's own fields are asked and checked", "[ui][register]") {
    SeededKiosk fx("fr");
    HeadlessKiosk& k = fx.k;
    Database& db = fx.db;
    const Seeded& seeded = fx.seeded;
    RegistrationService regs(db, "test");
    openRegistration(k, "Open d'échecs");
    CHECK(k.has("register.choice.section.u12"));
    CHECK(k.has("register.choice.section.open"));
    k.type("Karim Tazi");
    k.tap("keyboard.enter");
    k.type("0612345678");
    k.tap("keyboard.enter");  // next: the rating, on the number pad
    REQUIRE(k.has("keyboard.key.9"));
    CHECK_FALSE(k.has("keyboard.key.+"));
    k.type("99999");
    k.tap("register.consent");
    k.tap("register.submit");
    CHECK(k.textShown(k.t("error.field.required")));      // section not chosen
    CHECK(k.textShown(k.t("error.field.out_of_range")));  // rating above 3000
    CHECK(regs.forSession(seeded.chessSession).empty());

    k.tap("register.choice.section.open");
    k.tap("register.field.rating");
    clearField(k, 5);
    k.type("1450");
    k.tap("register.submit");
    REQUIRE(k.app().currentScreen() == "confirmation");
    auto stored = regs.forSession(seeded.chessSession);
    REQUIRE(stored.size() == 1);
    CHECK(stored[0].answers.at("section") == "open");
    CHECK(stored[0].answers.at("rating") == "1450");
    CHECK(stored[0].name == "Karim Tazi");  // capitals at each word start, by itself
}

TEST_CASE("an event without registration says so instead of a Register button", "[ui][register]") {
    SeededKiosk fx("en");
    HeadlessKiosk& k = fx.k;
    k.tap("home.all");
    k.tap(k.findLabel("Andalusian music concert")->id);
    CHECK(k.app().currentScreen() == "detail");
    CHECK_FALSE(k.has("detail.register"));
    CHECK(k.textShown(k.t("detail.no_registration")));
}
