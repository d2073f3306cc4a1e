// tests/integration/seat_counts_test.cpp - the seat counts each session row stores (schema v5:
// session.taken, session.waitlisted) equal a recount of its registrations after every way a
// registration's status or a session's seats change: pushed registrations (confirmed and
// waitlisted), cancellations by the kiosk and centrally, waitlist promotion, check-in, lease
// grant, use, release and expiry, an admin capacity change (refused and accepted), a catalogue
// re-import and a session cancelled. And a v4 database with registrations in every status
// upgrades with the right counts. In-process, on SQLite and PostgreSQL.
#include <catch2/catch.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <tuple>
#include <utility>

#include "api_error.hpp"
#include "catalogue_service.hpp"
#include "lease_service.hpp"
#include "protocol_fixture.hpp"
#include "push_service.hpp"
#include "seat_counts.hpp"
#include "seat_ledger.hpp"
#include "server_schema.hpp"
#include "sql.hpp"
#include "sql_backends.hpp"

using namespace fadaa;
using namespace fadaa::server;
using nlohmann::json;

namespace {

const KioskIdentity kHall{"0190c000-0000-7000-8000-000000000001", "hall"};
const KioskIdentity kAnnex{"0190c000-0000-7000-8000-000000000002", "annex"};
constexpr Timestamp kNow = 1764950000;

LedgerOptions options() {
    LedgerOptions o;
    o.leaseTtlSeconds = 3600;
    o.leaseGraceSeconds = 3600;
    o.leaseMaxSeats = 4;
    return o;
}

std::string regId(int n) {
    return fmt::format("0190b000-0000-7000-8000-{:012d}", n);
}

// Op ids are unique across the whole test: a counter, not the person.
PushOp op(const std::string& kind, int n) {
    static int next = 0;
    PushOp o;
    o.opId = fmt::format("0190a000-0000-7000-8000-{:012d}", ++next);
    o.seq = next;
    o.kind = kind;
    o.createdAt = kNow;
    o.registrationId = regId(n);
    return o;
}

PushOp registerOp(int n, const std::string& session,
                  const std::optional<std::string>& leaseId = std::nullopt) {
    PushOp o = op("register", n);
    RegisterIntent& r = o.reg;
    r.registrationId = regId(n);
    r.sessionId = session;
    r.code = "7KQ2MX";
    r.name = test::testName(n);
    r.phone = test::testPhone(n);
    r.personKey = fmt::format("{}|person {}", r.phone, n);
    r.localStatus = leaseId ? "confirmed" : "provisional";
    r.answers = "{}";
    r.leaseId = leaseId;
    return o;
}

json push(SqlConnection& conn, const KioskIdentity& kiosk, std::vector<PushOp> ops, Timestamp at) {
    return json::parse(
        processPush(conn, kiosk, PushRequest{kiosk.id, std::move(ops)}, options(), at));
}

json lease(SqlConnection& conn, const KioskIdentity& kiosk, std::vector<LeaseWish> wishes,
           Timestamp at) {
    return processLease(conn, kiosk, LeaseRequest{kiosk.id, std::move(wishes)}, options(), at);
}

// As POST /v1/admin/registrations/{id}/cancel does.
void cancelCentrally(SqlConnection& conn, int n, Timestamp at) {
    SqlTransaction tx(conn, TxKind::Write);
    SeatLedger ledger(conn, options(), at);
    ledger.loadRegistrations({regId(n)});
    LedgerRegistration* r = ledger.registration(regId(n));
    REQUIRE(r);
    ledger.cancel(*r, "");
    ChangeBuffer changes;
    ledger.flush(changes);
    tx.commit();
}

Session smallSession(int capacity) {
    Session s;
    s.id = "small";
    s.eventId = "open";
    s.startsAt = kNow + 86400;
    s.endsAt = kNow + 90000;
    s.capacity = capacity;
    return s;
}

// An admin edit of session `small` (as PUT /v1/admin/sessions/small): true if accepted.
bool putSmall(SqlConnection& conn, int capacity, Timestamp at) {
    try {
        SqlTransaction tx(conn, TxKind::Write);
        CatalogueEditor editor(conn, options(), at);
        editor.putSession(smallSession(capacity));
        editor.flush();
        tx.commit();
        return true;
    } catch (const ApiError& e) {
        CHECK(e.status() == 409);
        return false;
    }
}

// (taken, waitlisted) as the session row stores them.
std::pair<std::int64_t, std::int64_t> stored(SqlConnection& conn, const std::string& session) {
    SqlRows rows = conn.query("SELECT taken, waitlisted FROM session WHERE id = $1", {session});
    REQUIRE(rows.size() == 1);
    return {rows[0].integer(0), rows[0].integer(1)};
}

std::string status(SqlConnection& conn, int n) {
    return conn.scalar("SELECT status FROM registration WHERE id = $1", {regId(n)}).value_or("");
}

using Counts = std::pair<std::int64_t, std::int64_t>;

// A connection to a migrated store holding the chess round (round1: 30 seats).
PooledConnection seededStore(SqlBackend& backend) {
    auto conn = backend.acquire();
    migrateServerSchema(*conn);
    SqlTransaction tx(*conn, TxKind::Write);
    test::seedChessRound(*conn, kHall.id, kNow);
    tx.commit();
    return conn;
}

void countsFollowEveryChange(SqlBackend& backend) {
    auto conn = seededStore(backend);
    auto agrees = [&] {
        INFO("sessions whose stored counts differ from a recount");
        CHECK(test::seatCountMismatches(*conn) == std::vector<std::string>{});
    };
    // A session the catalogue inserts starts at zero.
    REQUIRE(putSmall(*conn, 2, kNow));
    CHECK(stored(*conn, "small") == Counts(0, 0));

    // Pushed: 2 confirmed and 3 waitlisted on small, 3 confirmed on round1.
    push(*conn, kHall,
         {registerOp(1, "small"), registerOp(2, "small"), registerOp(3, "small"),
          registerOp(4, "small"), registerOp(5, "small"), registerOp(6, "round1"),
          registerOp(7, "round1"), registerOp(8, "round1")},
         kNow + 10);
    CHECK(stored(*conn, "small") == Counts(2, 3));
    CHECK(stored(*conn, "round1") == Counts(3, 0));
    agrees();

    // The kiosk cancels a confirmed one (3 is promoted) and checks in two (still taken).
    push(*conn, kHall, {op("cancel", 1), op("check_in", 2), op("check_in", 6)}, kNow + 20);
    CHECK(status(*conn, 3) == "confirmed");
    CHECK(status(*conn, 2) == "attended");
    CHECK(stored(*conn, "small") == Counts(2, 2));
    CHECK(stored(*conn, "round1") == Counts(3, 0));
    agrees();

    // Central cancellations: a waitlisted one and a confirmed one.
    cancelCentrally(*conn, 4, kNow + 30);
    cancelCentrally(*conn, 7, kNow + 30);
    CHECK(stored(*conn, "small") == Counts(2, 1));
    CHECK(stored(*conn, "round1") == Counts(2, 0));
    agrees();

    // Capacity below the seats taken is refused and changes nothing; raised, it promotes 5.
    CHECK_FALSE(putSmall(*conn, 1, kNow + 40));
    CHECK(stored(*conn, "small") == Counts(2, 1));
    REQUIRE(putSmall(*conn, 6, kNow + 40));
    CHECK(status(*conn, 5) == "confirmed");
    CHECK(stored(*conn, "small") == Counts(3, 0));
    agrees();

    // A catalogue re-import upserts the session row: its counts stay.
    {
        SqlTransaction tx(*conn, TxKind::Write);
        CatalogueEditor editor(*conn, options(), kNow + 45);
        CatalogueData data;
        data.sessions.push_back(smallSession(6));
        editor.putAll(data);
        editor.flush();
        tx.commit();
    }
    CHECK(stored(*conn, "small") == Counts(3, 0));

    // Leases: the annex holds 3 seats of round1 and 2 of small, and confirms one person from
    // its round1 lease.
    json leases = lease(*conn, kAnnex, {{"round1", 3, {}, 0}, {"small", 2, {}, 0}}, kNow + 50);
    REQUIRE(leases["leases"].size() == 2);
    std::string roundLease, smallLease;
    for (const json& l : leases["leases"])
        (l["session_id"] == "round1" ? roundLease : smallLease) = l["lease_id"].get<std::string>();
    json fromLease = push(*conn, kAnnex, {registerOp(9, "round1", roundLease)}, kNow + 52);
    CHECK(fromLease["results"][0]["result"] == "applied");
    CHECK(stored(*conn, "round1") == Counts(3, 0));
    agrees();

    // The annex gives up its round1 lease, then cancels the registration it made from it.
    lease(*conn, kAnnex, {{"small", 2, smallLease, 0}}, kNow + 55);
    push(*conn, kAnnex, {op("cancel", 9)}, kNow + 56);
    CHECK(stored(*conn, "round1") == Counts(2, 0));
    agrees();

    // small has 1 seat free beside the lease: of three more people one is confirmed, two wait.
    push(*conn, kHall, {registerOp(10, "small"), registerOp(11, "small"), registerOp(12, "small")},
         kNow + 60);
    CHECK(stored(*conn, "small") == Counts(4, 2));
    agrees();

    // The small lease expires unrenewed; the sweeper reclaims it and both waiting are confirmed.
    CHECK(reclaimExpiredLeases(*conn, options(), kNow + 55 + 3600 + 3600 + 1) == 1);
    CHECK(status(*conn, 11) == "confirmed");
    CHECK(status(*conn, 12) == "confirmed");
    CHECK(stored(*conn, "small") == Counts(6, 0));
    agrees();

    // The session is cancelled (registrations keep their status), then one is cancelled
    // centrally: the count drops, nobody is promoted.
    {
        SqlTransaction tx(*conn, TxKind::Write);
        CatalogueEditor editor(*conn, options(), kNow + 9000);
        editor.cancelSession("small");
        editor.flush();
        tx.commit();
    }
    CHECK(stored(*conn, "small") == Counts(6, 0));
    cancelCentrally(*conn, 10, kNow + 9010);
    CHECK(stored(*conn, "small") == Counts(5, 0));
    agrees();
    test::checkSeatCounts(backend);
}

// A v4 database: registrations in every status on two sessions, a session with none.
void upgradesFromV4(SqlBackend& backend) {
    auto conn = backend.acquire();
    migrateServerSchema(*conn, 4);
    {
        SqlTransaction tx(*conn, TxKind::Write);
        test::seedChessRound(*conn, kHall.id, kNow);
        conn->query(
            "INSERT INTO session(id, event_id, starts_at, ends_at, capacity) VALUES "
            "('round2', 'open', $1, $2, 2), ('empty', 'open', $1, $2, 5)",
            {kNow + 86400, kNow + 90000});
        const std::vector<std::pair<std::string, std::string>> regs = {
            {"round1", "confirmed"},  {"round1", "confirmed"}, {"round1", "attended"},
            {"round1", "waitlisted"}, {"round1", "cancelled"}, {"round1", "cancelled"},
            {"round2", "attended"},   {"round2", "confirmed"}, {"round2", "waitlisted"},
            {"round2", "waitlisted"}, {"round2", "waitlisted"}};
        int n = 0;
        for (const auto& [session, st] : regs) {
            ++n;
            conn->query(
                "INSERT INTO registration(id, session_id, kiosk_id, arrival, created_at, "
                "received_at, updated_at, name, phone, code, person_key, status, waitlist_pos, "
                "local_status) VALUES ($1, $2, $3, $4, $5, $5, $5, $6, $7, 'ABC123', $8, $9, $10, "
                "'provisional')",
                {regId(n), session, kHall.id, n, kNow, test::testName(n), test::testPhone(n),
                 fmt::format("{}|person {}", test::testPhone(n), n), st,
                 st == "waitlisted" ? SqlValue(std::int64_t{n}) : sqlNull()});
        }
        tx.commit();
    }
    migrateServerSchema(*conn);
    CHECK(conn->scalar("SELECT value FROM server_meta WHERE key = 'schema_version'") ==
          std::to_string(serverSchemaVersion()));
    CHECK(stored(*conn, "round1") == Counts(3, 1));
    CHECK(stored(*conn, "round2") == Counts(2, 3));
    CHECK(stored(*conn, "empty") == Counts(0, 0));
    test::checkSeatCounts(backend);

    // The upgraded counts are the ledger's starting point: a cancellation in round2 (full)
    // promotes the first waiting person, and the stored counts follow.
    push(*conn, kHall, {op("cancel", 8)}, kNow + 60);
    CHECK(stored(*conn, "round2") == Counts(2, 2));
    CHECK(status(*conn, 9) == "confirmed");
    test::checkSeatCounts(backend);
}

// Counts made wrong by hand (as a database edited or restored in pieces could hold) are found,
// recounted, announced to kiosks again, and a seat freed by a registration deleted by hand goes
// to the first person waiting.
void repairsWrongCounts(SqlBackend& backend) {
    auto conn = seededStore(backend);
    REQUIRE(putSmall(*conn, 2, kNow));
    push(*conn, kHall,
         {registerOp(1, "small"), registerOp(2, "small"), registerOp(3, "small"),
          registerOp(4, "small"), registerOp(6, "round1")},
         kNow + 10);
    REQUIRE(stored(*conn, "small") == Counts(2, 2));
    CHECK(repairSeatCounts(*conn, options(), kNow + 20).empty());  // nothing wrong yet

    conn->query("UPDATE session SET taken = 29, waitlisted = 5 WHERE id = 'round1'");
    conn->query("DELETE FROM registration WHERE id = $1", {regId(1)});  // small: a seat free
    conn->query("DELETE FROM change_log WHERE entity = 'session'");
    std::vector<std::string> repaired = repairSeatCounts(*conn, options(), kNow + 30);
    std::sort(repaired.begin(), repaired.end());
    CHECK(repaired == std::vector<std::string>{"round1", "small"});
    CHECK(stored(*conn, "round1") == Counts(1, 0));
    CHECK(status(*conn, 3) == "confirmed");  // first waiting, promoted into the freed seat
    CHECK(stored(*conn, "small") == Counts(2, 1));
    CHECK(test::seatCountMismatches(*conn) == std::vector<std::string>{});
    // Kiosks pull both sessions again, with the true counts.
    for (const auto& [id, taken, waitlisted] :
         {std::tuple{"round1", 1, 0}, std::tuple{"small", 2, 1}}) {
        auto data =
            conn->scalar("SELECT data FROM change_log WHERE entity = 'session' AND entity_id = $1",
                         {std::string(id)});
        REQUIRE(data);
        json session = json::parse(*data);
        CHECK(session["taken"] == taken);
        CHECK(session["waitlisted"] == waitlisted);
    }
    CHECK(repairSeatCounts(*conn, options(), kNow + 40).empty());
}

}  // namespace

TEST_CASE("seat counts [sqlite]: stored counts follow every change a registration goes through") {
    test::withSqliteBackend(countsFollowEveryChange);
}

TEST_CASE("seat counts [postgres]: stored counts follow every change a registration goes through") {
    test::withPostgresBackend(countsFollowEveryChange);
}

TEST_CASE("seat counts [sqlite]: a v4 database upgrades with counts from its registrations") {
    test::withSqliteBackend(upgradesFromV4);
}

TEST_CASE("seat counts [postgres]: a v4 database upgrades with counts from its registrations") {
    test::withPostgresBackend(upgradesFromV4);
}

TEST_CASE("seat counts [sqlite]: wrong stored counts are recounted, announced and promote") {
    test::withSqliteBackend(repairsWrongCounts);
}

TEST_CASE("seat counts [postgres]: wrong stored counts are recounted, announced and promote") {
    test::withPostgresBackend(repairsWrongCounts);
}
