// tests/integration/sync_pipeline_test.cpp - the pipelined sync against a real fadaa-server:
// push batches sent while the previous batch's results are written, pull pages fetched while the
// previous page is applied. Small batches and pages make many of each; the end state must be
// what one request at a time gives: every op decided once, in seq order, the kiosk agreeing with
// the server. On SQLite and PostgreSQL.
#include <catch2/catch.hpp>

#include "protocol_fixture.hpp"
#include "seat_counts.hpp"

using namespace fadaa;
using namespace fadaa::test;

namespace {

SyncOptions smallSteps() {
    SyncOptions o;
    o.pushBatch = 2;  // 8 ops: four requests
    o.pullPage = 2;
    o.leases = false;  // every registration provisional: the server decides each one
    return o;
}

void pipelinedPush(ProtocolBackend backend) {
    Setup setup(backend, {"a"}, {}, smallSteps());
    TestServer& server = setup.server;
    TestKiosk& a = setup.kiosk("a");
    // "small" has 3 seats. Seven people, then the first cancels: the cancel is in the last
    // batch, its registration in the first, and it promotes the first person waiting.
    std::vector<Registration> people;
    for (int i = 0; i < 7; ++i) people.push_back(a.registerPerson("small", i));
    REQUIRE(a.cancel(people[0]));
    REQUIRE(a.pending() == 8);

    SyncReport r = a.sync(smallSteps());
    INFO(r.error);
    REQUIRE(r.ok);
    CHECK(r.pushed == 8);
    CHECK(r.pending == 0);
    CHECK(r.rejected == 0);
    CHECK(r.pages >= 2);  // the promotion and renumbered waitlist arrive by pull, page by page
    CHECK(server.count("SELECT count(*) FROM registration") == 7);
    CHECK(server.count("SELECT count(*) FROM applied_op") == 8);
    // Decided in arrival order: 1 and 2 confirmed, 3 promoted from the waitlist by the cancel.
    CHECK(a.status(people[0].id) == "cancelled");
    for (int i : {1, 2, 3}) CHECK(a.status(people[i].id) == "confirmed");
    for (int i : {4, 5, 6}) {
        CHECK(a.status(people[i].id) == "waitlisted");
        CHECK(a.waitlistPosition(people[i].id) == i - 3);
    }
    // The kiosk and the server agree on every registration.
    for (const Registration& p : people)
        CHECK(server.count("SELECT count(*) FROM registration WHERE id = '" + p.id +
                           "' AND status = '" + a.status(p.id) + "'") == 1);
    // Nothing is pushed twice, and the next sync has nothing to do.
    SyncReport again = a.sync(smallSteps());
    REQUIRE(again.ok);
    CHECK(again.pushed == 0);
    CHECK(again.pulled == 0);
    CHECK(server.count("SELECT count(*) FROM applied_op") == 8);
    checkSeatCounts(setup.server);
}
PROTOCOL_TEST("a push in many pipelined batches decides every op once, in seq order", pipelinedPush)

void prefetchedPull(ProtocolBackend backend) {
    Setup setup(backend, {"a"}, {}, smallSteps());
    TestKiosk& a = setup.kiosk("a");
    // The first sync (pages of 2, each fetched while the one before was applied) brought the
    // whole catalogue: every session and its counts.
    CHECK(a.count("SELECT count(*) FROM session") == 4);
    CHECK(a.count("SELECT count(*) FROM session_counts") == 4);
    CHECK(a.count("SELECT count(*) FROM sync_seen") == 0);  // the snapshot finished
    // A central edit is pulled on the next sync, then nothing.
    setup.server.admin("POST", "/v1/admin/sessions/small/cancel");
    SyncReport r = a.sync(smallSteps());
    REQUIRE(r.ok);
    CHECK(r.pulled >= 1);
    CHECK(a.count("SELECT count(*) FROM session WHERE id = 'small' AND status = 'cancelled'") == 1);
    SyncReport quiet = a.sync(smallSteps());
    REQUIRE(quiet.ok);
    CHECK(quiet.pulled == 0);
    // An event edited after its sessions comes last in the log: a new kiosk's pages of two
    // bring it (and its category and organizer) ahead, with the first of its sessions.
    setup.server.admin("PUT", "/v1/admin/events/chess-open",
                       {{"id", "chess-open"},
                        {"category_id", "chess"},
                        {"organizer_id", "club"},
                        {"title", {{"fr", "Open d'échecs 2"}}}});
    TestKiosk b(setup.dir.path(), "b");
    b.enrol(setup.server);
    SyncReport first = b.sync(smallSteps());
    INFO(first.error);
    REQUIRE(first.ok);
    CHECK(b.count("SELECT count(*) FROM session") == 4);
    CHECK(b.count("SELECT count(*) FROM event WHERE title LIKE '%chec%2%'") == 1);
}
PROTOCOL_TEST("pull pages fetched ahead are applied in order, each with its cursor", prefetchedPull)

}  // namespace

// A sync commits push results and pull pages without waiting for the disk (the server can give
// them again), then gives the connection its own durability back, whether it succeeded or not:
// registrations made on the kiosk afterwards are synced to disk as before.
void durabilityRestored(ProtocolBackend backend) {
    Setup setup(backend, {"a"}, {}, smallSteps());
    TestKiosk& a = setup.kiosk("a");
    auto synchronous = [&] { return a.count("PRAGMA synchronous"); };
    REQUIRE(synchronous() == 2);  // FULL, the Database default
    for (int i = 0; i < 3; ++i) a.registerPerson("small", i);
    SyncReport ok = a.sync(smallSteps());
    REQUIRE(ok.ok);
    CHECK(ok.pushed == 3);
    CHECK(synchronous() == 2);
    a.db().exec("PRAGMA synchronous=EXTRA");  // any level the connection had is kept
    a.registerPerson("small", 3);
    setup.server.stop();
    SyncReport failed = a.sync(smallSteps());
    CHECK_FALSE(failed.ok);
    CHECK(failed.pending == 1);
    CHECK(synchronous() == 3);
}
PROTOCOL_TEST("a sync gives the kiosk's store its own durability back", durabilityRestored)
