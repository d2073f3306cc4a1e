// tests/unit/sync_pull_page_test.cpp - reading a pull page from its text (sync_pull.hpp): the
// scanner path accepts and refuses exactly what the tree-based wire readers do, and a page's
// batched writes leave the store (search index included) as record-by-record writes would; a
// first pull indexes each event once and keeps no snapshot bookkeeping it does not need.
#include <catch2/catch.hpp>

#include "pull_page_fixtures.hpp"
#include "catalogue/catalogue.hpp"
#include "catalogue/search_index.hpp"
#include "search_trace.hpp"
#include "store/database.hpp"
#include "support/test_support.hpp"
#include "sync/json_fields.hpp"
#include "sync/sync_client.hpp"
#include "sync/sync_pull.hpp"

using namespace fadaa;
using nlohmann::json;

namespace {

using test::change;
using test::count;

json page(json changes, bool hasMore = false) {
    return test::pullPage(changes, hasMore, "E.5", 7);
}

const json kCategory = {{"id", "chess"}, {"name", {{"fr", "Échecs"}, {"ar", "شطرنج"}}}};
json event(const std::string& id) {
    return {{"id", id}, {"category_id", "chess"}, {"title", {{"fr", "Open " + id}}}};
}
json venue(const std::string& id, const std::string& name) {
    return {{"id", id}, {"name", {{"fr", name}}}};
}
json session(const std::string& id, const std::string& eventId = "open",
             const std::string& venueId = "hall") {
    return {{"id", id},
            {"event_id", eventId},
            {"venue_id", venueId},
            {"starts_at", 2000000000},
            {"ends_at", 2000003600},
            {"capacity", 10},
            {"status", "scheduled"},
            {"taken", 2},
            {"leased", 1}};
}

// What a reading gave, in words, or the WireError it threw.
std::string describe(const std::function<PullPageData()>& read) {
    try {
        PullPageData p = read();
        std::string out = p.nextCursor + (p.hasMore ? " more " : " last ") +
                          std::to_string(p.serverTime.value_or(-1));
        for (const PulledChange& c : p.changes) {
            out += "\n" + c.entity + " " + c.id + (c.deleted ? " deleted" : "");
            if (c.session) {
                const Session& s = *c.session;
                out += " " + s.eventId + " " + s.venueId.value_or("-") + " " +
                       std::to_string(s.startsAt) + "-" + std::to_string(s.endsAt) + " cap " +
                       (s.capacity ? std::to_string(*s.capacity) : "-") + " reg " +
                       (s.regOpensAt ? std::to_string(*s.regOpensAt) : "-") + "/" +
                       (s.regClosesAt ? std::to_string(*s.regClosesAt) : "-") + " " +
                       std::string(toString(s.status)) + " counts " +
                       std::to_string(c.counts.taken) + "/" + std::to_string(c.counts.waitlisted) +
                       "/" + std::to_string(c.counts.leased);
            }
            if (c.event) out += " title " + c.event->title.toJson();
            if (c.category) out += " name " + c.category->name.toJson();
        }
        return out;
    } catch (const WireError& e) {
        return std::string("error ") + e.code() + ": " + e.what();
    }
}

// The text path and the tree path on the same text.
void sameAsTree(const std::string& text) {
    INFO(text);
    CHECK(describe([&] { return readPullPage(text); }) ==
          describe([&] { return readPullPageDocument(parseJson(text)); }));
}

// Every event's search entry, "id: body" a line, by id.
std::string searchEntries(Database& db) {
    std::string out;
    auto& st = db.prepare(
        "SELECT e.id, s.body FROM event e JOIN event_search s ON s.rowid = e.search_rowid "
        "ORDER BY e.id");
    while (st.step()) out += st.getText(0) + ": " + st.getText(1) + "\n";
    st.reset();
    return out;
}

}  // namespace

