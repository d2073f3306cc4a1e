// tests/ui/browse_test.cpp - home, browse, filters, pick a day and search-as-you-type, in each
// language, on a real SQLite store; what the cards show is checked against Catalogue itself.
#include <catch2/catch.hpp>

#include "i18n/utf8.hpp"
#include "support/test_support.hpp"
#include "ui/presenters.hpp"
#include "ui_harness.hpp"
#include "util/time.hpp"

using namespace fadaa;
using namespace fadaa::test;

namespace {

const char* kLangs[] = {"ar", "fr", "en", "zgh"};

// The titles on the cards, in order.
std::vector<std::string> cardTitles(HeadlessKiosk& k) {
    std::vector<std::string> out;
    for (size_t i = 0;; ++i) {
        const kiosk::Hit* h = k.find("browse.card." + std::to_string(i));
        if (!h) break;
        out.push_back(h->label);
    }
    return out;
}

std::vector<std::string> expectedTitles(Database& db, const kiosk::BrowseFilters& f,
                                        const std::string& lang) {
    Catalogue cat(db);
    std::vector<std::string> out;
    for (const auto& s : cat.sessions(kiosk::queryFor(f, nowUtc(), "Africa/Casablanca")))
        out.push_back(s.eventTitle.get(lang));
    return out;
}

// The first three letters of the chess event's title, as a resident would type them.
std::string chessPrefix(const std::string& lang) {
    if (lang == "ar") return "بطو";
    if (lang == "fr") return "Ope";
    if (lang == "zgh") return "ⴰⵎⵏ";
    return "Che";
}

}  // namespace

TEST_CASE("home offers the four languages in their own script and the categories", "[ui][home]") {
    SeededKiosk fx("ar");
    HeadlessKiosk& k = fx.k;
    REQUIRE(k.app().currentScreen() == "home");
    for (const auto& info : k.tr().languages()) {
        const kiosk::Hit* h = k.find("home.lang." + info.code);
        REQUIRE(h);
        CHECK(h->label == info.nativeName);
    }
    CHECK(k.find("home.category.chess")->label == "شطرنج");
    CHECK(k.find("home.today")->label == k.t("home.today"));
    k.tap("home.lang.fr");
    CHECK(k.app().language() == "fr");
    CHECK(k.find("home.category.chess")->label == "Échecs");
    CHECK(k.find("home.week")->label == k.tr().get("fr", "home.week"));
    // The page mirrors: in Arabic the first language button is at the right.
    k.tap("home.lang.ar");
    const kiosk::Hit* first = k.find("home.lang.ar");
    const kiosk::Hit* last = k.find("home.lang.zgh");
    CHECK(first->min.x > last->min.x);
    CHECK(k.rawKeysShown().empty());
}

