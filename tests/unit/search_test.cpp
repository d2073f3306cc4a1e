// tests/unit/search_test.cpp - search-as-you-type over a real store: each language, prefixes,
// FTS5 syntax and SQL typed as text, invalid UTF-8, keeping the index in step with writes, and
// the migration that indexes events of an older store.
#include <catch2/catch.hpp>

#include <stdexcept>

#include "catalogue/listing.hpp"
#include "catalogue/search_index.hpp"
#include "catalogue_fixture.hpp"
#include "store/migrations.hpp"

using namespace fadaa;
using namespace fadaa::test;
using Ids = std::vector<std::string>;

namespace {

// Five events in four languages, one session each on consecutive days.
struct SearchFixture : CatalogueFixture {
    SearchFixture() {
        catalogue.upsertOrganizer(
            {"club", text({{"fr", "Club d'échecs de Benguerir"}, {"ar", "نادي الشطرنج"}})});
        addEvent("malade", "play",
                 text({{"fr", "Le Malade imaginaire"},
                       {"ar", "مريض الوهم"},
                       {"en", "The Imaginary Invalid"}}));
        Event chess = addEvent(
            "chess", "chess",
            text({{"fr", "Tournoi d'échecs"}, {"en", "Chess open"}, {"ar", "دوري الشطرنج"}}));
        chess.organizerId = "club";
        chess.description = text({{"fr", "Sections par âge, arbitre fédéral."}});
        catalogue.upsertEvent(chess);
        addEvent("english", "course",
                 text({{"ar", "دروس اللغة الإنجليزية"},
                       {"fr", "Cours d'anglais"},
                       {"en", "English lessons"}}));
        addEvent("tamazight", "course",
                 text({{"zgh", "ⴰⵙⵍⵎⴷ ⵏ ⵜⵎⴰⵣⵉⵖⵜ"}, {"fr", "Atelier de tamazight"}}));
        addEvent("conference", "course",
                 text({{"fr", "Conférence : l'eau et la ville"}, {"en", "Water and the city"}}));
        addSession("malade-1", "malade", kT0 + 1 * kDay);
        addSession("chess-1", "chess", kT0 + 2 * kDay, 30, "library");
        addSession("english-1", "english", kT0 + 3 * kDay);
        addSession("tamazight-1", "tamazight", kT0 + 4 * kDay);
        addSession("conference-1", "conference", kT0 + 5 * kDay);
    }
};

const Ids kAll = {"malade-1", "chess-1", "english-1", "tamazight-1", "conference-1"};

}  // namespace

TEST_CASE("French: accents are folded on both sides, by prefix") {
    SearchFixture f;
    CHECK(f.search("theatre") == Ids{"malade-1"});  // the category's name
    CHECK(f.search("Théâtre") == Ids{"malade-1"});
    CHECK(f.search("THEA") == Ids{"malade-1"});
    CHECK(f.search("echecs") == Ids{"chess-1"});
    CHECK(f.search("ÉCH") == Ids{"chess-1"});
    CHECK(f.search("conference") == Ids{"conference-1"});
    CHECK(f.search("malade imag") == Ids{"malade-1"});
    CHECK(f.search("imag") == Ids{"malade-1"});  // "imaginaire" and "Imaginary"
}

TEST_CASE("English titles and descriptions are found, several words AND-ed") {
    SearchFixture f;
    CHECK(f.search("chess") == Ids{"chess-1"});
    CHECK(f.search("english less") == Ids{"english-1"});
    CHECK(f.search("water city") == Ids{"conference-1"});
    CHECK(f.search("water chess").empty());
    CHECK(f.search("arbitre") == Ids{"chess-1"});      // description
    CHECK(f.search("benguerir") == Ids{"chess-1"});    // organizer
    CHECK(f.search("mediatheque") == Ids{"chess-1"});  // venue
    CHECK(f.search("zebra").empty());
}

TEST_CASE("Arabic: hamza and alef forms, taa marbuta, harakat all match one another") {
    SearchFixture f;
    for (const char* typed : {"الإنجليزية", "الانجليزية", "الأنجليزيه", "الإِنْجلِيزِيَّة", "الانجـليزية",
                              "الانج", "اللغه"}) {
        INFO(typed);
        CHECK(f.search(typed) == Ids{"english-1"});
    }
    CHECK(f.search("الشطرنج") == Ids{"chess-1"});  // title and organizer
    CHECK(f.search("القاعه") == (Ids{"malade-1", "english-1", "tamazight-1", "conference-1"}));
    CHECK(f.search("مريض") == Ids{"malade-1"});
    CHECK(f.search("مسرح").empty());
    // Words are found without their article too: شطرنج for الشطرنج, لغه for اللغة.
    CHECK(f.search("شطرنج") == Ids{"chess-1"});
    CHECK(f.search("لغة") == Ids{"english-1"});
    CHECK(f.search("انجليزي") == Ids{"english-1"});
    CHECK(f.search("نجليزي").empty());  // but not from the middle of a word
}