TEST_CASE("pull page text: records read as the tree readers read them") {
    json s2 = session("s2");
    s2.erase("venue_id");
    s2.erase("status");
    s2["capacity"] = nullptr;
    s2["reg_opens_at"] = -5;
    s2["reg_closes_at"] = 1999999999;
    s2["status"] = "cancelled";
    json changes =
        json::array({change("category", "chess", kCategory), change("event", "open", event("open")),
                     change("session", "s1", session("s1")), change("session", "s2", s2),
                     change("session", "gone", nullptr)});
    std::string text = page(changes, true).dump();
    sameAsTree(text);
    PullPageData read = readPullPage(text);
    REQUIRE(read.changes.size() == 5);
    CHECK(read.serverTime == 7);
    CHECK(read.changes[2].session->capacity == 10);
    CHECK(read.changes[2].counts.leased == 1);
    CHECK(read.changes[3].session->status == SessionStatus::Cancelled);
    CHECK_FALSE(read.changes[3].session->venueId);

    // Written another way (escapes, spaces, a repeated key): the tree's reading, not another.
    sameAsTree(
        R"({"changes":[{"entity":"session","id":"s\u0031","op":"upsert","data":{"id":"s\u0031",)"
        R"("event_id":"open","starts_at":1,"ends_at":2,"capacity":3,"capacity":4}}],)"
        R"( "next_cursor" : "E.\u0035", "has_more":false})");
    sameAsTree(R"({"has_more":true,"next_cursor":"E.1","changes":[]})");
}

TEST_CASE("pull page text: a malformed or hostile page is refused as the tree readers refuse it") {
    auto withSession = [](const std::function<void(json&)>& edit) {
        json s = session("s1");
        edit(s);
        return page(json::array({change("session", "s1", s)})).dump();
    };
    std::vector<std::string> pages = {
        withSession([](json& s) { s["capacity"] = 1000001; }),
        withSession([](json& s) { s["capacity"] = -1; }),
        withSession([](json& s) { s["starts_at"] = 1.5; }),
        withSession([](json& s) { s["ends_at"] = 1; }),
        withSession([](json& s) { s["taken"] = nullptr; }),
        withSession([](json& s) { s["waitlisted"] = -3; }),
        withSession([](json& s) { s["leased"] = 4294967296LL; }),
        withSession([](json& s) { s["id"] = "has space"; }),
        withSession([](json& s) { s["event_id"] = 5; }),
        withSession([](json& s) { s["status"] = "done"; }),
        withSession([](json& s) { s["colour"] = "red"; }),
        withSession([](json& s) { s.erase("ends_at"); }),
        withSession([](json& s) { s = json::array({s}); }),
        page(json::array(
                 {{{"entity", "session"}, {"id", "s1"}, {"op", "upsert"}, {"data", nullptr}}}))
            .dump(),
        R"({"changes":[{"entity":"session","id":"s1","op":"upsert","data":{"id":"s1",)"
        R"("event_id":"open","starts_at":1,"ends_at":99999999999999999999}}],)"
        R"("next_cursor":"E.2","has_more":false})",
        page(json::array({change("seance", "s1", session("s1"))})).dump(),
        page(json::array({{{"entity", "session"}, {"id", "s1"}, {"op", "replace"}}})).dump(),
        page(json::array({{{"entity", "session"}, {"id", "s1"}, {"op", "upsert"}}})).dump(),
        R"({"changes":{},"next_cursor":"E.2","has_more":false})",
        R"({"changes":[],"next_cursor":"E.2","has_more":"no"})",
        R"({"changes":[],"has_more":false})",
        R"({"changes":[],"next_cursor":"E.2","has_more":false,"extra":1})",
    };
    for (const std::string& text : pages) {
        INFO(text);
        CHECK(describe([&] { return readPullPage(text); }).rfind("error ", 0) == 0);
        sameAsTree(text);
    }
    // Not JSON at all: the parser's own errors.
    std::string valid = page(json::array({change("session", "s1", session("s1"))})).dump();
    CHECK(describe([&] {
              return readPullPage(valid.substr(0, valid.size() - 3));
          }).rfind("error malformed_json", 0) == 0);
    std::string badUtf8 = valid;
    badUtf8.replace(badUtf8.find("E.5"), 3, "E\xC3(");
    CHECK(describe([&] { return readPullPage(badUtf8); }).rfind("error invalid_utf8", 0) == 0);
}

