// tests/integration/sync_recovery_test.cpp - the slower paths of the protocol against a real
// server: a cursor past the tombstone retention (410, snapshot, the outbox replayed), central
// catalogue edits reaching kiosks, the nightly full sync (checksums and repair, personal-data
// purge, backup), and gzip answers. Each on SQLite and PostgreSQL.
#include <fmt/format.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <thread>

#include "protocol_fixture.hpp"
#include "seat_counts.hpp"
#include "store/migrations.hpp"
#include "sync/full_sync.hpp"
#include "sync/wire.hpp"
#include "util/time.hpp"

using namespace fadaa;
using namespace fadaa::test;
using nlohmann::json;
using namespace std::chrono_literals;

namespace {

json extraSession(const std::string& id, Timestamp starts, int capacity) {
    return {{"event_id", "robotics"},   {"venue_id", "hall"},   {"starts_at", starts},
            {"ends_at", starts + 3600}, {"capacity", capacity}, {"id", id}};
}

void expiredCursor(ProtocolBackend backend) {
    Setup setup(backend, {"a"}, {"--tombstone-retention-days", "1", "--sweep-seconds", "1"});
    TestServer& server = setup.server;
    TestKiosk& a = setup.kiosk("a");
    server.admin("PUT", "/v1/admin/sessions/temp", extraSession("temp", nowUtc() + 5 * 86400, 5));
    REQUIRE(a.sync().ok);
    REQUIRE(a.count("SELECT count(*) FROM session WHERE id = 'temp'") == 1);

    // Deleted centrally while the kiosk is away (cancelled first: that releases the kiosk's
    // lease on it); the kiosk registers someone meanwhile.
    server.admin("DELETE", "/v1/admin/sessions/temp", nullptr, 409);
    server.admin("POST", "/v1/admin/sessions/temp/cancel");
    server.admin("DELETE", "/v1/admin/sessions/temp");
    Registration offline = a.registerPerson("workshop", 7);
    REQUIRE(a.pending() == 1);

    // Two days later the server has forgotten that deletion.
    server.stop();
    server.start({"--tombstone-retention-days", "1", "--sweep-seconds", "1", "--clock-offset",
                  std::to_string(2 * 86400)});
    REQUIRE(eventually(
        [&] { return server.count("SELECT count(*) FROM change_log WHERE op = 'delete'") == 0; },
        15s));
    SyncReport r = a.sync();
    INFO(r.error);
    REQUIRE(r.ok);
    CHECK(r.snapshot);  // 410, then a full re-pull
    CHECK(a.count("SELECT count(*) FROM session WHERE id = 'temp'") == 0);
    CHECK(a.count("SELECT count(*) FROM session") == 4);
    CHECK(a.count("SELECT count(*) FROM sync_seen") == 0);
    // The outbox was never dropped: the registration made offline reached the server.
    CHECK(a.pending() == 0);
    CHECK(a.status(offline.id) == "confirmed");
    CHECK(server.count(
              fmt::format("SELECT count(*) FROM registration WHERE id = '{}'", offline.id)) == 1);
    // And the kiosk measured the server's clock, two days ahead of its own.
    CHECK(std::abs(std::stoll(*syncStateGet(a.db(), "clock_skew_seconds")) - 2 * 86400) < 5);
}
PROTOCOL_TEST(
    "a cursor past the retention gets 410 and a snapshot, with the outbox kept and pushed",
    expiredCursor)

void centralEdits(ProtocolBackend backend) {
    Setup setup(backend, {"a"}, {"--lease-max-seats", "0"});
    TestServer& server = setup.server;
    TestKiosk& a = setup.kiosk("a");
    std::vector<Registration> people;
    for (int i = 0; i < 5; ++i) people.push_back(a.registerPerson("small", i));
    REQUIRE(a.sync().ok);
    CHECK(a.status(people[3].id) == "waitlisted");
    CHECK(a.status(people[4].id) == "waitlisted");

    // Rename an event, raise a capacity, cancel an event, delete an unused session.
    json event = server.admin("GET", "/v1/admin/catalogue")["events"][1];
    REQUIRE(event["id"] == "robotics");
    event["title"] = {{"fr", "Robotique pour tous"}, {"ar", "الروبوتات للجميع"}};
    event.erase("version");
    server.admin("PUT", "/v1/admin/events/robotics", event);
    json small = server.admin("GET", "/v1/admin/sessions/small");
    CHECK(small["taken"] == 3);
    json edited = {{"event_id", "chess-open"},
                   {"venue_id", "hall"},
                   {"starts_at", small["starts_at"]},
                   {"ends_at", small["ends_at"]},
                   {"capacity", 4}};
    server.admin("PUT", "/v1/admin/sessions/small", edited);
    edited["capacity"] = 2;  // below the seats taken: refused, nothing changes
    json refused = server.admin("PUT", "/v1/admin/sessions/small", edited, 409);
    CHECK(refused["error"] == "capacity_below_taken");
    server.admin("DELETE", "/v1/admin/sessions/small", nullptr, 409);  // it has registrations
    server.admin("DELETE", "/v1/admin/sessions/closed");
    server.admin("POST", "/v1/admin/events/robotics/cancel");

    SyncReport r = a.sync();
    REQUIRE(r.ok);
    CHECK(a.count("SELECT count(*) FROM event WHERE id = 'robotics' "
                  "AND title LIKE '%Robotique pour tous%'") == 1);
    CHECK(a.count("SELECT capacity FROM session WHERE id = 'small'") == 4);
    CHECK(a.status(people[3].id) == "confirmed");  // promoted by the new seat
    CHECK(a.status(people[4].id) == "waitlisted");
    CHECK(a.waitlistPosition(people[4].id) == 1);
    CHECK(a.count("SELECT count(*) FROM session WHERE id = 'closed'") == 0);
    CHECK(a.count("SELECT count(*) FROM session WHERE id = 'workshop' AND status = 'cancelled'") ==
          1);
    CHECK(a.count("SELECT version FROM event WHERE id = 'robotics'") == 2);

    // Export, then import the export into a fresh server: the same catalogue.
    RunResult exported =
        server.command({"catalogue", "export", (setup.dir / "export.json").string()});
    REQUIRE(exported.status.ok());
    TestServer second(setup.dir / "second", backend);
    RunResult imported =
        second.command({"catalogue", "import", (setup.dir / "export.json").string()});
    INFO(imported.output);
    REQUIRE(imported.status.ok());
    CHECK(second.count("SELECT count(*) FROM session") == 3);
    CHECK(second.count("SELECT capacity FROM session WHERE id = 'small'") == 4);
    checkSeatCounts(setup.server);
}
PROTOCOL_TEST("central catalogue edits reach kiosks on their next pull", centralEdits)

void nightly(ProtocolBackend backend) {
    Setup setup(backend, {"a"});
    TestServer& server = setup.server;
    TestKiosk& a = setup.kiosk("a");
    Registration past = a.registerPerson("chess", 1);
    Registration future = a.registerPerson("workshop", 2);
    REQUIRE(a.sync().ok);

    SyncOptions options;
    options.serverUrl = server.url();
    FullSyncOptions full;
    full.backupPath = setup.dir / "a.backup";
    FullSyncReport clean = fullSync(a.db(), options, full);
    INFO(clean.error);
    REQUIRE(clean.ok);
    CHECK(clean.drifted.empty());
    CHECK(clean.purged == 0);
    CHECK(clean.backedUp);

    // Drift: a damaged session and a lost status on the kiosk. The nightly run repairs both.
    a.db().exec("UPDATE session SET capacity = 99 WHERE id = 'chess'");
    a.db().exec(
        fmt::format("UPDATE registration SET status = 'provisional' WHERE id = '{}'", future.id));
    FullSyncReport repaired = fullSync(a.db(), options, full);
    INFO(repaired.error);
    CHECK(repaired.ok);
    CHECK(repaired.drifted == std::vector<std::string>{"registration", "session"});
    CHECK(repaired.stillDrifted.empty());
    CHECK(a.count("SELECT capacity FROM session WHERE id = 'chess'") == 30);
    CHECK(a.status(future.id) == "confirmed");

    // The chess session took place 40 days ago: its people's details leave the kiosk.
    json chess = server.admin("GET", "/v1/admin/sessions/chess");
    Timestamp longAgo = nowUtc() - 40 * 86400;
    server.admin("PUT", "/v1/admin/sessions/chess",
                 {{"event_id", "chess-open"},
                  {"venue_id", "hall"},
                  {"starts_at", longAgo},
                  {"ends_at", longAgo + 3600},
                  {"capacity", 30}});
    FullSyncReport purged = fullSync(a.db(), options, full);
    INFO(purged.error);
    CHECK(purged.ok);
    CHECK(purged.purged == 1);
    CHECK(a.count(fmt::format("SELECT count(*) FROM registration WHERE id = '{}' AND name = '' "
                              "AND phone = '' AND purged = 1",
                              past.id)) == 1);
    CHECK(a.count("SELECT count(*) FROM outbox WHERE payload LIKE '%Test Person 1%'") == 0);
    CHECK(a.count(fmt::format("SELECT count(*) FROM registration WHERE id = '{}' AND purged = 0",
                              future.id)) == 1);
    // The server keeps its record.
    CHECK(server.count("SELECT count(*) FROM registration WHERE name = 'Test Person 1'") == 1);

    // The backup is a sound copy of the store.
    Database copy(setup.dir / "a.backup");
    auto& check = copy.prepare("PRAGMA integrity_check");
    REQUIRE(check.step());
    CHECK(check.getText(0) == "ok");
    check.reset();
    auto& n = copy.prepare("SELECT count(*) FROM registration");
    REQUIRE(n.step());
    CHECK(n.getInt(0) == 2);
    n.reset();
}
PROTOCOL_TEST("the nightly full sync repairs drift, purges past personal data and backs up",
              nightly)

void gzipAnswers(ProtocolBackend backend) {
    Setup setup(backend, {"a"});
    TestServer& server = setup.server;
    TestKiosk& a = setup.kiosk("a");
    HttpReply r =
        server.request("GET", "/v1/sync/pull?since=&limit=100", "",
                       {"Authorization: Bearer " + *syncStateGet(a.db(), "kiosk_token"),
                        fmt::format("{}: {}", wire::kSchemaHeader, currentSchemaVersion()),
                        "Accept-Encoding: gzip"});
    REQUIRE(r.status == 200);
    CHECK(r.headers["Content-Encoding"] == "gzip");
    CHECK(r.json()["changes"].size() == 10);  // decompressed by the client
}
PROTOCOL_TEST("answers are gzip-compressed for clients that accept it", gzipAnswers)

}  // namespace