TEST_CASE("Tifinagh is matched as written, by prefix") {
    SearchFixture f;
    CHECK(f.search("ⵜⵎⴰⵣⵉⵖⵜ") == Ids{"tamazight-1"});
    CHECK(f.search("ⴰⵙⵍ") == Ids{"tamazight-1"});
    CHECK(f.search("ⵜⴰⵎⴰⵣⵉⵖⵜ").empty());  // a different word (ta- not t-)
    CHECK(f.search("tamazight") == Ids{"tamazight-1"});
}

TEST_CASE("one-letter prefixes match, in Latin, Arabic and Tifinagh") {
    SearchFixture f;
    CHECK(f.search("w") == Ids{"conference-1"});  // water
    CHECK(f.search("z").empty());
    CHECK(f.search("ⵙ").empty());  // only inside a word, not at its start
    CHECK(f.search("ⴰ") == Ids{"tamazight-1"});
    Ids alef = f.search("ا");  // every Arabic text here has a word starting with alef
    CHECK(alef == (Ids{"malade-1", "chess-1", "english-1", "tamazight-1", "conference-1"}));
    CHECK(f.search("أ") == alef);
}

TEST_CASE("empty and punctuation-only text means no text filter") {
    SearchFixture f;
    for (const char* typed : {"", "   ", "!!!", "\"", "*", "( ) - ^ :", "« » ، ؟", "\xFF\xFE"}) {
        INFO(typed);
        CHECK(f.search(typed) == kAll);
        CHECK(searchMatchExpression(f.db, typed).empty());
    }
}

TEST_CASE("FTS5 syntax typed by a resident is plain text") {
    SearchFixture f;
    // Each of these would be an FTS5 syntax error, a column filter, a negation or an OR if
    // passed through; quoted as prefix terms they are just words.
    CHECK(f.search("\"theatre") == Ids{"malade-1"});
    CHECK(f.search("theatre\"") == Ids{"malade-1"});
    CHECK(f.search("theatre)") == Ids{"malade-1"});
    CHECK(f.search("(theatre") == Ids{"malade-1"});
    CHECK(f.search("-theatre") == Ids{"malade-1"});
    CHECK(f.search("^theatre") == Ids{"malade-1"});
    CHECK(f.search("theatre*") == Ids{"malade-1"});
    CHECK(f.search("body:theatre").empty());      // "body" is a word too, AND-ed
    CHECK(f.search("theatre OR chess").empty());  // no event has a word starting with "or"
    CHECK(f.search("chess NOT open").empty());    // nor "not"
    CHECK(f.search("NEAR(chess open)").empty());
    CHECK(f.search("chess AND open").empty());  // no word of the chess event starts "and"
    CHECK(f.search("water AND city") == Ids{"conference-1"});  // "Water and the city"
    CHECK(f.search("CHESS open") == Ids{"chess-1"});
    CHECK(searchMatchExpression(f.db, "chess OR (open") == "\"chess\"* AND \"or\"* AND \"open\"*");
}

TEST_CASE("SQL typed as search text is neither executed nor breaks the query") {
    SearchFixture f;
    for (const char* typed : {"'; DROP TABLE event; --", "' OR 1=1 --", "x') OR ('1'='1", "%", "_",
                              "\\", "theatre'--"}) {
        INFO(typed);
        CHECK_NOTHROW(f.search(typed));
    }
    CHECK(f.search(std::string("chess\0open", 10)) == Ids{"chess-1"});  // NUL separates words
    CHECK(f.search("theatre'--") == Ids{"malade-1"});
    CHECK(f.search("' OR 1=1 --").empty());  // words "or", "1", "1": nothing has them
    CHECK(f.catalogue.event("malade").has_value());
    CHECK(f.search("") == kAll);
}

TEST_CASE("invalid UTF-8 in the query is dropped, the rest still searched") {
    SearchFixture f;
    CHECK(f.search("th\xFF\xFE\x65\x61tre") == Ids{"malade-1"});
    CHECK(f.search("che\xC0\xAFss") == Ids{"chess-1"});
    CHECK(f.search("\xD8") == kAll);  // half an Arabic letter: nothing left to search
}

