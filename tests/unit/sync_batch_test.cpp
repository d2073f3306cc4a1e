// tests/unit/sync_batch_test.cpp - the sync's bulk paths against their one-at-a-time
// references: the strict JSON scanner, a push request assembled from stored payload text
// (nextPushBatch) against opToWire, registration states written as text against nlohmann, and
// a pulled page's search re-indexing done once per event against re-indexing per write.
#include <sqlite3.h>

#include <random>

#include <catch2/catch.hpp>

#include "catalogue_fixture.hpp"
#include "registration/registration.hpp"
#include "search_trace.hpp"
#include "sync/json_scan.hpp"
#include "sync/sync_apply.hpp"
#include "sync/sync_client.hpp"
#include "sync/wire.hpp"

using namespace fadaa;
using namespace fadaa::test;
using nlohmann::json;

namespace {

// The first column of every row of a query, as text.
std::vector<std::string> column(Database& db, const std::string& sql) {
    std::vector<std::string> out;
    auto& st = db.prepare(sql);
    while (st.step()) out.push_back(st.getText(0));
    st.reset();
    return out;
}

void addOutbox(Database& db, const std::string& opId, const std::string& kind,
               const std::string& payload) {
    db.prepare("INSERT INTO outbox(op_id, kind, payload, created_at) VALUES (?, ?, ?, 7)")
        .bindAll(opId, kind, payload)
        .exec();
}

// The body as SyncClient built it before: parsed rows through opToWire.
json referenceBody(Database& db, const std::string& kioskId, int limit) {
    json body = {{"kiosk_id", kioskId}, {"ops", json::array()}};
    for (const OutboxOp& op : pendingOutbox(db, limit)) body["ops"].push_back(opToWire(op));
    return body;
}

std::map<std::string, std::string> searchEntries(Database& db) {
    std::map<std::string, std::string> out;
    auto& st = db.prepare(
        "SELECT e.id, s.body FROM event e JOIN event_search s ON s.rowid = e.search_rowid");
    while (st.step()) out[st.getText(0)] = st.getText(1);
    st.reset();
    return out;
}

}  // namespace

TEST_CASE("json scan: strict RFC 8259 objects, members as raw text") {
    auto members = jsonscan::objectMembers(
        R"( {"a": 1, "b" : "x\"y\u00e9", "c":{"d":[true,false,null,-0.5e+3]}, "e\\n":[]} )");
    REQUIRE(members);
    REQUIRE(members->size() == 4);
    CHECK((*members)[0].key == "a");
    CHECK((*members)[0].value == "1");
    CHECK((*members)[1].value == R"("x\"y\u00e9")");
    CHECK((*members)[2].value == R"({"d":[true,false,null,-0.5e+3]})");
    CHECK((*members)[3].key == R"(e\\n)");
    CHECK(jsonscan::objectMembers("{}")->empty());
    for (const char* bad :
         {"", "[]", "{", "{\"a\":1,}", "{\"a\":01}", "{\"a\":1.}", "{\"a\":.5}", "{\"a\":tru}",
          "{\"a\":\"\\x\"}", "{\"a\":\"\\u12\"}", "{a:1}", "{\"a\":1} x", "{\"a\":\"\x01\"}",
          "{\"a\":\"\xC3(\"}", "{\"a\" 1}", "{\"a\":[1,]}", "{\"a\":NaN}"}) {
        INFO(bad);
        CHECK_FALSE(jsonscan::objectMembers(bad));
    }
    // Nesting: at most 64 deep, counting the object itself.
    const auto nested = [](int arrays) {
        return "{\"a\":" + std::string(arrays, '[') + std::string(arrays, ']') + "}";
    };
    CHECK(jsonscan::objectMembers(nested(63)));
    CHECK_FALSE(jsonscan::objectMembers(nested(70)));
    // Whatever the scanner accepts, nlohmann reads (the server's parser).
    for (const char* good :
         {R"({"x":"\ud83d\ude00","y":1E5,"z":[{}]})", "{\"t\":\"\xE2\xB5\xA3\"}"})
        CHECK_FALSE(json::parse(good, nullptr, false).is_discarded());
}

TEST_CASE("registration states written as text are byte for byte nlohmann's") {
    wire::RegistrationState r{"0190-id", "s\"1\\", "waitlisted", "7KQ2MX", 4};
    CHECK(wire::toWireText(r) == wire::toWire(r).dump());
    r.waitlistPosition.reset();
    r.sessionId = "tab\there, newline\n, bell\x07, arabic ورشة";
    CHECK(wire::toWireText(r) == wire::toWire(r).dump());
    // Appended after what is there (a push answer holds one per op); any position's digits.
    for (std::int64_t pos : {std::int64_t{0}, std::int64_t{-3}, std::int64_t{1234567890123}}) {
        r.waitlistPosition = pos;
        std::string out = "[1,";
        wire::appendWireText(out, {r.id, r.sessionId, r.status, r.code, r.waitlistPosition});
        CHECK(out == "[1," + wire::toWire(r).dump());
    }
}

TEST_CASE("text quoted for the wire is byte for byte nlohmann's, whatever it holds") {
    // Runs without escapes, every escape nlohmann writes (named and \u00XX), DEL, UTF-8 of 2
    // to 4 bytes, at the start, the end and side by side.
    const std::vector<std::string> pieces = {
        "0190-abc",           "\"",   "\\",   "\b",   "\f", "\n", "\r",   "\t",
        std::string(1, '\0'), "\x01", "\x1f", "\x7f", " ",  "é",  "ورشة", "ⵜ",
        "\xF0\x9F\x98\x80"};
    std::mt19937 rng(20261130);
    std::uniform_int_distribution<size_t> pick(0, pieces.size() - 1), length(0, 8);
    for (int n = 0; n < 5000; ++n) {
        std::string text;
        for (size_t k = length(rng); k > 0; --k) text += pieces[pick(rng)];
        std::string quoted;
        wire::appendQuoted(quoted, text);
        REQUIRE(quoted == json(text).dump());
    }
}