TEST_CASE(
    "pull page apply: a record the store refuses leaves nothing of the page, nor its cursor") {
    test::TempDir dir;
    Database db(dir / "kiosk.sqlite");
    syncStateSet(db, "cursor", "E.1");
    json changes = json::array({change("category", "chess", kCategory),
                                change("venue", "hall", venue("hall", "Salle")),
                                change("event", "open", event("open"))});
    for (int i = 0; i < 150; ++i)
        changes.push_back(
            change("session", "s" + std::to_string(i), session("s" + std::to_string(i))));
    // The 101st session names an event nobody sent: the store's foreign key refuses it.
    changes[103]["data"]["event_id"] = "unknown";
    CHECK_THROWS_AS(applyPulledPage(db, readPullPage(page(changes).dump()), false, 1), StoreError);
    CHECK(count(db, "SELECT count(*) FROM session") == 0);
    CHECK(count(db, "SELECT count(*) FROM session_counts") == 0);
    CHECK(count(db, "SELECT count(*) FROM event") == 0);
    CHECK(syncStateGet(db, "cursor") == "E.1");
}

TEST_CASE("pull page apply: batched sessions leave the search index as a rebuild makes it") {
    test::TempDir dir;
    Database db(dir / "kiosk.sqlite");
    auto indexed = [&] { return searchEntries(db); };
    json first = json::array({change("category", "chess", kCategory),
                              change("venue", "hall", venue("hall", "Salle Ibn Battuta")),
                              change("venue", "annex", venue("annex", "Annexe Zitoun")),
                              change("event", "open", event("open")),
                              change("event", "blitz", event("blitz")),
                              change("session", "s1", session("s1", "open", "hall"))});
    applyPulledPage(db, readPullPage(page(first, true).dump()), true, 1);
    // Later pages: an event gains a venue, a session moves event and venue, one arrives twice
    // in a page (the second wins), one is deleted.
    json second = json::array({change("session", "s2", session("s2", "open", "annex")),
                               change("session", "s3", session("s3", "blitz", "hall")),
                               change("session", "s3", session("s3", "blitz", "annex")),
                               change("session", "s4", session("s4", "blitz", "hall"))});
    applyPulledPage(db, readPullPage(page(second, true).dump()), true, 2);
    json third = json::array({change("session", "s1", session("s1", "blitz", "annex")),
                              change("session", "s4", nullptr)});
    applyPulledPage(db, readPullPage(page(third).dump()), true, 3);

    CHECK(count(db, "SELECT count(*) FROM session WHERE id = 's3' AND venue_id = 'annex'") == 1);
    CHECK(count(db, "SELECT count(*) FROM session") == 3);
    CHECK(count(db, "SELECT count(*) FROM session_counts") == 3);
    std::string batched = indexed();
    CHECK(batched.find("blitz: ") != std::string::npos);
    CHECK(batched.find("zitoun") != std::string::npos);
    {
        Transaction tx(db);
        rebuildSearchIndex(db);
        tx.commit();
    }
    CHECK(batched == indexed());
}

namespace {

// The events whose sessions a search for `text` lists.
std::set<std::string> eventsFound(Database& db, const std::string& text) {
    SessionQuery q;
    q.from = 0;
    q.text = text;
    std::set<std::string> out;
    for (const SessionListing& l : Catalogue(db).sessions(q)) out.insert(l.eventId);
    return out;
}

json withoutVenue(json s) {
    s.erase("venue_id");
    return s;
}

}  // namespace