TEST_CASE("invalid UTF-8 in a catalogue text is refused on write, dropped when indexed") {
    SearchFixture f;
    Event bad = CatalogueFixture::makeEvent("bad", "play", text({{"fr", "Op\xFF\xC3\xA9ra"}}));
    CHECK_THROWS_AS(f.catalogue.upsertEvent(bad), std::invalid_argument);
    // A row written by other means (an older version, a raw SQL fix) is still indexed.
    f.db.prepare("INSERT INTO event(id, category_id, title) VALUES ('broken', 'play', ?)")
        .bindAll("{\"fr\": \"Op\xFF\xC3\xA9ra du soir\"}")
        .exec();
    f.addSession("broken-1", "broken", kT0 + 6 * kDay);
    CHECK(f.search("opera") == Ids{"broken-1"});
    CHECK(f.search("soir") == Ids{"broken-1"});
}

TEST_CASE("many typed words are capped, not an error") {
    SearchFixture f;
    std::string many;
    for (int i = 0; i < 100; ++i) many += "chess ";
    CHECK(searchTokens(f.db, many).size() == kMaxSearchTokens);
    CHECK(f.search(many) == Ids{"chess-1"});
}

TEST_CASE("the index follows edits of events, venues, organizers, categories and sessions") {
    SearchFixture f;
    Event malade = *f.catalogue.event("malade");
    malade.title = text({{"fr", "Le Bourgeois gentilhomme"}});
    f.catalogue.upsertEvent(malade);
    CHECK(f.search("malade").empty());
    CHECK(f.search("bourgeois") == Ids{"malade-1"});

    f.catalogue.upsertVenue({"library", text({{"fr", "Bibliothèque Ibn Khaldoun"}}), ""});
    CHECK(f.search("mediatheque").empty());
    CHECK(f.search("khaldoun") == Ids{"chess-1"});

    f.catalogue.upsertOrganizer({"club", text({{"fr", "Association des joueurs"}})});
    CHECK(f.search("benguerir").empty());
    CHECK(f.search("joueurs") == Ids{"chess-1"});

    f.catalogue.upsertCategory({"course", text({{"fr", "Formation"}}), 3});
    CHECK(f.search("formation") == (Ids{"english-1", "tamazight-1", "conference-1"}));

    // A session moved to another venue: the event is found by the new venue's name only.
    Session s = f.catalogue.sessionsOfEvent("english").at(0);
    CHECK(f.search("khaldoun") == Ids{"chess-1"});
    s.venueId = "library";
    f.catalogue.upsertSession(s);
    CHECK(f.search("khaldoun") == (Ids{"chess-1", "english-1"}));
    CHECK(f.search("القاعه") == (Ids{"malade-1", "tamazight-1", "conference-1"}));

    // A new session of an event at a venue it did not use before.
    f.addSession("chess-2", "chess", kT0 + 9 * kDay, 30, "hall");
    CHECK(f.search("grande salle") ==
          (Ids{"malade-1", "chess-1", "tamazight-1", "conference-1", "chess-2"}));
}

TEST_CASE("a search inside a rolled-back transaction leaves the index as it was") {
    SearchFixture f;
    {
        Transaction tx(f.db);
        Event opera = CatalogueFixture::makeEvent("opera", "play", text({{"fr", "Opéra"}}));
        f.catalogue.upsertEvent(opera, /*inTransaction=*/true);
        // not committed
    }
    CHECK_FALSE(f.catalogue.event("opera").has_value());
    auto& st = f.db.prepare("SELECT count(*) FROM event_search WHERE event_search MATCH 'opera'");
    REQUIRE(st.step());
    CHECK(st.getInt(0) == 0);
    st.reset();
}

