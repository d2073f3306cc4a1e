// tests/integration/sync_faults_test.cpp - end to end through a hostile network and crashes:
// the fault proxy between kiosks and server (drops, resets, delays, truncated bodies, a
// response lost after the server applied the push), and kill -9 of `fadaa sync` and of the
// server at random points, many times. Afterwards: nothing lost, nothing applied twice, every
// kiosk agreeing with the server. Seeds are fixed, so a failure replays.
#include <signal.h>

#include <catch2/catch.hpp>
#include <random>
#include <thread>

#include "support/fault_proxy.hpp"
#include "support/test_support.hpp"
#include "sync_cluster.hpp"

using namespace fadaa;
using namespace fadaa::test;
using namespace std::chrono_literals;

namespace {

struct Fleet {
    TempDir dir;
    CityServer server;
    std::vector<std::unique_ptr<Kiosk>> kiosks;
    std::vector<Kiosk*> all;
    std::vector<std::string> made;

    Fleet(Backend backend, int count) : server(dir / "server", backend) {
        server.start();
        writeTestCatalogue(dir / "catalogue.json");
        server.importCatalogue(dir / "catalogue.json");
        for (int k = 0; k < count; ++k) {
            kiosks.push_back(std::make_unique<Kiosk>(dir.path(), "kiosk-" + std::to_string(k)));
            all.push_back(kiosks.back().get());
            kiosks.back()->enrol(server.url(), server.addKiosk(kiosks.back()->name()));
            REQUIRE(kiosks.back()->sync(server.url()).status.ok());
        }
    }

    void registerSome(int k, int count, const char* session = kWorkshopSession) {
        for (int n = 0; n < count; ++n) {
            int i = static_cast<int>(made.size());
            made.push_back(
                kiosks[k]->registerPerson(session, personName(k, i), personPhone(k, i)).id);
        }
    }

    // Everyone syncs directly until done, then once more to learn the others' news.
    void settle() {
        for (Kiosk* k : all) REQUIRE(k->syncUntilOk(server.url()));
        for (Kiosk* k : all) REQUIRE(k->sync(server.url()).status.ok());
    }
};

void lostResponseScenario(Backend backend) {
    Fleet fleet(backend, 1);
    FaultProxy proxy(fleet.server.port());
    fleet.registerSome(0, 5);
    proxy.onlyTargets("/v1/sync/push");
    proxy.schedule({Fault::loseResponse(false), Fault::loseResponse(true)});

    RunResult first = fleet.kiosks[0]->sync(proxy.url());
    CHECK_FALSE(first.status.ok());  // it never heard back...
    REQUIRE(proxy.countAppliedByServer(FaultKind::LoseResponse) >= 1);
    CHECK(fleet.server.registrations().size() == 5);  // ...but the server applied the push
    CHECK(fleet.kiosks[0]->pendingOps() == 5);        // and the kiosk still holds every op

    fleet.registerSome(0, 2);  // new ops behind the unacknowledged ones
    REQUIRE(fleet.kiosks[0]->syncUntilOk(proxy.url()));
    CHECK(proxy.count(FaultKind::LoseResponse) == 2);
    fleet.settle();
    checkConverged(fleet.server, fleet.all, fleet.made);
    // The replays were recognised, not applied again.
    int duplicates = 0;
    for (const auto& [op, state] : fleet.kiosks[0]->outboxStates())
        duplicates += state == "duplicate";
    CHECK(duplicates >= 5);
}

void randomFaultsScenario(Backend backend, std::uint64_t seed) {
    Fleet fleet(backend, 3);
    FaultProxy proxy(fleet.server.port());
    // Every kind at least once, then a seeded mix (half the exchanges hit by a fault).
    proxy.schedule({Fault::drop(), Fault::resetConnection(), Fault::delayBy(200ms),
                    Fault::truncate(0.5), Fault::loseResponse(), Fault::truncate(0.0),
                    Fault::loseResponse(true)});
    FaultWeights weights;
    weights.pass = 5;
    weights.drop = weights.reset = weights.delay = weights.truncate = weights.loseResponse = 1;
    weights.maxDelay = 300ms;
    proxy.randomFaults(seed, weights);

    for (int round = 0; round < 8; ++round) {
        for (int k = 0; k < 3; ++k) {
            fleet.registerSome(k, 2, round % 2 ? kChessSession : kWorkshopSession);
            RunResult r = fleet.kiosks[k]->sync(proxy.url());
            CHECK_FALSE(r.timedOut);  // a fault is an error, never a hang
        }
    }
    for (auto kind : {FaultKind::Drop, FaultKind::Reset, FaultKind::Delay, FaultKind::Truncate,
                      FaultKind::LoseResponse}) {
        INFO("fault " << toString(kind));
        CHECK(proxy.count(kind) >= 1);
    }
    proxy.passAll();
    for (Kiosk* k : fleet.all) REQUIRE(k->syncUntilOk(proxy.url()));
    fleet.settle();
    checkConverged(fleet.server, fleet.all, fleet.made);
}

// kill -9 of `fadaa sync` (kiosk) and of the server at random moments of a sync.
void killScenario(Backend backend, std::uint64_t seed) {
    Fleet fleet(backend, 2);
    std::mt19937_64 rng(seed);
    std::uniform_int_distribution<int> delayMs(0, 60);
    int kioskKills = 0, serverKills = 0;
    for (int round = 0; round < 16; ++round) {
        int k = round % 2;
        fleet.registerSome(k, 2, round % 3 ? kWorkshopSession : kChessSession);
        auto sync = fleet.kiosks[k]->startSync(fleet.server.url());
        std::this_thread::sleep_for(std::chrono::milliseconds(delayMs(rng)));
        if (round % 4 == 3) {  // the server dies under the kiosk
            fleet.server.kill9();
            ++serverKills;
            REQUIRE(sync->wait(30s));
            fleet.server.start();
        } else {
            if (sync->running()) ++kioskKills;
            sync->kill(SIGKILL);
        }
        INFO("round " << round);
        REQUIRE(fleet.kiosks[k]->integrityCheck() == "ok");
    }
    CHECK(serverKills == 4);
    CHECK(kioskKills >= 4);  // most kills landed while the sync was still running
    fleet.settle();
    checkConverged(fleet.server, fleet.all, fleet.made);
}

}  // namespace

TEST_CASE("sync e2e sqlite: a push response lost after the server applied it is replayed once",
          "[sync][sqlite]") {
    lostResponseScenario(Backend::Sqlite);
}
TEST_CASE("sync e2e postgres: a push response lost after the server applied it is replayed once",
          "[sync][postgres]") {
    lostResponseScenario(Backend::Postgres);
}
TEST_CASE("sync e2e sqlite: drops, resets, delays, truncated and lost responses lose nothing",
          "[sync][sqlite]") {
    randomFaultsScenario(Backend::Sqlite, 20261205);
}
TEST_CASE("sync e2e postgres: drops, resets, delays, truncated and lost responses lose nothing",
          "[sync][postgres]") {
    randomFaultsScenario(Backend::Postgres, 20261206);
}
TEST_CASE("sync e2e sqlite: kill -9 of kiosk sync and server at random points loses nothing",
          "[sync][sqlite]") {
    killScenario(Backend::Sqlite, 424242);
}
TEST_CASE("sync e2e postgres: kill -9 of kiosk sync and server at random points loses nothing",
          "[sync][postgres]") {
    killScenario(Backend::Postgres, 434343);
}
