// tests/unit/sync_wire_test.cpp - the kiosk side of the sync protocol without a server: strict
// JSON reading, catalogue records on the wire, checksums, and applying server answers to a real
// kiosk store (pages in any order, snapshots, malformed answers, leases).
#include <catch2/catch.hpp>

#include "pull_page_fixtures.hpp"
#include "registration/registration.hpp"
#include "store/database.hpp"
#include "support/test_support.hpp"
#include "sync/json_fields.hpp"
#include "sync/sync_apply.hpp"
#include "sync/sync_client.hpp"
#include "sync/wire.hpp"

using namespace fadaa;
using nlohmann::json;

namespace {

std::string wireError(const std::function<void()>& f) {
    try {
        f();
    } catch (const WireError& e) {
        return e.code() + ": " + e.what();
    }
    return "no error";
}

using test::change;
using test::count;

json page(json changes, bool hasMore = false, const std::string& cursor = "E.1") {
    return test::pullPage(changes, hasMore, cursor, 1);
}

const json kCategory = {{"id", "chess"}, {"name", {{"fr", "Échecs"}}}, {"sort_order", 1}};
const json kEvent = {{"id", "open"},
                     {"category_id", "chess"},
                     {"title", {{"fr", "Open"}}},
                     {"registration_required", true},
                     {"form", json::array()},
                     {"version", 3}};
json session(const std::string& id, int capacity = 10) {
    return {{"id", id},
            {"event_id", "open"},
            {"venue_id", nullptr},
            {"starts_at", 2000000000},
            {"ends_at", 2000003600},
            {"capacity", capacity},
            {"reg_opens_at", nullptr},
            {"reg_closes_at", nullptr},
            {"status", "scheduled"},
            {"taken", 2},
            {"waitlisted", 0},
            {"leased", 1}};
}

// The category, the event and these sessions, as a first pull brings them.
void seed(Database& db, std::vector<std::string> sessions) {
    json changes =
        json::array({change("category", "chess", kCategory), change("event", "open", kEvent)});
    for (const auto& id : sessions) changes.push_back(change("session", id, session(id)));
    applyPullPage(db, page(changes), false, 1);
}

// One registration of a test person through the kiosk's RegistrationService.
RegistrationOutcome registerOne(Database& db, const std::string& sessionId) {
    RegistrationService service(db, "k");
    RegistrationRequest request;
    request.sessionId = sessionId;
    request.name = "Test Person";
    request.phone = "0661000001";
    return service.registerFor(request, 1999990000);
}

}  // namespace

TEST_CASE("sync wire: strict reading names the field and the problem") {
    CHECK(wireError([] { parseJson("{\"a\": "); }).rfind("malformed_json", 0) == 0);
    CHECK(wireError([] { parseJson("{\"a\": \"\xC3(\"}"); }).rfind("invalid_utf8", 0) == 0);
    json j = {{"id", "x"}, {"nme", {{"fr", "y"}}}};
    CHECK(wireError([&] { wire::categoryFromWire(j, "categories[2]"); }) ==
          "unknown_field: unknown field categories[2].nme");
    j = {{"id", "x"}, {"name", "plain text"}};
    CHECK(wireError([&] { wire::categoryFromWire(j, "c"); }).rfind("wrong_type", 0) == 0);
    j = {{"name", {{"fr", "y"}}}};
    CHECK(wireError([&] { wire::categoryFromWire(j, "c"); }) ==
          "missing_field: missing field c.id");
    j = {{"id", "has space"}, {"name", {{"fr", "y"}}}};
    CHECK(wireError([&] { wire::categoryFromWire(j, "c"); }).rfind("invalid_value: c.id", 0) == 0);
    json s = session("s1");
    s["ends_at"] = 1;
    CHECK(wireError([&] { wire::sessionFromWire(s, "s", nullptr); }).rfind("unknown_field", 0) ==
          0);  // counts only where counts are expected
    wire::SessionCounts counts;
    CHECK(wireError([&] { wire::sessionFromWire(s, "s", &counts); }) ==
          "invalid_value: s.ends_at: is before starts_at");
    json e = kEvent;
    e["form"] = json::array({{{"key", "q"}, {"type", "text"}}});
    CHECK(wireError([&] { wire::eventFromWire(e, "e"); }).find("has no label") !=
          std::string::npos);
}