TEST_CASE("every listing plan returns the same page") {
    SearchFixture f;
    for (int i = 0; i < 12; ++i)
        f.addSession("extra-" + std::to_string(i), i % 2 ? "chess" : "english", kT0 + i * 7 * kHour,
                     10);
    f.catalogue.cancelSession("extra-9");
    auto idsOf = [](const std::vector<SessionListing>& page) {
        Ids out;
        for (const auto& l : page) out.push_back(l.session.id);
        return out;
    };
    for (std::string typed : {"chess", "a", "e", "ا", "zzz", "c o"}) {
        for (int variant = 0; variant < 4; ++variant) {
            SessionQuery q;
            q.from = kT0 + 1 * kDay;
            q.limit = 5;
            q.offset = variant % 2 ? 3 : 0;
            q.includeCancelled = variant >= 2;
            if (variant == 3) q.categoryId = "course";
            TextMatch match = findMatches(f.db, typed);
            Ids walk = idsOf(listSessions(f.db, q, match, ListingPlan::WalkMatching));
            Ids fromMatches = idsOf(listSessions(f.db, q, match, ListingPlan::FromMatches));
            INFO(typed << " variant " << variant);
            CHECK(walk == fromMatches);
            CHECK(walk.size() <= 5);
            q.text = typed;
            CHECK(f.ids(q) == walk);
        }
    }
    SessionQuery q;
    q.from = kT0 + 1 * kDay;
    q.limit = 5;
    TextMatch chess = findMatches(f.db, "chess");
    CHECK(chess.events.size() == 1);
    for (ListingPlan plan : {ListingPlan::WalkMatching, ListingPlan::FromMatches}) {
        CHECK(idsOf(listSessions(f.db, q, chess, plan)) ==
              (Ids{"extra-5", "chess-1", "extra-7", "extra-11"}));
        q.includeCancelled = true;
        CHECK(idsOf(listSessions(f.db, q, chess, plan)) ==
              (Ids{"extra-5", "chess-1", "extra-7", "extra-9", "extra-11"}));
        q.includeCancelled = false;
    }
}

TEST_CASE("a store from schema version 1 is migrated and its events become searchable") {
    TempDir dir;
    {
        Database old(dir / "kiosk.sqlite", DatabaseOptions{.migrate = false});
        migrateTo(old, 1);
        REQUIRE(old.schemaVersion() == 1);
        old.exec(R"sql(
            INSERT INTO category(id, name) VALUES ('play', '{"fr":"Théâtre"}');
            INSERT INTO venue(id, name) VALUES ('hall', '{"ar":"القاعة الكبرى"}');
            INSERT INTO event(id, category_id, title) VALUES
                ('e1', 'play', '{"fr":"Le Cid","ar":"السيد"}'),
                ('e2', 'play', '{"en":"Hamlet","ar":"هاملت"}');
            INSERT INTO session(id, event_id, venue_id, starts_at, ends_at, capacity) VALUES
                ('s1', 'e1', 'hall', 1800000000, 1800003600, 10),
                ('s2', 'e2', NULL, 1800090000, 1800093600, NULL);
        )sql");
    }
    Database db(dir / "kiosk.sqlite");
    CHECK(db.schemaVersion() == currentSchemaVersion());
    Catalogue catalogue(db);
    auto found = [&](const std::string& typed) {
        SessionQuery q;
        q.from = 0;
        q.text = typed;
        Ids out;
        for (const auto& l : catalogue.sessions(q)) out.push_back(l.session.id);
        return out;
    };
    CHECK(found("cid") == Ids{"s1"});
    CHECK(found("haml") == Ids{"s2"});
    CHECK(found("القاعه") == Ids{"s1"});
    CHECK(found("theatre") == (Ids{"s1", "s2"}));
    // New writes after the migration are indexed too.
    Event e = *catalogue.event("e2");
    e.title = text({{"en", "Macbeth"}});
    catalogue.upsertEvent(e);
    CHECK(found("haml").empty());
    CHECK(found("macb") == Ids{"s2"});
}

TEST_CASE("a store at schema version 2 gets the new index, without its old rows") {
    TempDir dir;
    {
        Database old(dir / "kiosk.sqlite", DatabaseOptions{.migrate = false});
        migrateTo(old, 2);
        old.exec(R"sql(
            INSERT INTO category(id, name) VALUES ('course', '{"fr":"Cours"}');
            INSERT INTO event(id, category_id, title) VALUES
                ('sewing', 'course', '{"fr":"Couture","ar":"الخياطة"}');
            INSERT INTO session(id, event_id, starts_at, ends_at) VALUES
                ('s1', 'sewing', 1800000000, 1800003600);
            INSERT INTO event_search(event_id, body) VALUES ('sewing', 'stale words');
        )sql");
    }
    Database db(dir / "kiosk.sqlite");
    CHECK(db.schemaVersion() == currentSchemaVersion());
    Catalogue catalogue(db);
    SessionQuery q;
    q.from = 0;
    q.text = "خياطه";
    REQUIRE(catalogue.sessions(q).size() == 1);
    q.text = "stale";
    CHECK(catalogue.sessions(q).empty());
    auto& st = db.prepare("SELECT count(*) FROM event WHERE search_rowid IS NULL");
    REQUIRE(st.step());
    CHECK(st.getInt(0) == 0);
    st.reset();
}
