// tests/integration/sync_protocol_test.cpp - the sync protocol against a real fadaa-server
// process: enrolment, push and pull, duplicates, rejected ops, seat leases and provisional
// registrations, promotion after a cancellation seen by every kiosk. Each on SQLite and
// PostgreSQL.
#include <fmt/format.h>

#include <catch2/catch.hpp>

#include "protocol_fixture.hpp"
#include "seat_counts.hpp"
#include "store/migrations.hpp"
#include "sync/sync_apply.hpp"
#include "sync/wire.hpp"

using namespace fadaa;
using namespace fadaa::test;
using nlohmann::json;

namespace {

void enrolAndFirstSync(ProtocolBackend backend) {
    TempDir dir;
    TestServer server(dir / "server", backend);
    server.start();
    server.loadTestCatalogue();
    TestKiosk kiosk(dir.path(), "kiosk-a");
    std::string code = server.addKiosk("kiosk-a");
    EnrolResult ok = SyncClient::enrol(kiosk.db(), server.url(), code);
    REQUIRE(ok.ok);
    CHECK(isEnrolled(kiosk.db()));
    CHECK(syncStateGet(kiosk.db(), "kiosk_id") == ok.kioskId);

    // A code works once.
    TestKiosk other(dir.path(), "kiosk-b");
    EnrolResult again = SyncClient::enrol(other.db(), server.url(), code);
    CHECK_FALSE(again.ok);
    CHECK_THAT(again.error, Catch::Contains("already used"));
    CHECK_FALSE(isEnrolled(other.db()));

    kiosk.serverUrl = server.url();
    SyncReport r = kiosk.sync();
    INFO(r.error);
    REQUIRE(r.ok);
    CHECK(r.snapshot);  // the first pull replaces the local catalogue
    CHECK(kiosk.count("SELECT count(*) FROM session") == 4);
    CHECK(kiosk.count("SELECT count(*) FROM event") == 2);
    CHECK(kiosk.count("SELECT count(*) FROM session_counts WHERE taken = 0") == 4);
    // Leases for the limited, open sessions; none for the closed or unlimited ones.
    CHECK(kiosk.count("SELECT count(*) FROM seat_lease") == 2);
    CHECK(kiosk.count(
              "SELECT count(*) FROM seat_lease WHERE session_id IN ('closed','workshop')") == 0);
    CHECK(r.leases == 2);

    // The next sync pulls the seat counts its own leases changed; after that, nothing.
    SyncReport next = kiosk.sync();
    REQUIRE(next.ok);
    CHECK_FALSE(next.snapshot);
    CHECK(next.pulled == 2);
    SyncReport quiet = kiosk.sync();
    REQUIRE(quiet.ok);
    CHECK(quiet.pulled == 0);
}
PROTOCOL_TEST("enrolment with a one-time code, then the first sync brings the catalogue and leases",
              enrolAndFirstSync)

void pushAndPull(ProtocolBackend backend) {
    Setup setup(backend, {"a", "b"});
    TestServer& server = setup.server;
    TestKiosk& a = setup.kiosk("a");
    TestKiosk& b = setup.kiosk("b");

    std::vector<Registration> made;
    for (int i = 0; i < 5; ++i) made.push_back(a.registerPerson("workshop", i));
    Registration chess = a.registerPerson("chess", 100);
    CHECK(chess.status == RegistrationStatus::Confirmed);  // from the lease
    CHECK(a.pending() == 6);
    SyncReport r = a.sync();
    REQUIRE(r.ok);
    CHECK(r.pushed == 6);
    // One confirmed from the lease; five confirmed at once, as no limit means no seat to
    // overbook: the server agrees with all six.
    CHECK(r.applied == 6);
    CHECK(r.remapped == 0);
    for (const auto& m : made) {
        CHECK(m.status == RegistrationStatus::Confirmed);
        CHECK(a.status(m.id) == "confirmed");
    }
    CHECK(a.pending() == 0);
    CHECK(server.count("SELECT count(*) FROM registration") == 6);
    CHECK(server.count("SELECT count(*) FROM registration WHERE status = 'confirmed'") == 6);
    CHECK(server.count("SELECT count(*) FROM registration WHERE name = 'Test Person 3' "
                       "AND phone = '+212661000003'") == 1);

    // B learns the counts (not the people).
    REQUIRE(b.sync().ok);
    CHECK(b.count("SELECT taken FROM session_counts WHERE session_id = 'workshop'") == 5);
    CHECK(b.count("SELECT taken FROM session_counts WHERE session_id = 'chess'") == 1);
    CHECK(b.count("SELECT count(*) FROM registration") == 0);
    checkSeatCounts(setup.server);
}
PROTOCOL_TEST("push applies each registration once and pull brings other kiosks' counts",
              pushAndPull)

void duplicates(ProtocolBackend backend) {
    Setup setup(backend, {"a"});
    TestServer& server = setup.server;
    TestKiosk& a = setup.kiosk("a");
    for (int i = 0; i < 3; ++i) a.registerPerson("workshop", i);
    // The push reaches the server, but its answer is lost: send the same body twice by hand.
    std::vector<OutboxOp> ops = pendingOutbox(a.db(), 100);
    json body = {{"kiosk_id", *syncStateGet(a.db(), "kiosk_id")}, {"ops", json::array()}};
    for (const auto& op : ops) body["ops"].push_back(opToWire(op));
    std::vector<std::string> headers = {
        "Authorization: Bearer " + *syncStateGet(a.db(), "kiosk_token"),
        fmt::format("{}: {}", wire::kSchemaHeader, currentSchemaVersion())};
    HttpReply first = server.request("POST", "/v1/sync/push", body.dump(), headers);
    REQUIRE(first.status == 200);
    HttpReply second = server.request("POST", "/v1/sync/push", body.dump(), headers);
    REQUIRE(second.status == 200);
    const nlohmann::json secondAnswer = second.json();  // kept: the loop reads into it
    REQUIRE(secondAnswer["results"].size() == ops.size());
    for (const auto& result : secondAnswer["results"]) {
        CHECK(result["result"] == "duplicate");
        CHECK(result["original_result"] == "applied");
        CHECK(result["registration"]["status"] == "confirmed");
    }
    CHECK(server.count("SELECT count(*) FROM registration") == 3);
    // The kiosk itself re-pushes (its outbox still pending) and gets duplicates, applied once.
    SyncReport r = a.sync();
    REQUIRE(r.ok);
    CHECK(r.duplicates == 3);
    CHECK(a.pending() == 0);
    CHECK(server.count("SELECT count(*) FROM registration") == 3);
    CHECK(a.count("SELECT count(*) FROM outbox WHERE state = 'duplicate'") == 3);
    checkSeatCounts(setup.server);
}
PROTOCOL_TEST("a push repeated after a lost answer replays the stored results, nothing twice",
              duplicates)

void rejectedDoesNotBlock(ProtocolBackend backend) {
    Setup setup(backend, {"a"});
    TestServer& server = setup.server;
    TestKiosk& a = setup.kiosk("a");
    Registration before = a.registerPerson("workshop", 1);
    Registration doomed = a.registerPerson("small", 2);
    Registration after = a.registerPerson("workshop", 3);
    server.admin("POST", "/v1/admin/sessions/small/cancel");  // meanwhile, centrally
    SyncReport r = a.sync();
    REQUIRE(r.ok);
    CHECK(r.applied + r.remapped == 2);
    CHECK(r.rejected == 1);
    CHECK(a.pending() == 0);
    CHECK(a.status(before.id) == "confirmed");
    CHECK(a.status(after.id) == "confirmed");
    CHECK(a.status(doomed.id) == "cancelled");
    CHECK(a.count("SELECT count(*) FROM outbox WHERE state = 'rejected' "
                  "AND last_error LIKE 'session_cancelled%'") == 1);
    CHECK(a.count("SELECT count(*) FROM session WHERE id = 'small' AND status = 'cancelled'") == 1);
    CHECK(server.count("SELECT count(*) FROM registration") == 2);
    checkSeatCounts(setup.server);
}
PROTOCOL_TEST("a rejected op never blocks the ops behind it", rejectedDoesNotBlock)

void leasesAndProvisional(ProtocolBackend backend) {
    SyncOptions asked;
    asked.leaseSeats = 2;
    // "small" has 3 seats: a, syncing first, holds 2 of them; b gets the last one.
    Setup setup(backend, {"a", "b"}, {"--lease-max-seats", "2"}, asked);
    TestServer& server = setup.server;
    TestKiosk &a = setup.kiosk("a"), &b = setup.kiosk("b");
    CHECK(a.count("SELECT seats FROM seat_lease WHERE session_id = 'small'") == 2);
    CHECK(b.count("SELECT seats FROM seat_lease WHERE session_id = 'small'") == 1);
    json report = server.admin("GET", "/v1/admin/sessions/small");
    CHECK(report["leased"] == 3);

    // Offline, a confirms two from its lease, then records a third as provisional.
    Registration a1 = a.registerPerson("small", 1), a2 = a.registerPerson("small", 2),
                 a3 = a.registerPerson("small", 3);
    CHECK(a1.status == RegistrationStatus::Confirmed);
    CHECK(a2.status == RegistrationStatus::Confirmed);
    CHECK(a3.status == RegistrationStatus::Provisional);
    Registration b1 = b.registerPerson("small", 4), b2 = b.registerPerson("small", 5);
    CHECK(b1.status == RegistrationStatus::Confirmed);
    CHECK(b2.status == RegistrationStatus::Provisional);

    // b's provisional arrives first, but no seat is free outside the leases: waitlisted 1st.
    REQUIRE(b.sync(asked).ok);
    CHECK(b.status(b1.id) == "confirmed");
    CHECK(b.status(b2.id) == "waitlisted");
    REQUIRE(a.sync(asked).ok);
    CHECK(a.status(a1.id) == "confirmed");
    CHECK(a.status(a2.id) == "confirmed");
    CHECK(a.status(a3.id) == "waitlisted");
    report = server.admin("GET", "/v1/admin/sessions/small");
    CHECK(report["taken"] == 3);
    CHECK(report["leased"] == 0);
    CHECK(report["waitlisted"] == 2);
    CHECK(b.waitlistPosition(b2.id) == 1);
    REQUIRE(b.sync(asked).ok);
    CHECK(b.waitlistPosition(b2.id) == 1);
    CHECK(a.waitlistPosition(a3.id) == 2);  // the server's rank, not a local count
    // Leased + confirmed never exceeds capacity, at any moment we looked.
    CHECK(server.count("SELECT count(*) FROM registration WHERE session_id = 'small' "
                       "AND status = 'confirmed'") +
              server.count("SELECT coalesce(sum(seats - used), 0) FROM lease "
                           "WHERE session_id = 'small' AND released_at IS NULL") <=
          3);
    checkSeatCounts(setup.server);
}
PROTOCOL_TEST(
    "kiosks confirm only from leases and beyond them record provisional registrations decided in "
    "arrival order",
    leasesAndProvisional)

void promotionEverywhere(ProtocolBackend backend) {
    // No leases: every registration is provisional.
    Setup setup(backend, {"a", "b", "c"}, {"--lease-max-seats", "0"});
    TestServer& server = setup.server;
    TestKiosk &a = setup.kiosk("a"), &b = setup.kiosk("b"), &c = setup.kiosk("c");
    std::vector<Registration> atA;
    for (int i = 0; i < 3; ++i) atA.push_back(a.registerPerson("small", i));
    REQUIRE(a.sync().ok);
    for (const auto& r : atA) CHECK(a.status(r.id) == "confirmed");
    Registration waitingB = b.registerPerson("small", 10);
    Registration waitingC = c.registerPerson("small", 11);
    REQUIRE(b.sync().ok);
    REQUIRE(c.sync().ok);
    CHECK(b.status(waitingB.id) == "waitlisted");
    CHECK(c.status(waitingC.id) == "waitlisted");
    CHECK(c.waitlistPosition(waitingC.id) == 2);

    // A cancellation at kiosk a promotes b's person, and moves c's up.
    REQUIRE(a.cancel(atA[1]));
    REQUIRE(a.sync().ok);
    REQUIRE(b.sync().ok);
    REQUIRE(c.sync().ok);
    CHECK(b.status(waitingB.id) == "confirmed");
    CHECK(c.status(waitingC.id) == "waitlisted");
    CHECK(c.waitlistPosition(waitingC.id) == 1);
    CHECK(c.count("SELECT taken FROM session_counts WHERE session_id = 'small'") == 3);
    CHECK(c.count("SELECT waitlisted FROM session_counts WHERE session_id = 'small'") == 1);

    // A central cancellation (admin API) promotes c's person too.
    json cancelled = server.admin("POST", "/v1/admin/registrations/" + atA[0].id + "/cancel");
    CHECK(cancelled["status"] == "cancelled");
    REQUIRE(a.sync().ok);
    REQUIRE(c.sync().ok);
    CHECK(a.status(atA[0].id) == "cancelled");
    CHECK(c.status(waitingC.id) == "confirmed");
    CHECK(server.count("SELECT count(*) FROM registration WHERE session_id = 'small' "
                       "AND status = 'confirmed'") == 3);
    checkSeatCounts(setup.server);
}
PROTOCOL_TEST(
    "a cancellation anywhere promotes the next waitlisted person and every kiosk learns it",
    promotionEverywhere)

}  // namespace