TEST_CASE("sync wire: records survive the round trip through the wire form") {
    Event e = wire::eventFromWire(kEvent, "e");
    e.form = formFromJson(R"([{"key":"section","type":"choice","label":{"fr":"Section"},
                               "choices":["u10","u14"],"required":true}])");
    e.ageMin = 8;
    Event back = wire::eventFromWire(wire::toWire(e), "e");
    CHECK(back.id == "open");
    CHECK(back.version == 3);
    CHECK(back.ageMin == 8);
    CHECK_FALSE(back.ageMax);
    CHECK(formToJson(back.form) == formToJson(e.form));
    wire::SessionCounts counts;
    Session s = wire::sessionFromWire(session("s1", 30), "s", &counts);
    CHECK(counts.taken == 2);
    CHECK(counts.leased == 1);
    CHECK(wire::toWire(s, counts) == session("s1", 30));
}

TEST_CASE("sync wire: checksums ignore row and key order, not content") {
    std::vector<wire::ChecksumRow> a = {{"1", std::string(R"({"fr":"a","ar":"b"})")},
                                        {"2", std::nullopt}};
    std::vector<wire::ChecksumRow> b = {{"2", std::nullopt},
                                        {"1", std::string(R"({"ar": "b", "fr": "a"})")}};
    CHECK(wire::checksumRows(a, {1}) == wire::checksumRows(b, {1}));
    CHECK(wire::checksumRows(a, {1}).rows == 2);
    std::vector<wire::ChecksumRow> empty = {{"1", std::string(R"({"fr":"a","ar":"b"})")},
                                            {"2", std::string("")}};
    CHECK_FALSE(wire::checksumRows(a, {1}) == wire::checksumRows(empty, {1}));  // NULL is not ""
    std::vector<wire::ChecksumRow> changed = {{"1", std::string(R"({"fr":"a","ar":"c"})")},
                                              {"2", std::nullopt}};
    CHECK_FALSE(wire::checksumRows(a, {1}) == wire::checksumRows(changed, {1}));
    CHECK(wire::sha256Hex("abc") ==
          "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST_CASE("sync apply: a page applies parents first whatever its order, with its cursor") {
    test::TempDir dir;
    Database db(dir / "kiosk.sqlite");
    json changes =
        json::array({change("session", "s1", session("s1")), change("event", "open", kEvent),
                     change("category", "chess", kCategory)});
    PulledPage p = applyPullPage(db, page(changes, true, "E.7"), false, 100);
    CHECK(p.changes == 3);
    CHECK(p.hasMore);
    CHECK(syncStateGet(db, "cursor") == "E.7");
    CHECK(count(db, "SELECT count(*) FROM session WHERE id = 's1' AND capacity = 10") == 1);
    CHECK(count(db, "SELECT taken FROM session_counts WHERE session_id = 's1'") == 2);
    // Deletes: children first too, and nothing referred to by others is removed.
    applyPullPage(
        db,
        page(json::array({change("category", "chess", nullptr), change("event", "open", nullptr),
                          change("session", "s1", nullptr)}),
             false, "E.9"),
        false, 100);
    CHECK(count(db, "SELECT count(*) FROM session") == 0);
    CHECK(count(db, "SELECT count(*) FROM event") == 0);
    CHECK(count(db, "SELECT count(*) FROM category") == 0);
    CHECK(syncStateGet(db, "cursor") == "E.9");
}

TEST_CASE("sync apply: a malformed page writes nothing, not even its cursor") {
    test::TempDir dir;
    Database db(dir / "kiosk.sqlite");
    syncStateSet(db, "cursor", "E.1");
    json changes = json::array({change("category", "chess", kCategory),
                                change("session", "s1", {{"id", "s1"}, {"event_id", 5}})});
    CHECK(wireError([&] {
              applyPullPage(db, page(changes, false, "E.2"), false, 1);
          }).rfind("wrong_type", 0) == 0);
    CHECK(count(db, "SELECT count(*) FROM category") == 0);
    CHECK(syncStateGet(db, "cursor") == "E.1");
    CHECK(wireError([&] {
              applyPullPage(db, {{"changes", json::array()}}, false, 1);
          }).rfind("missing_field", 0) == 0);
}

TEST_CASE("sync apply: a snapshot removes what it did not bring, but keeps what people hold") {
    test::TempDir dir;
    Database db(dir / "kiosk.sqlite");
    seed(db, {"s1", "s2"});
    REQUIRE(registerOne(db, "s2").ok);

    beginSnapshot(db);
    CHECK(syncStateGet(db, "snapshot") == "1");
    CHECK(syncStateGet(db, "cursor") == "");
    PulledPage first = applyPullPage(
        db, page(json::array({change("category", "chess", kCategory)}), true), true, 1);
    CHECK_FALSE(first.snapshotFinished);
    CHECK(count(db, "SELECT count(*) FROM sync_seen") == 1);
    PulledPage last =
        applyPullPage(db, page(json::array({change("event", "open", kEvent)}), false), true, 1);
    CHECK(last.snapshotFinished);
    CHECK(count(db, "SELECT count(*) FROM session WHERE id = 's1'") == 0);
    CHECK(count(db, "SELECT count(*) FROM session WHERE id = 's2' AND status = 'cancelled'") == 1);
    CHECK(count(db, "SELECT count(*) FROM registration") == 1);
    CHECK(count(db, "SELECT count(*) FROM sync_seen") == 0);
    CHECK(syncStateGet(db, "snapshot") == "0");
}

TEST_CASE("sync apply: push results must answer the ops sent, in order") {
    test::TempDir dir;
    Database db(dir / "kiosk.sqlite");
    seed(db, {"s1"});
    syncStateSet(db, "kiosk_token", "t");  // enrolled: beyond a lease, provisional
    RegistrationOutcome made = registerOne(db, "s1");
    REQUIRE(made.ok);
    CHECK(made.registration.status == RegistrationStatus::Provisional);
    std::vector<OutboxOp> ops = pendingOutbox(db, 10);
    REQUIRE(ops.size() == 1);
    CHECK(opToWire(ops[0])["payload"]["local_status"] == "provisional");

    json wrong = {{"results", json::array({{{"op_id", "someone-else"}, {"result", "applied"}}})},
                  {"server_time", 1}};
    CHECK(wireError([&] { applyPushResults(db, ops, wrong, 1); }).find("does not match") !=
          std::string::npos);
    CHECK(pendingOps(db) == 1);

    json answer = {{"results", json::array({{{"op_id", ops[0].opId},
                                             {"result", "remapped"},
                                             {"reason", "waitlisted"},
                                             {"registration",
                                              {{"id", made.registration.id},
                                               {"session_id", "s1"},
                                               {"status", "waitlisted"},
                                               {"waitlist_position", 4},
                                               {"code", made.registration.code}}}}})},
                   {"server_time", 1}};
    PushCounts c = applyPushResults(db, ops, answer, 1);
    CHECK(c.remapped == 1);
    CHECK(pendingOps(db) == 0);
    auto mine = RegistrationService(db, "k").find(made.registration.code, "0661000001");
    REQUIRE(mine);
    CHECK(mine->status == RegistrationStatus::Waitlisted);
    CHECK(mine->waitlistPosition == 4);  // the server's rank
}

TEST_CASE("sync apply: push results keep what is read, and the store's CHECKs stay in force") {
    test::TempDir dir;
    Database db(dir / "kiosk.sqlite");
    seed(db, {"s1"});
    syncStateSet(db, "kiosk_token", "t");
    RegistrationOutcome made = registerOne(db, "s1");
    REQUIRE(made.ok);
    std::vector<OutboxOp> ops = pendingOutbox(db, 10);
    REQUIRE(ops.size() == 1);
    PushResult result;
    result.opId = ops[0].opId;
    result.result = result.effective = "remapped";
    result.reason = "confirmed";
    result.registration = wire::RegistrationState{made.registration.id, "s1", "reserved",
                                                  made.registration.code, std::nullopt};
    PushAnswer answer;
    answer.results.push_back(result);
    // A status outside the registration table's CHECK list is refused before anything is
    // written (the constraints are off while an answer is written).
    CHECK(wireError([&] { applyPushResults(db, ops, answer, 5); }).rfind("invalid_value", 0) == 0);
    CHECK(pendingOps(db) == 1);
    CHECK(count(db, "SELECT count(*) FROM registration WHERE status = 'provisional'") == 1);

    answer.results[0].registration->status = "confirmed";
    CHECK(applyPushResults(db, ops, answer, 5).remapped == 1);
    CHECK(count(db, "SELECT count(*) FROM registration WHERE status = 'confirmed'") == 1);
    // outbox.result: NULL, the server holds the registration under the op's own id (what full
    // sync's checksum reads).
    auto& st = db.prepare("SELECT result IS NULL, state, acked_at FROM outbox");
    REQUIRE(st.step());
    CHECK(st.getInt(0) == 1);
    CHECK(st.getText(1) == "remapped");
    CHECK(st.getInt(2) == 5);
    st.reset();
    // The constraints are in force again for every other writer.
    CHECK_THROWS_AS(db.exec("UPDATE outbox SET state = 'lost'"), StoreError);
    CHECK_THROWS_AS(db.exec("UPDATE registration SET status = 'lost'"), StoreError);
}

TEST_CASE("sync apply: a batch of mixed results is written op by op as answered") {
    test::TempDir dir;
    Database db(dir / "kiosk.sqlite");
    seed(db, {"s1", "s2", "s3", "s4", "s5"});
    syncStateSet(db, "kiosk_token", "t");
    std::vector<RegistrationOutcome> made;
    for (const char* session : {"s1", "s2", "s3", "s4", "s5"}) {
        made.push_back(registerOne(db, session));
        REQUIRE(made.back().ok);
    }
    std::vector<OutboxOp> ops = pendingOutbox(db, 10);
    REQUIRE(ops.size() == 5);
    auto decided = [&](size_t i, const std::string& result, std::optional<std::string> status,
                       std::optional<std::int64_t> position = std::nullopt, std::string id = "") {
        PushResult r;
        r.opId = ops[i].opId;
        r.result = r.effective = result;
        if (status)
            r.registration = wire::RegistrationState{id.empty() ? made[i].registration.id : id,
                                                     made[i].registration.sessionId, *status,
                                                     made[i].registration.code, position};
        return r;
    };
    PushAnswer answer;
    answer.results = {decided(0, "applied", "confirmed"), decided(1, "applied", "confirmed"),
                      decided(2, "rejected", std::nullopt), decided(3, "remapped", "waitlisted", 3),
                      decided(4, "duplicate", "confirmed", std::nullopt, "someone-elses")};
    answer.results[2].reason = "session_cancelled";
    answer.results[2].message = "cancelled";
    PushCounts c = applyPushResults(db, ops, answer, 9);
    CHECK(c.applied == 2);
    CHECK(c.rejected == 1);
    CHECK(c.remapped == 1);
    CHECK(c.duplicates == 1);
    std::vector<std::string> rows;
    auto& st = db.prepare(
        "SELECT o.state || ' ' || coalesce(o.result, '-') || ' ' || coalesce(o.last_error, '-') "
        "|| ' ' || o.acked_at || ' ' || r.status || ' ' || coalesce(r.waitlist_pos, '-') "
        "FROM outbox o JOIN registration r ON r.id = json_extract(o.payload, "
        "'$.registration_id') ORDER BY o.seq");
    while (st.step()) rows.push_back(st.getText(0));
    st.reset();
    CHECK(rows == std::vector<std::string>{
                      "applied - - 9 confirmed -", "applied - - 9 confirmed -",
                      "rejected {} session_cancelled: cancelled 9 cancelled -",
                      "remapped - - 9 waitlisted 3",
                      R"(duplicate {"registration":{"id":"someone-elses"}} - 9 cancelled -)"});
}

TEST_CASE("sync apply: leases replace the table and count seats confirmed but not yet pushed") {
    test::TempDir dir;
    Database db(dir / "kiosk.sqlite");
    seed(db, {"s1", "s2"});
    const std::string lease = "01890000-0000-7000-8000-000000000001";
    json answer = {{"leases", json::array({{{"lease_id", lease},
                                            {"session_id", "s1"},
                                            {"seats", 3},
                                            {"used", 1},
                                            {"expires_at", 2100000000}},
                                           {{"lease_id", "01890000-0000-7000-8000-000000000002"},
                                            {"session_id", "unknown"},
                                            {"seats", 1},
                                            {"used", 0},
                                            {"expires_at", 2100000000}}})},
                   {"server_time", 1}};
    CHECK(applyLeases(db, answer) == 1);  // a lease for a session this kiosk lacks is skipped
    syncStateSet(db, "kiosk_token", "t");
    REQUIRE(registerOne(db, "s1").registration.status == RegistrationStatus::Confirmed);
    CHECK(count(db, "SELECT used FROM seat_lease WHERE session_id = 's1'") == 2);
    // The server has not seen that registration yet: renewing keeps it counted.
    applyLeases(db, answer);
    CHECK(count(db, "SELECT used FROM seat_lease WHERE session_id = 's1'") == 2);
    CHECK(count(db, "SELECT seats FROM seat_lease WHERE session_id = 's1'") == 3);
    json request2 = leaseRequest(db, "k", 1999990000, 2, 14, 10);
    REQUIRE(request2["sessions"].size() == 2);
    CHECK(request2["sessions"][0]["lease_id"] == lease);
    CHECK(request2["sessions"][0]["used"] == 2);
    CHECK_FALSE(request2["sessions"][1].contains("lease_id"));
}

TEST_CASE("sync apply: a later op queued before or during the push keeps the local status") {
    test::TempDir dir;
    Database db(dir / "kiosk.sqlite");
    seed(db, {"s1", "s2", "s3", "s4"});
    syncStateSet(db, "kiosk_token", "t");
    std::vector<RegistrationOutcome> made;
    for (const char* session : {"s1", "s2", "s3", "s4"}) {
        made.push_back(registerOne(db, session));
        REQUIRE(made.back().ok);
    }
    std::vector<OutboxOp> ops = pendingOutbox(db, 10);
    REQUIRE(ops.size() == 4);
    auto cancelLocally = [&](size_t i) {
        REQUIRE(RegistrationService(db, "k")
                    .cancel(made[i].registration.code, "0661000001", 1999990001)
                    .cancelled);
    };
    auto confirmed = [&](size_t from, size_t to) {
        PushAnswer answer;
        for (size_t i = from; i < to; ++i) {
            PushResult r;
            r.opId = ops[i].opId;
            r.result = r.effective = "remapped";
            r.registration =
                wire::RegistrationState{made[i].registration.id, made[i].registration.sessionId,
                                        "confirmed", made[i].registration.code, std::nullopt};
            answer.results.push_back(r);
        }
        return answer;
    };
    auto status = [&](size_t i) {
        auto& st = db.prepare("SELECT status FROM registration WHERE id = ?")
                       .bindAll(made[i].registration.id);
        REQUIRE(st.step());
        std::string s = st.getText(0);
        st.reset();
        return s;
    };
    // One sync, two batches: ops 0-1, then 2-3. Registrations 1 and 3 are cancelled before
    // the first answer is written; between the answers registration 2 is cancelled and the
    // cancel of registration 3 is refused locally (no longer pending: the server's word counts).
    LaterOps later;
    cancelLocally(1);
    cancelLocally(3);
    std::vector<OutboxOp> first(ops.begin(), ops.begin() + 2), second(ops.begin() + 2, ops.end());
    applyPushResults(db, first, confirmed(0, 2), 5, &later);
    CHECK(status(0) == "confirmed");
    CHECK(status(1) == "cancelled");
    for (const OutboxOp& op : pendingOutbox(db, 10))
        if (op.kind == "cancel" && op.payload["registration_id"] == made[3].registration.id)
            rejectLocally(db, op, "refused");
    cancelLocally(2);
    applyPushResults(db, second, confirmed(2, 4), 6, &later);
    CHECK(status(2) == "cancelled");
    CHECK(status(3) == "confirmed");
    CHECK(later.pendingAfter(db, made[1].registration.id, 4));
    CHECK(later.pendingAfter(db, made[2].registration.id, 4));
    CHECK_FALSE(later.pendingAfter(db, made[3].registration.id, 4));
    CHECK_FALSE(later.pendingAfter(db, made[0].registration.id, 0));
}

// The session record a push logs is written as text: it must be the tree's text byte for byte
// (the kiosk's strict session scanner reads that form, and the log's checksums compare it).
TEST_CASE("wire: a session's text (what a push logs) is its record's JSON dump") {
    Session s;
    s.id = "chess-1";
    s.eventId = "chess-open";
    s.startsAt = 1764950000;
    s.endsAt = 1764957200;
    wire::SessionCounts counts{12, 3, 4};
    auto same = [&] {
        INFO(s.id);
        CHECK(wire::toWireText(s, counts) == wire::toWire(s, counts).dump());
    };
    same();  // no venue, no limit, no window
    s.venueId = "hall \"A\"\\\n\x01";
    s.capacity = 30;
    s.regOpensAt = 1764000000;
    s.regClosesAt = -5;
    s.status = SessionStatus::Cancelled;
    counts = {0, 0, 0};
    same();
    s.capacity = 0;
    s.eventId = "événement";
    counts = {2147483647, -1, 7};
    same();
}
