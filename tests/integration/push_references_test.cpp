// tests/integration/push_references_test.cpp - a push writes its registrations in a
// TxKind::WriteRefsVerified transaction (on SQLite, without foreign-key checks: the seat ledger
// has loaded every session it writes a registration for). Everything else keeps the checks: on
// the same connection, after pushes that succeeded and after one that failed inside its
// transaction, a registration naming no session is refused and a session with registrations
// cannot be deleted. A push naming an unknown session is rejected, never written. On SQLite and
// PostgreSQL.
#include <catch2/catch.hpp>

#include <fmt/format.h>

#include <functional>

#include "protocol_fixture.hpp"
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
constexpr Timestamp kNow = 1764950000;

void seed(SqlConnection& conn) {
    SqlTransaction tx(conn, TxKind::Write);
    test::seedChessRound(conn, kKiosk, kNow);
    tx.commit();
}

// A register op for person n of `session`.
PushOp registerOp(int n, const std::string& session) {
    PushOp op;
    op.opId = fmt::format("0190a000-0000-7000-8000-{:012d}", n);
    op.seq = n;
    op.kind = "register";
    op.createdAt = kNow;
    RegisterIntent& r = op.reg;
    r.registrationId = fmt::format("0190b000-0000-7000-8000-{:012d}", n);
    r.sessionId = session;
    r.code = "7KQ2MX";
    r.name = test::testName(n);
    r.phone = test::testPhone(n);
    r.personKey = fmt::format("{}|person {}", r.phone, n);
    r.localStatus = "provisional";
    r.answers = "{}";
    op.registrationId = r.registrationId;
    return op;
}

json push(SqlConnection& conn, std::vector<PushOp> ops) {
    return json::parse(
        processPush(conn, {kKiosk, "hall"}, PushRequest{kKiosk, std::move(ops)}, {}, kNow + 60));
}

long long count(SqlConnection& conn, const std::string& sql) {
    return std::stoll(conn.scalar(sql).value_or("-1"));
}

// Runs `statement` in its own transaction of `kind`, committing it; true if it succeeded.
bool runs(SqlConnection& conn, TxKind kind, const std::string& statement) {
    try {
        SqlTransaction tx(conn, kind);
        conn.query(statement);
        tx.commit();
        return true;
    } catch (const SqlError&) {
        return false;
    }
}

const std::string kOrphan =
    "INSERT INTO registration(id, session_id, kiosk_id, arrival, created_at, received_at, "
    "updated_at, name, phone, code, person_key, status, local_status) VALUES "
    "('0190b000-0000-7000-8000-999999999999', 'no-such-session', 'k', 99, 1, 1, 1, 'x', '+2', "
    "'ABC', 'x', 'confirmed', 'confirmed')";
const std::string kDeleteSession = "DELETE FROM session WHERE id = 'round1'";

// The references hold outside the push, on this very connection.
void referencesChecked(SqlConnection& conn) {
    CHECK_FALSE(runs(conn, TxKind::Write, kOrphan));
    CHECK_FALSE(runs(conn, TxKind::Write, kDeleteSession));
    CHECK(count(conn, "SELECT count(*) FROM session WHERE id = 'round1'") == 1);
    CHECK(count(conn, "SELECT count(*) FROM registration WHERE session_id = 'no-such-session'") ==
          0);
}

void pushesKeepReferencesChecked(SqlBackend& backend) {
    auto conn = backend.acquire();
    migrateServerSchema(*conn);
    seed(*conn);

    json first = push(*conn, {registerOp(1, "round1"), registerOp(2, "no-such-session")});
    REQUIRE(first["results"].size() == 2);
    CHECK(first["results"][0]["result"] == "remapped");  // provisional -> confirmed
    CHECK(first["results"][0]["reason"] == "confirmed");
    CHECK(first["results"][1]["result"] == "rejected");
    CHECK(first["results"][1]["reason"] == "unknown_session");
    CHECK(count(*conn, "SELECT count(*) FROM registration") == 1);
    referencesChecked(*conn);

    if (conn->backendName() == "sqlite") {
        // The push's kind of transaction really skips the check (so the test above is not
        // vacuous); rolled back here, and the next Write checks again.
        {
            SqlTransaction tx(*conn, TxKind::WriteRefsVerified);
            CHECK_NOTHROW(conn->query(kOrphan));
        }
        referencesChecked(*conn);
    }

    // A push that fails inside its transaction (a fault injected into applied_op) writes
    // nothing, and leaves the connection checking references.
    conn->execScript(conn->backendName() == "sqlite"
                         ? "CREATE TRIGGER refuse_ops BEFORE INSERT ON applied_op "
                           "BEGIN SELECT RAISE(ABORT, 'injected fault'); END"
                         : "CREATE FUNCTION refuse_ops() RETURNS trigger LANGUAGE plpgsql AS "
                           "$$ BEGIN RAISE EXCEPTION 'injected fault'; END $$; "
                           "CREATE TRIGGER refuse_ops BEFORE INSERT ON applied_op "
                           "FOR EACH ROW EXECUTE FUNCTION refuse_ops()");
    CHECK_THROWS_AS(push(*conn, {registerOp(3, "round1")}), SqlError);
    CHECK(conn->healthy());
    CHECK(count(*conn, "SELECT count(*) FROM registration") == 1);
    referencesChecked(*conn);

    conn->execScript("DROP TRIGGER refuse_ops" +
                     std::string(conn->backendName() == "sqlite" ? "" : " ON applied_op"));
    json again = push(*conn, {registerOp(3, "round1")});
    CHECK(again["results"][0]["result"] == "remapped");
    CHECK(count(*conn, "SELECT count(*) FROM registration") == 2);
    referencesChecked(*conn);
}

}  // namespace

TEST_CASE("push references [sqlite]: only the push skips foreign-key checks, even after failing") {
    test::withSqliteBackend(pushesKeepReferencesChecked);
}

TEST_CASE("push references [postgres]: pushes leave foreign-key checks on, even after failing") {
    test::withPostgresBackend(pushesKeepReferencesChecked);
}