TEST_CASE("a push request assembled from stored text is the one opToWire builds") {
    TempDir dir;
    Database db(dir / "kiosk.sqlite");
    addOutbox(db, "op-1", "register",
              R"({"registration_id":"r1","session_id":"s1","code":"7KQ2MX","name":"A \"B\"",)"
              R"("phone":"+212600000001","age_band":null,"answers":{"club":"x","rated":true,)"
              R"("rating":1850},"local_status":"provisional","lease_id":null,"extra":"dropped"})");
    addOutbox(db, "op-2", "cancel", R"({"registration_id":"r1","note":"dropped"})");
    addOutbox(db, "op-3", "register", "{not json");
    addOutbox(db, "op-4", "check_in", R"({"registration_id":"r\u0032"})");
    addOutbox(db, "op-5", "future_kind", R"({"anything":[1,2]})");
    addOutbox(db, "op-6", "cancel", "[\"an array\"]");

    json reference = referenceBody(db, "kiosk-é", 10);  // marks op-3 and op-6 unreadable
    CHECK(column(db,
                 "SELECT op_id FROM outbox WHERE state = 'rejected' "
                 "AND last_error = 'unreadable payload' ORDER BY seq") ==
          std::vector<std::string>{"op-3", "op-6"});
    PushBatch batch = nextPushBatch(db, "kiosk-é", 10);
    CHECK(json::parse(batch.body) == reference);
    REQUIRE(batch.ops.size() == 4);
    CHECK(batch.ops[0].registrationId == "r1");
    CHECK(batch.ops[1].registrationId == "r1");
    CHECK(batch.ops[2].registrationId == "r2");  // the escape decoded
    CHECK(batch.ops[3].registrationId.empty());

    // The next batch starts after a given seq (the batch before is still pending), and a row
    // found unreadable here is marked as pendingOutbox() marks it.
    addOutbox(db, "op-7", "cancel", R"({"registration_id":"r1",})");
    PushBatch after = nextPushBatch(db, "kiosk-é", 2, batch.ops[1].seq);
    REQUIRE(after.ops.size() == 2);
    CHECK(after.ops[0].opId == "op-4");
    CHECK(after.ops[1].opId == "op-5");
    PushBatch last = nextPushBatch(db, "kiosk-é", 2, after.ops[1].seq);
    CHECK(last.ops.empty());
    CHECK(json::parse(last.body)["ops"].empty());
    CHECK(column(db, "SELECT state || ' ' || last_error FROM outbox WHERE op_id = 'op-7'") ==
          std::vector<std::string>{"rejected unreadable payload"});
}

TEST_CASE("a batch of catalogue writes re-indexes each event once, to the same index") {
    // The same writes, one by one and as a pulled page does them (one batch).
    auto writeAll = [](CatalogueFixture& f, bool batched) {
        int reindexed = 0;
        sqlite3_trace_v2(f.db.handle(), SQLITE_TRACE_STMT, countReindexing, &reindexed);
        Transaction tx(f.db);
        if (batched) f.catalogue.beginBatch();
        for (int e = 0; e < 3; ++e)
            f.catalogue.upsertEvent(
                CatalogueFixture::makeEvent("ev" + std::to_string(e), "play",
                                            text({{"fr", "Pièce " + std::to_string(e)}})),
                true);
        for (int s = 0; s < 12; ++s) {
            Session session = CatalogueFixture::makeSession(
                "s" + std::to_string(s), "ev" + std::to_string(s % 3), kT0 + s * kDay);
            session.venueId = s % 4 == 0 ? "library" : "hall";
            f.catalogue.upsertSession(session, true);
        }
        // A session moves to another event and venue: both events' venue sets change.
        Session moved = CatalogueFixture::makeSession("s0", "ev1", kT0);
        moved.venueId = "hall";
        f.catalogue.upsertSession(moved, true);
        if (batched) f.catalogue.endBatch();
        tx.commit();
        sqlite3_trace_v2(f.db.handle(), 0, nullptr, nullptr);
        return reindexed;
    };
    CatalogueFixture one, batch;
    int oneByOne = writeAll(one, false);
    int batched = writeAll(batch, true);
    CHECK(batched == 3);  // each event once
    CHECK(oneByOne > batched);
    CHECK(searchEntries(batch.db) == searchEntries(one.db));
    // ev0 lost its only library session (s0 moved): no longer found by the library's name.
    SessionQuery q;
    q.from = kT0 - kDay;
    q.text = "mediatheque";
    std::set<std::string> found;
    for (const auto& l : batch.catalogue.sessions(q)) found.insert(l.eventId);
    CHECK(found == std::set<std::string>{"ev1", "ev2"});  // s4 and s8 (ev1, ev2) in the library

    // A later batch that changes nothing about venues re-indexes nothing.
    int reindexed = 0;
    sqlite3_trace_v2(batch.db.handle(), SQLITE_TRACE_STMT, countReindexing, &reindexed);
    Transaction tx(batch.db);
    batch.catalogue.beginBatch();
    Session same = CatalogueFixture::makeSession("s5", "ev2", kT0 + 5 * kDay);
    same.venueId = "hall";
    same.capacity = 99;
    batch.catalogue.upsertSession(same, true);
    batch.catalogue.endBatch();
    tx.commit();
    sqlite3_trace_v2(batch.db.handle(), 0, nullptr, nullptr);
    CHECK(reindexed == 0);
}
