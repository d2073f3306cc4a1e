// tests/unit/catalogue_io_store_test.cpp - importing catalogue files into a real store (one
// transaction, all or nothing), and exports that read back to the same catalogue.
#include <catch2/catch.hpp>

#include <map>

#include "catalogue/catalogue.hpp"
#include "catalogue/catalogue_io.hpp"
#include "registration_fixture.hpp"
#include "store/database.hpp"
#include "support/test_support.hpp"
#include "util/time.hpp"

using namespace fadaa;

namespace {

constexpr Timestamp kNow = 1796119200;  // 2026-12-01T10:00:00Z

std::string fixtureText() {
    return test::readFile(test::sourceDir() / "tests/cli/data/demo_catalogue.json");
}

}  // namespace

TEST_CASE("catalogue import: every record stored, progress reported, re-import is an update") {
    test::TempDir dir;
    Database db(dir / "kiosk.sqlite");
    CatalogueFile file = parseCatalogueJson(fixtureText(), kNow);
    int calls = 0, lastDone = 0, lastTotal = 0;
    ImportSummary summary = importCatalogue(db, file, [&](int done, int total) {
        ++calls;
        CHECK(done == lastDone + 1);
        lastDone = done;
        lastTotal = total;
    });
    CHECK(summary.categories == 4);
    CHECK(summary.venues == 2);
    CHECK(summary.organizers == 1);
    CHECK(summary.events == 4);
    CHECK(summary.sessions == 7);
    CHECK(calls == 18);
    CHECK(lastDone == lastTotal);

    Catalogue catalogue(db);
    auto chess = catalogue.event("chess-open");
    REQUIRE(chess);
    CHECK(chess->form.size() == 4);
    CHECK(chess->organizerId == "club-echecs-benguerir");
    auto round1 = catalogue.session("chess-open-round1");
    REQUIRE(round1);
    CHECK(round1->session.startsAt == file.sessions[0].startsAt);
    CHECK(round1->venueName.get("en") == "Grand hall");

    importCatalogue(db, file);  // the same ids again: updated, not added
    CHECK(test::scalar(db, "SELECT count(*) FROM event") == 4);
    CHECK(test::scalar(db, "SELECT count(*) FROM session") == 7);
}

TEST_CASE("catalogue import: a reference the store lacks aborts it all, naming the place") {
    test::TempDir dir;
    Database db(dir / "kiosk.sqlite");
    std::string text = fixtureText();
    // The last session of the last event points at a venue that exists nowhere.
    auto at = text.rfind("\"venue\": \"mediatheque\"");
    REQUIRE(at != std::string::npos);
    text.replace(at, 22, "\"venue\": \"atlantis\"   ");
    CatalogueFile file = parseCatalogueJson(text, kNow);
    try {
        importCatalogue(db, file);
        FAIL("imported");
    } catch (const ImportError& e) {
        CHECK(std::string(e.what()) == "events[3].sessions[0].venue: unknown venue 'atlantis'");
    }
    for (const char* table : {"category", "venue", "organizer", "event", "session"}) {
        CAPTURE(table);
        CHECK(test::scalar(db, std::string("SELECT count(*) FROM ") + table) == 0);
    }
}

TEST_CASE("catalogue export: JSON reads back to an identical export, times exact") {
    test::TempDir dir;
    Database a(dir / "a.sqlite");
    importCatalogue(a, parseCatalogueJson(fixtureText(), kNow));
    std::string json = exportCatalogueJson(a);

    CatalogueFile again = parseCatalogueJson(json, kNow + 5 * 86400);  // a later "today"
    CatalogueFile first = parseCatalogueJson(fixtureText(), kNow);
    REQUIRE(again.sessions.size() == first.sessions.size());
    std::map<std::string, Session> exported;  // the export orders events by id
    for (const Session& s : again.sessions) exported[s.id] = s;
    for (const Session& s : first.sessions) {
        CAPTURE(s.id);
        REQUIRE(exported.count(s.id));
        const Session& e = exported[s.id];
        CHECK(e.eventId == s.eventId);
        CHECK(e.startsAt == s.startsAt);  // absolute now, whatever "today" reads it
        CHECK(e.endsAt == s.endsAt);
        CHECK(e.regClosesAt == s.regClosesAt);
        CHECK(e.status == s.status);
        CHECK(e.capacity == s.capacity);
        CHECK(e.venueId == s.venueId);
    }
    Database b(dir / "b.sqlite");
    importCatalogue(b, again);
    CHECK(exportCatalogueJson(b) == json);
    CHECK(exportCatalogueJson(b, "Europe/Paris") != json);  // same instants, other wall clock
    CHECK(parseCatalogueJson(exportCatalogueJson(b, "Europe/Paris"), kNow).sessions[0].startsAt ==
          again.sessions[0].startsAt);
}

TEST_CASE("catalogue import: a CSV row keeps what CSV cannot say about an existing event") {
    test::TempDir dir;
    Database db(dir / "kiosk.sqlite");
    importCatalogue(db, parseCatalogueJson(fixtureText(), kNow));
    std::string csv =
        "event_id,category,title_fr,title_ar,title_en,title_zgh,venue,start,end,capacity,"
        "registration_required\n"
        "chess-open,chess,Open d'échecs de printemps,,,,mediatheque,2027-03-06 15:00,"
        "2027-03-06 18:00,16,\n";
    ImportSummary s = importCatalogue(db, parseCatalogueCsv(csv, kNow));
    CHECK(s.sessions == 1);
    Catalogue catalogue(db);
    auto chess = catalogue.event("chess-open");
    REQUIRE(chess);
    CHECK(chess->title.get("fr") == "Open d'échecs de printemps");
    CHECK(chess->title.get("ar") == "دوري الشطرنج المفتوح");  // kept
    CHECK(chess->form.size() == 4);                           // kept
    CHECK(chess->description.get("en") == "Five rounds, by age section.");
    CHECK(chess->ageMin == 8);
    CHECK(catalogue.sessionsOfEvent("chess-open").size() == 3);
    auto added = catalogue.session("chess-open-20270306-1500");
    REQUIRE(added);
    CHECK(added->session.capacity == 16);
    CHECK(toLocal(added->session.startsAt, "Africa/Casablanca").hour == 15);
}