TEST_CASE("pull page apply: a first pull indexes each event once, when its sessions arrive") {
    test::TempDir dir;
    Database db(dir / "kiosk.sqlite");
    beginSnapshot(db);
    // Events come a page before their sessions, as the server sends a catalogue.
    json first = json::array(
        {change("category", "chess", kCategory),
         change("venue", "hall", venue("hall", "Salle Ibn Battuta")),
         change("event", "open", event("open")), change("event", "blitz", event("blitz")),
         change("event", "lone", event("lone")), change("event", "solo", event("solo")),
         change("session", "s1", session("s1", "open", "hall"))});
    json second = json::array({change("session", "s2", session("s2", "blitz", "hall")),
                               change("session", "s3", withoutVenue(session("s3", "blitz"))),
                               change("session", "s4", session("s4", "open", "hall"))});
    json third = json::array({change("session", "s5", withoutVenue(session("s5", "lone")))});
    auto apply = [&](const json& changes, bool more, Timestamp now) {
        return test::reindexingsDuring(
            db, [&] { applyPulledPage(db, readPullPage(page(changes, more).dump()), true, now); });
    };
    CHECK(apply(first, true, 1) == 1);   // open: the only event with a session yet
    CHECK(apply(second, true, 2) == 1);  // blitz; open's venue is not new
    CHECK(apply(third, false, 3) == 1);  // lone, by a session without a venue
    CHECK(syncStateGet(db, "snapshot") == "0");
    CHECK(count(db, "SELECT count(*) FROM sync_seen") == 0);
    CHECK(count(db, "SELECT count(*) FROM event") == 4);
    CHECK(count(db, "SELECT count(*) FROM session") == 5);
    CHECK(eventsFound(db, "ibn battuta") == std::set<std::string>{"open", "blitz"});
    CHECK(eventsFound(db, "open lone") == std::set<std::string>{"lone"});
    CHECK(eventsFound(db, "solo").empty());  // no session: nothing to list

    // A session written locally, outside a pull, gives solo its entry too.
    Session local;
    local.id = "s6";
    local.eventId = "solo";
    local.startsAt = 2000000000;
    local.endsAt = 2000003600;
    Catalogue(db).upsertSession(local);
    CHECK(eventsFound(db, "open solo") == std::set<std::string>{"solo"});

    // Every event with a session is indexed as a rebuild indexes it.
    auto indexed = [&] { return searchEntries(db); };
    std::string batched = indexed();
    {
        Transaction tx(db);
        rebuildSearchIndex(db);
        tx.commit();
    }
    CHECK(batched == indexed());
}

TEST_CASE("pull page apply: a snapshot after a first pull still removes what it did not bring") {
    test::TempDir dir;
    Database db(dir / "kiosk.sqlite");
    json all = json::array(
        {change("category", "chess", kCategory), change("venue", "hall", venue("hall", "Salle")),
         change("event", "open", event("open")), change("event", "blitz", event("blitz")),
         change("session", "s1", session("s1", "open")),
         change("session", "s2", session("s2", "blitz"))});
    beginSnapshot(db);  // an empty store: nothing to remember
    applyPulledPage(db, readPullPage(page(all).dump()), true, 1);
    CHECK(count(db, "SELECT count(*) FROM session") == 2);

    beginSnapshot(db);  // after a 410: the store holds a catalogue now
    json some = json::array(
        {change("category", "chess", kCategory), change("venue", "hall", venue("hall", "Salle")),
         change("event", "open", event("open")), change("session", "s1", session("s1", "open"))});
    applyPulledPage(db, readPullPage(page(some, true).dump()), true, 2);
    CHECK(count(db, "SELECT count(*) FROM sync_seen") == 4);
    PulledPage last = applyPulledPage(db, readPullPage(page(json::array()).dump()), true, 3);
    CHECK(last.snapshotFinished);
    CHECK(count(db, "SELECT count(*) FROM session") == 1);
    CHECK(count(db, "SELECT count(*) FROM event WHERE id = 'blitz'") == 0);
    CHECK(count(db, "SELECT count(*) FROM event_search") == 1);
}