TEST_CASE("browse, filter and search in each language", "[ui][browse]") {
    for (const char* lang : kLangs) {
        DYNAMIC_SECTION("language " << lang) {
            SeededKiosk fx(lang);
            HeadlessKiosk& k = fx.k;
            Database& db = fx.db;

            k.tap("home.all");
            REQUIRE(k.app().currentScreen() == "browse");
            kiosk::BrowseFilters f;
            std::vector<std::string> all = expectedTitles(db, f, lang);
            REQUIRE(all.size() == 4);
            CHECK(cardTitles(k) == all);
            // A card says its seats in words: the no-registration concert says so.
            CHECK(k.textShown(k.t("seats.no_registration")));

            // By category.
            k.tap("browse.category.chess");
            f.categoryId = "chess";
            CHECK(cardTitles(k) == expectedTitles(db, f, lang));
            CHECK(cardTitles(k).size() == 1);
            k.tap("browse.category.all");
            f.categoryId.clear();
            CHECK(cardTitles(k) == all);

            // By audience: teenagers get the workshop (12-17), the chess open (8+) and the
            // concert (all ages), not the reading club (50+).
            k.tap("browse.audience.teens");
            f.audience = kiosk::Audience::Teens;
            std::vector<std::string> teens = expectedTitles(db, f, lang);
            CHECK(cardTitles(k) == teens);
            CHECK(teens.size() == 3);
            CHECK(std::find(teens.begin(), teens.end(),
                            Catalogue(db).event("reading-club")->title.get(lang)) == teens.end());
            k.tap("browse.audience.all");
            f.audience = kiosk::Audience::All;

            // By day: this week, this month and a picked day, each as the catalogue answers.
            for (auto [id, filter] : {std::pair{"browse.day.today", kiosk::DayFilter::Today},
                                      std::pair{"browse.day.week", kiosk::DayFilter::Week},
                                      std::pair{"browse.day.month", kiosk::DayFilter::Month}}) {
                k.tap(id);
                f.day = filter;
                INFO(id);
                CHECK(cardTitles(k) == expectedTitles(db, f, lang));
            }
            k.tap("browse.day.pick");
            std::vector<std::string> days = k.ids("browse.day.pick.");
            REQUIRE(days.size() == 28);
            CHECK_FALSE(k.has("browse.card.0"));  // under the prompt: inert
            // The chess open is two days from now.
            Timestamp chessDay = startOfLocalDay(nowUtc() + 2 * 86400, "Africa/Casablanca");
            LocalDateTime l = toLocal(chessDay, "Africa/Casablanca");
            char key[16];
            std::snprintf(key, sizeof key, "%04d-%02d-%02d", l.year, l.month, l.day);
            k.tap(std::string("browse.day.pick.") + key);
            f.day = kiosk::DayFilter::Day;
            f.pickedDay = chessDay;
            CHECK(cardTitles(k) == expectedTitles(db, f, lang));
            CHECK(std::find(cardTitles(k).begin(), cardTitles(k).end(),
                            Catalogue(db).event("chess-open")->title.get(lang)) !=
                  cardTitles(k).end());
            k.tap("browse.day.all");
            f.day = kiosk::DayFilter::All;

            // Search narrows at each letter typed on the on-screen keyboard.
            k.tap("browse.search");
            REQUIRE(k.has("keyboard.backspace"));
            std::string typed;
            size_t previous = all.size();
            for (char32_t cp : utf8::decode(chessPrefix(lang))) {
                std::string ch;
                utf8::append(ch, cp);
                k.type(ch);
                typed += ch;
                f.search = typed;
                std::vector<std::string> expected = expectedTitles(db, f, lang);
                INFO("typed " << typed);
                // The keyboard covers part of the list: the cards in view start the list.
                std::vector<std::string> shown = cardTitles(k);
                CHECK(shown.size() >= std::min<size_t>(expected.size(), 2));
                CHECK(shown.size() <= expected.size());
                CHECK(std::equal(shown.begin(), shown.end(), expected.begin()));
                CHECK(expected.size() <= previous);
                previous = expected.size();
            }
            CHECK(previous >= 1);
            CHECK(previous < all.size());
            k.tap("keyboard.enter");  // show results: the keyboard goes away
            CHECK_FALSE(k.has("keyboard.backspace"));
            CHECK(cardTitles(k) == expectedTitles(db, f, lang));
            k.tap("browse.search.clear");
            CHECK(cardTitles(k) == all);
            CHECK(k.rawKeysShown().empty());

            // A card opens its event.
            k.tap("browse.card.0");
            CHECK(k.app().currentScreen() == "detail");
            CHECK(k.has("detail.session.0"));
            k.tap("bar.back");
            CHECK(k.app().currentScreen() == "browse");
        }
    }
}

TEST_CASE("a search with no result says so and offers to show everything", "[ui][browse]") {
    SeededKiosk fx("fr");
    HeadlessKiosk& k = fx.k;
    k.tap("home.today");
    k.tap("browse.search");
    k.type("zzq");
    CHECK(cardTitles(k).empty());
    CHECK(k.textShown(k.t("browse.empty")));
    k.tap("keyboard.enter");
    k.tap("browse.reset");
    CHECK(cardTitles(k).size() == 4);
}

TEST_CASE("demo mode seeds an empty store once, with nearly full sessions", "[ui][demo]") {
    TempDir dir;
    kiosk::KioskConfig config;
    config.assetsDir = assetsDir();
    {
        ImGuiContext* ctx = ImGui::CreateContext();
        kiosk::KioskApp app(dir / "kiosk.sqlite", config, /*demo=*/true);
        ImGui::DestroyContext(ctx);
    }
    Database db(dir / "kiosk.sqlite");
    Catalogue cat(db);
    SessionQuery all;
    all.limit = 1000;
    std::vector<SessionListing> sessions = cat.sessions(all);
    CHECK(sessions.size() > 100);
    CHECK(std::any_of(sessions.begin(), sessions.end(),
                      [](const SessionListing& s) { return s.seatsLeft && *s.seatsLeft == 0; }));
    // A second start with --demo leaves the store as it is.
    int registrations = static_cast<int>(RegistrationService(db, "t").all().size());
    {
        ImGuiContext* ctx = ImGui::CreateContext();
        kiosk::KioskApp app(dir / "kiosk.sqlite", config, /*demo=*/true);
        ImGui::DestroyContext(ctx);
    }
    CHECK(static_cast<int>(RegistrationService(db, "t").all().size()) == registrations);
    HeadlessKiosk k(dir / "kiosk.sqlite", "fr");
    k.tap("home.all");
    CHECK(k.has("browse.card.0"));
}
