// tests/integration/server_schema_test.cpp - a city database written by an older fadaa-server
// (schema v1) upgrades in place and keeps its data: registrations, remembered op ids (replayed
// as before, purged by a scan since v3), the change log and its tombstones; since v4 the
// registration table (a rowid table again on SQLite) keeps its status check and its session
// reference; since v5 the session row holds seat counts counted from the registrations it had.
// On SQLite and PostgreSQL.
#include <catch2/catch.hpp>

#include <fmt/format.h>

#include "change_log.hpp"
#include "push_service.hpp"
#include "server_schema.hpp"
#include "sql.hpp"
#include "sql_backends.hpp"
#include "support/test_support.hpp"

using namespace fadaa;
using namespace fadaa::server;
using nlohmann::json;

namespace {

const std::string kKiosk = "0190c000-0000-7000-8000-000000000001";
const std::string kReg = "0190b000-0000-7000-8000-000000000001";
const std::string kOp = "0190a000-0000-7000-8000-000000000001";
constexpr Timestamp kNow = 1764950000;

// What a v1 server wrote for one pushed registration: the row, its op id with the whole answer
// as JSON text, its change-log row, and a tombstone of a deleted venue.
void writeV1Data(SqlConnection& conn) {
    SqlTransaction tx(conn, TxKind::Write);
    test::seedChessRound(conn, kKiosk, kNow);
    conn.query(
        "INSERT INTO registration(id, session_id, kiosk_id, arrival, created_at, received_at, "
        "updated_at, name, phone, code, person_key, status, local_status) VALUES "
        "($1, 'round1', $2, 1, $3, $3, $3, 'Amina', '+212600000001', '7KQ2MX', "
        "'+212600000001|amina', 'confirmed', 'provisional')",
        {kReg, kKiosk, kNow});
    json answer = {{"op_id", kOp},
                   {"reason", "confirmed"},
                   {"registration",
                    {{"id", kReg},
                     {"session_id", "round1"},
                     {"status", "confirmed"},
                     {"code", "7KQ2MX"},
                     {"waitlist_position", nullptr}}},
                   {"result", "remapped"}};
    conn.query(
        "INSERT INTO applied_op(op_id, kiosk_id, kind, received_at, result) "
        "VALUES ($1, $2, 'register', $3, $4)",
        {kOp, kKiosk, kNow, answer.dump()});
    conn.query(
        "INSERT INTO change_log(seq, entity, entity_id, audience, echo, op, data, at) VALUES "
        "(1, 'registration', $1, $2, $2, 'upsert', '{}', $3), "
        "(2, 'venue', 'old-hall', '', '', 'delete', NULL, $3)",
        {kReg, kKiosk, kNow});
    conn.query("UPDATE counter SET value = 2 WHERE name = 'change'");
    tx.commit();
}

std::string scalarOf(SqlConnection& conn, const std::string& sql) {
    return conn.scalar(sql).value_or("<null>");
}

void upgradesInPlace(SqlBackend& backend) {
    auto conn = backend.acquire();
    migrateServerSchema(*conn, 1);
    REQUIRE(scalarOf(*conn, "SELECT value FROM server_meta WHERE key = 'schema_version'") == "1");
    writeV1Data(*conn);
    std::string epoch = scalarOf(*conn, "SELECT value FROM server_meta WHERE key = 'epoch'");

    migrateServerSchema(*conn);
    migrateServerSchema(*conn);  // a second start changes nothing
    CHECK(scalarOf(*conn, "SELECT value FROM server_meta WHERE key = 'schema_version'") ==
          std::to_string(serverSchemaVersion()));
    CHECK(scalarOf(*conn, "SELECT value FROM server_meta WHERE key = 'epoch'") == epoch);
    CHECK(scalarOf(*conn,
                   "SELECT name || ' ' || phone || ' ' || status || ' ' || arrival || ' ' || "
                   "person_key FROM registration WHERE id = '" +
                       kReg + "'") == "Amina +212600000001 confirmed 1 +212600000001|amina");
    CHECK(scalarOf(*conn, "SELECT count(*) FROM change_log") == "2");
    CHECK(scalarOf(*conn, "SELECT count(*) FROM applied_op") == "1");
    // v5: the session row holds its seat counts, counted from the registrations it had.
    CHECK(scalarOf(*conn, "SELECT taken || ' ' || waitlisted FROM session WHERE id = 'round1'") ==
          "1 0");

    // The op id remembered by v1 is still answered from its stored result, never applied again.
    PushRequest again;
    again.kioskId = kKiosk;
    PushOp op;
    op.opId = kOp;
    op.seq = 1;
    op.kind = "register";
    op.registrationId = kReg;
    op.reg.registrationId = kReg;
    op.reg.sessionId = "round1";
    op.reg.personKey = "+212600000001|amina";
    again.ops.push_back(op);
    json answer = json::parse(processPush(*conn, {kKiosk, "hall"}, again, {}, kNow + 60));
    REQUIRE(answer["results"].size() == 1);
    CHECK(answer["results"][0]["result"] == "duplicate");
    CHECK(answer["results"][0]["original_result"] == "remapped");
    CHECK(answer["results"][0]["registration"]["id"] == kReg);
    CHECK(scalarOf(*conn, "SELECT count(*) FROM registration") == "1");

    // A new op on the upgraded schema is stored compactly and replayed from the registration.
    PushOp cancel;
    cancel.opId = "0190a000-0000-7000-8000-000000000002";
    cancel.seq = 2;
    cancel.kind = "cancel";
    cancel.registrationId = kReg;
    PushRequest push{kKiosk, {cancel}};
    json first = json::parse(processPush(*conn, {kKiosk, "hall"}, push, {}, kNow + 120));
    json replay = json::parse(processPush(*conn, {kKiosk, "hall"}, push, {}, kNow + 180));
    CHECK(first["results"][0]["result"] == "applied");
    CHECK(first["results"][0]["registration"]["status"] == "cancelled");
    CHECK(replay["results"][0]["result"] == "duplicate");
    CHECK(replay["results"][0]["original_result"] == "applied");
    CHECK(replay["results"][0]["registration"] == first["results"][0]["registration"]);
    CHECK(scalarOf(*conn, "SELECT taken || ' ' || waitlisted FROM session WHERE id = 'round1'") ==
          "0 0");

    // Tombstones are still found and purged through the narrowed index.
    SqlTransaction tx(*conn, TxKind::Write);
    CHECK(purgeTombstones(*conn, kNow + 1) == 1);
    tx.commit();
    CHECK(scalarOf(*conn, "SELECT count(*) FROM change_log WHERE op = 'delete'") == "0");

    // v3: op ids are no longer indexed by age; the purge scans, at most once an hour.
    CHECK(scalarOf(*conn, conn->backendName() == "sqlite"
                              ? "SELECT count(*) FROM sqlite_master WHERE name = 'applied_op_age'"
                              : "SELECT count(*) FROM pg_indexes WHERE indexname = "
                                "'applied_op_age'") == "0");
    auto purge = [&](Timestamp before) {
        SqlTransaction purging(*conn, TxKind::Write);
        std::int64_t n = purgeAppliedOps(*conn, before);
        purging.commit();
        return n;
    };
    auto ops = [&] { return scalarOf(*conn, "SELECT count(*) FROM applied_op"); };
    REQUIRE(ops() == "2");          // received at kNow (v1) and kNow + 120 (the cancel)
    CHECK(purge(kNow + 60) == 1);   // the v1 op id only
    CHECK(purge(kNow + 600) == 0);  // the cancel's is old now, but the last scan is recent
    CHECK(ops() == "1");
    CHECK(purge(kNow + 60 + 3600) == 1);  // an hour later: scanned again
    CHECK(ops() == "0");

    // v4: on SQLite the registration table has rowids again (its indexes and the copied row
    // are checked above); on both, the status check and the session reference still hold.
    if (conn->backendName() == "sqlite") {
        CHECK(scalarOf(*conn,
                       "SELECT sql LIKE '%WITHOUT ROWID%' FROM sqlite_master "
                       "WHERE name = 'registration'") == "0");
        CHECK(scalarOf(*conn,
                       "SELECT group_concat(name, ' ') FROM (SELECT name FROM sqlite_master WHERE "
                       "tbl_name = 'registration' AND type = 'index' AND sql IS NOT NULL "
                       "ORDER BY name)") == "registration_person registration_session");
    }
    auto insertRegistration = [&](const std::string& id, const std::string& session,
                                  const std::string& status) {
        SqlTransaction writing(*conn, TxKind::Write);
        conn->query(
            "INSERT INTO registration(id, session_id, kiosk_id, arrival, created_at, "
            "received_at, updated_at, name, phone, code, person_key, status, local_status) "
            "VALUES ($1, $2, $3, 9, $4, $4, $4, 'Brahim', '+212600000002', 'ABC123', "
            "'+212600000002|brahim', $5, 'confirmed')",
            {id, session, kKiosk, kNow, status});
        writing.commit();
    };
    CHECK_THROWS_AS(insertRegistration("0190b000-0000-7000-8000-000000000002", "round1", "maybe"),
                    SqlError);
    CHECK_THROWS_AS(
        insertRegistration("0190b000-0000-7000-8000-000000000003", "no-such-session", "confirmed"),
        SqlError);
    int n = 0;
    for (const char* status : {"confirmed", "waitlisted", "cancelled", "attended"})
        CHECK_NOTHROW(insertRegistration(
            fmt::format("0190b000-0000-7000-8000-1000000000{:02d}", ++n), "round1", status));
    CHECK(scalarOf(*conn, "SELECT count(*) FROM registration") == "5");
}

}  // namespace

TEST_CASE("server schema [sqlite]: a v1 city database upgrades in place and keeps its data") {
    test::withSqliteBackend(upgradesInPlace);
}

TEST_CASE("server schema [postgres]: a v1 city database upgrades in place and keeps its data") {
    test::withPostgresBackend(upgradesInPlace);
}
