// tests/integration/sync_ordered_push_test.cpp - two pushes at the server at once: the ordered
// route (POST /v1/sync/push/ordered?after=OP) decides a push only after the op it names, and
// refuses it (409 out_of_order, nothing applied) when that op is not decided and no other push
// of the kiosk is in the server. The kiosk falls back to one batch at a time and loses nothing.
// On SQLite and PostgreSQL.
#include <fmt/format.h>

#include <catch2/catch.hpp>
#include <future>

#include "protocol_fixture.hpp"
#include "seat_counts.hpp"
#include "store/migrations.hpp"
#include "sync/sync_apply.hpp"
#include "sync/sync_client.hpp"
#include "sync/wire.hpp"

using namespace fadaa;
using namespace fadaa::test;
using nlohmann::json;

namespace {

SyncOptions noLeases(int pushBatch = 1000) {
    SyncOptions o;
    o.leases = false;  // every registration provisional: the server decides each one
    o.pushBatch = pushBatch;
    return o;
}

// A kiosk's pending ops as raw push requests.
struct RawPush {
    std::string kioskId, auth, schema;
    std::vector<OutboxOp> ops;
    // The body of a push of ops [from, to).
    std::string body(size_t from, size_t to) const {
        json b = {{"kiosk_id", kioskId}, {"ops", json::array()}};
        for (size_t i = from; i < to; ++i) b["ops"].push_back(opToWire(ops[i]));
        return b.dump();
    }
    HttpReply post(TestServer& server, const std::string& path, const std::string& body) const {
        return server.request("POST", path, body, {auth, schema});
    }
};

// `people` registered for `session` at kiosk k, their ops not pushed yet.
RawPush registered(TestKiosk& k, const std::string& session, int people) {
    for (int i = 0; i < people; ++i) k.registerPerson(session, i);
    RawPush push{*syncStateGet(k.db(), "kiosk_id"),
                 "Authorization: Bearer " + *syncStateGet(k.db(), "kiosk_token"),
                 fmt::format("{}: {}", wire::kSchemaHeader, currentSchemaVersion()),
                 pendingOutbox(k.db(), 100)};
    REQUIRE(push.ops.size() == static_cast<size_t>(people));
    return push;
}

std::string registrationOf(const OutboxOp& op) {
    return op.payload.at("registration_id").get<std::string>();
}

std::string orderedPath(const std::string& after) {
    return fmt::format("{}?after={}", wire::kOrderedPushPath, after);
}

void orderedRoute(ProtocolBackend backend) {
    Setup setup(backend, {"a"}, {}, noLeases());
    TestServer& server = setup.server;
    TestKiosk& a = setup.kiosk("a");
    RawPush push = registered(a, "workshop", 4);
    const std::string first = push.body(0, 2), second = push.body(2, 4);

    // Named op never decided, no other push of this kiosk in the server: refused at once,
    // nothing applied.
    HttpReply early = push.post(server, orderedPath(push.ops[1].opId), second);
    CHECK(early.status == 409);
    CHECK(early.json().value("error", "") == "out_of_order");
    CHECK(server.count("SELECT count(*) FROM applied_op") == 0);
    CHECK(server.count("SELECT count(*) FROM registration") == 0);

    // A bad `after` is a bad request.
    CHECK(push.post(server, orderedPath("not-an-op"), second).status == 400);
    CHECK(push.post(server, std::string(wire::kOrderedPushPath), second).status == 400);

    // Once the first push is decided, the second is taken, and decided after it.
    REQUIRE(push.post(server, std::string(wire::kPushPath), first).status == 200);
    HttpReply later = push.post(server, orderedPath(push.ops[1].opId), second);
    CHECK(later.status == 200);
    CHECK(server.count("SELECT count(*) FROM applied_op") == 4);
    for (size_t i = 0; i + 1 < push.ops.size(); ++i)
        CHECK(server.count(fmt::format(
                  "SELECT count(*) FROM registration r1, registration r2 WHERE r1.id = '{}' AND "
                  "r2.id = '{}' AND r1.arrival < r2.arrival",
                  registrationOf(push.ops[i]), registrationOf(push.ops[i + 1]))) == 1);
    // The kiosk, which never read those answers, pushes the four again: all duplicates.
    SyncReport r = a.sync(noLeases());
    REQUIRE(r.ok);
    CHECK(r.duplicates == 4);
    CHECK(a.pending() == 0);
    CHECK(server.count("SELECT count(*) FROM applied_op") == 4);
    checkSeatCounts(setup.server);
}
PROTOCOL_TEST("an ordered push is decided only after the op it names", orderedRoute)

// The second push of a pair reaches the server first: it waits for the first, then both are
// decided in the kiosk's order.
void orderedWaits(ProtocolBackend backend) {
    Setup setup(backend, {"a"}, {}, noLeases());
    TestServer& server = setup.server;
    TestKiosk& a = setup.kiosk("a");
    // "small" has 3 seats: who is confirmed says which push was decided first.
    RawPush push = registered(a, "small", 6);
    const std::string first = push.body(0, 3), second = push.body(3, 6);
    // The ordered (second) push leaves first; the first push leaves a moment later.
    auto secondReply = std::async(std::launch::async, [&] {
        return push.post(server, orderedPath(push.ops[2].opId), second);
    });
    // Whichever way the race goes, the second push is either decided after the first (it
    // waited: the first was in the server) or refused whole (it found itself alone).
    HttpReply firstReply = push.post(server, std::string(wire::kPushPath), first);
    HttpReply secondDone = secondReply.get();
    REQUIRE(firstReply.status == 200);
    REQUIRE((secondDone.status == 200 || secondDone.status == 409));
    if (secondDone.status == 409) {
        CHECK(server.count("SELECT count(*) FROM applied_op") == 3);
        REQUIRE(push.post(server, orderedPath(push.ops[2].opId), second).status == 200);
    }
    CHECK(server.count("SELECT count(*) FROM applied_op") == 6);
    for (int i = 0; i < 3; ++i)
        CHECK(server.count("SELECT count(*) FROM registration WHERE id = '" +
                           registrationOf(push.ops[static_cast<size_t>(i)]) +
                           "' AND status = 'confirmed'") == 1);
    for (int i = 3; i < 6; ++i)
        CHECK(server.count("SELECT count(*) FROM registration WHERE id = '" +
                           registrationOf(push.ops[static_cast<size_t>(i)]) +
                           "' AND status = 'waitlisted'") == 1);
}
PROTOCOL_TEST("an ordered push that arrives first waits for the one before", orderedWaits)

// One batch at a time and two at once end in the same state, op for op.
void pipelinedEqualsSequential(ProtocolBackend backend) {
    Setup setup(backend, {"one", "two"}, {}, noLeases());
    TestServer& server = setup.server;
    std::map<std::string, std::vector<Registration>> people;
    for (const char* name : {"one", "two"}) {
        TestKiosk& k = setup.kiosk(name);
        // Distinct people per kiosk (the person key would merge equal ones).
        int base = std::string(name) == "one" ? 0 : 100;
        for (int i = 0; i < 9; ++i) people[name].push_back(k.registerPerson("small", base + i));
        REQUIRE(k.cancel(people[name][1]));
    }
    SyncOptions sequential = noLeases(2);
    sequential.pipelinePushes = false;
    SyncOptions pipelined = noLeases(2);
    SyncReport one = setup.kiosk("one").sync(sequential);
    REQUIRE(one.ok);
    SyncReport two = setup.kiosk("two").sync(pipelined);
    REQUIRE(two.ok);
    CHECK(one.pushed == 10);
    CHECK(two.pushed == 10);
    CHECK(server.count("SELECT count(*) FROM applied_op") == 20);
    // Same positions on both: each kiosk's people were decided in the order it registered
    // them. "small" has 3 seats: kiosk one took them (its 0 and 2 confirmed, 1 cancelled, 3
    // promoted; 4-8 wait at 1-5); kiosk two's nine all wait, its cancelled one dropped.
    for (const char* name : {"one", "two"}) {
        INFO(name);
        TestKiosk& k = setup.kiosk(name);
        REQUIRE(k.sync(noLeases()).ok);
        for (const Registration& p : people[name])
            CHECK(server.count("SELECT count(*) FROM registration WHERE id = '" + p.id +
                               "' AND status = '" + k.status(p.id) + "'") == 1);
    }
    std::vector<int> waiting;
    for (const Registration& p : people["two"])
        if (auto pos = setup.kiosk("two").waitlistPosition(p.id)) waiting.push_back(*pos);
    CHECK(waiting == std::vector<int>{6, 7, 8, 9, 10, 11, 12, 13});
    checkSeatCounts(setup.server);
}
PROTOCOL_TEST("pushing two batches at once decides exactly as one at a time",
              pipelinedEqualsSequential)

}  // namespace
