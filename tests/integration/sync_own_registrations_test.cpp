// tests/integration/sync_own_registrations_test.cpp - a kiosk's own registrations after its push,
// against a real fadaa-server: a new registration told in the push answer is not logged again,
// a later change (a promotion, a central cancellation) reaches the kiosk on its next pull, a
// snapshot (in pages of any size) brings every registration of the kiosk as the server holds
// it and none of another kiosk's. Each on SQLite and PostgreSQL.
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

std::vector<std::string> authHeaders(TestKiosk& k) {
    return {"Authorization: Bearer " + *syncStateGet(k.db(), "kiosk_token"),
            fmt::format("{}: {}", wire::kSchemaHeader, currentSchemaVersion())};
}

// Every change a kiosk gets pulling from `since` to the end, in pages of `limit`.
std::vector<json> pullAll(TestServer& server, TestKiosk& k, std::string since, int limit) {
    std::vector<json> out;
    for (int page = 0; page < 200; ++page) {
        HttpReply r =
            server.request("GET", fmt::format("/v1/sync/pull?since={}&limit={}", since, limit), "",
                           authHeaders(k));
        REQUIRE(r.status == 200);
        json body = r.json();
        for (const json& c : body["changes"]) out.push_back(c);
        if (!body["has_more"].get<bool>()) return out;
        REQUIRE(body["next_cursor"] != since);
        since = body["next_cursor"].get<std::string>();
    }
    FAIL("the pull did not end");
    return out;
}

std::map<std::string, std::string> registrationStates(const std::vector<json>& changes) {
    std::map<std::string, std::string> out;
    for (const json& c : changes)
        if (c["entity"] == "registration") out[c["id"]] = c["data"]["status"];
    return out;
}

void ownRegistrations(ProtocolBackend backend) {
    // No leases: every registration is provisional, decided by the server in arrival order.
    Setup setup(backend, {"a", "b"}, {"--lease-max-seats", "0"});
    TestServer& server = setup.server;
    TestKiosk &a = setup.kiosk("a"), &b = setup.kiosk("b");
    std::vector<Registration> atA;
    for (int i = 0; i < 5; ++i) atA.push_back(a.registerPerson("small", i));
    Registration atB = b.registerPerson("small", 10);
    REQUIRE(a.sync().ok);
    REQUIRE(b.sync().ok);
    for (int i = 0; i < 3; ++i) CHECK(a.status(atA[i].id) == "confirmed");
    CHECK(a.waitlistPosition(atA[3].id) == 1);
    CHECK(a.waitlistPosition(atA[4].id) == 2);
    CHECK(b.waitlistPosition(atB.id) == 3);
    // Each kiosk got its registrations' states in its push answer, and none changed since:
    // nothing about them is in the log.
    CHECK(server.count("SELECT count(*) FROM change_log WHERE entity = 'registration'") == 0);

    // A central cancellation promotes a's first waiting person and moves everyone up: a and
    // b learn it on their next pull.
    server.admin("POST", "/v1/admin/registrations/" + atA[0].id + "/cancel");
    REQUIRE(a.sync().ok);
    REQUIRE(b.sync().ok);
    CHECK(a.status(atA[0].id) == "cancelled");
    CHECK(a.status(atA[3].id) == "confirmed");
    CHECK(a.waitlistPosition(atA[4].id) == 1);
    CHECK(b.waitlistPosition(atB.id) == 2);
    // a cancels a confirmed one itself: that promotes a's last waiting person; b moves up too.
    REQUIRE(a.cancel(atA[1]));
    REQUIRE(a.sync().ok);
    REQUIRE(b.sync().ok);
    CHECK(a.status(atA[1].id) == "cancelled");
    CHECK(a.status(atA[4].id) == "confirmed");
    CHECK(b.waitlistPosition(atB.id) == 1);

    // A snapshot (in pages of two, so the catalogue and the registrations each take several)
    // brings every one of a's registrations as the server holds it, even one never logged
    // (atA[2]), and none of b's.
    std::vector<json> snapshot = pullAll(server, a, "", 2);
    std::map<std::string, std::string> states = registrationStates(snapshot);
    CHECK(states == std::map<std::string, std::string>{{atA[0].id, "cancelled"},
                                                       {atA[1].id, "cancelled"},
                                                       {atA[2].id, "confirmed"},
                                                       {atA[3].id, "confirmed"},
                                                       {atA[4].id, "confirmed"}});
    CHECK(registrationStates(pullAll(server, b, "", 1000)) ==
          std::map<std::string, std::string>{{atB.id, "waitlisted"}});
    size_t sessions = 0;
    for (const json& c : snapshot) sessions += c["entity"] == "session" ? 1 : 0;
    CHECK(sessions >= 4);  // the whole catalogue came first

    // The kiosk's own snapshot repairs a status lost locally, in small pages too, and the
    // sync after it pulls nothing new.
    a.db().exec(
        fmt::format("UPDATE registration SET status = 'provisional' WHERE id = '{}'", atA[2].id));
    a.db().exec(fmt::format("UPDATE registration SET waitlist_pos = 9 WHERE id = '{}'", atA[4].id));
    beginSnapshot(a.db());
    SyncOptions small;
    small.pullPage = 3;
    SyncReport r = a.sync(small);
    INFO(r.error);
    REQUIRE(r.ok);
    CHECK(r.snapshot);
    CHECK(a.status(atA[2].id) == "confirmed");
    CHECK(a.waitlistPosition(atA[4].id) == std::nullopt);
    CHECK(a.count("SELECT count(*) FROM registration") == 5);
    CHECK(a.count("SELECT count(*) FROM session") == 4);
    SyncReport quiet = a.sync();
    REQUIRE(quiet.ok);
    CHECK_FALSE(quiet.snapshot);
    CHECK(quiet.pulled == 0);

    // After the snapshot, changes reach both kiosks incrementally again.
    Registration late = b.registerPerson("small", 11);
    REQUIRE(b.sync().ok);
    CHECK(b.waitlistPosition(late.id) == 2);
    REQUIRE(a.cancel(atA[2]));
    REQUIRE(a.sync().ok);
    REQUIRE(b.sync().ok);
    CHECK(b.status(atB.id) == "confirmed");
    CHECK(b.waitlistPosition(late.id) == 1);
    server.admin("POST", "/v1/admin/registrations/" + atA[3].id + "/cancel");
    REQUIRE(a.sync().ok);
    REQUIRE(b.sync().ok);
    CHECK(a.status(atA[3].id) == "cancelled");
    CHECK(b.status(late.id) == "confirmed");

    // A cursor this server never gave out is refused.
    std::string cursor = *syncStateGet(a.db(), "cursor");
    for (const std::string& bad : {cursor + ".x", cursor + ".", cursor + ".s1"}) {
        HttpReply refused =
            server.request("GET", "/v1/sync/pull?since=" + bad + "&limit=10", "", authHeaders(a));
        INFO(bad);
        CHECK(refused.status == 400);
    }
    checkSeatCounts(setup.server);
}
PROTOCOL_TEST(
    "a kiosk's own registrations: told in the push answer, pulled when they change, all in a "
    "snapshot",
    ownRegistrations)

}  // namespace
