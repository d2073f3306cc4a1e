// tests/integration/sync_faults_test.cpp - end to end through a hostile network and crashes:
// the fault proxy between kiosks and server (drops, resets, delays, truncated bodies, a
// response lost after the server applied the push), and kill -9 of `fadaa sync` and of the
// server at random points, many times. Afterwards: nothing lost, nothing applied twice, every
// kiosk agreeing with the server. Seeds are fixed, so a failure replays.
#include <signal.h>

#include <catch2/catch.hpp>
#include <random>
#include <set>
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

    Fleet(Backend backend, int count, std::vector<std::chrono::seconds> offsets = {})
        : server(dir / "server", backend) {
        server.start();
        writeTestCatalogue(dir / "catalogue.json");
        server.importCatalogue(dir / "catalogue.json");
        for (int k = 0; k < count; ++k) {
            kiosks.push_back(std::make_unique<Kiosk>(dir.path(), "kiosk-" + std::to_string(k)));
            all.push_back(kiosks.back().get());
            if (static_cast<size_t>(k) < offsets.size()) kiosks.back()->setClockOffset(offsets[k]);
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

void randomFaultsScenario(Backend backend) {
    const std::uint64_t seed = backend == Backend::Sqlite ? 20261205 : 20261206;
    // Kiosk clocks a day fast, right, and a day slow, as well.
    Fleet fleet(backend, 3, {std::chrono::hours(24), 0s, -std::chrono::hours(24)});
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

// How many pushes the server has answered through the proxy.
std::size_t pushesAnswered(const FaultProxy& proxy) {
    std::size_t answered = 0;
    for (const auto& e : proxy.exchanges())
        answered += e.target.rfind("/v1/sync/push", 0) == 0 && e.serverStatus == 200;
    return answered;
}

// Waits (bounded) until the server has answered more than `before` pushes.
bool serverAnsweredPush(const FaultProxy& proxy, std::size_t before) {
    for (int i = 0; i < 1000 && pushesAnswered(proxy) <= before; ++i)
        std::this_thread::sleep_for(10ms);
    return pushesAnswered(proxy) > before;
}

// kill -9 of `fadaa sync` (kiosk) and of the server, many times: at random moments of a sync,
// and (every fourth round) exactly after the server applied a push the kiosk never heard back
// about (its response held by the proxy).
void killScenario(Backend backend) {
    const std::uint64_t seed = backend == Backend::Sqlite ? 424242 : 434343;
    Fleet fleet(backend, 2);
    FaultProxy proxy(fleet.server.port());
    proxy.onlyTargets("/v1/sync/push");
    // Random kills land uniformly within the time an undisturbed sync of this size takes here.
    auto started = std::chrono::steady_clock::now();
    fleet.registerSome(0, 3);
    REQUIRE(fleet.kiosks[0]->sync(proxy.url()).status.ok());
    auto window =
        std::max<long>(20, static_cast<long>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                                 std::chrono::steady_clock::now() - started)
                                                 .count()));
    std::mt19937_64 rng(seed);
    std::uniform_int_distribution<long> delayMs(0, window);
    int randomKills = 0, serverKills = 0, afterApply = 0;
    for (int round = 0; round < 24; ++round) {
        INFO("round " << round);
        int k = round % 2;
        fleet.registerSome(k, 3, round % 3 ? kWorkshopSession : kChessSession);
        std::size_t answered = pushesAnswered(proxy);
        if (round % 4 == 1) proxy.schedule({Fault::delayBy(10s)});
        auto sync = fleet.kiosks[k]->startSync(proxy.url());
        if (round % 4 == 1) {
            REQUIRE(serverAnsweredPush(proxy, answered));
            sync->kill(SIGKILL);
            proxy.passAll();
            // The server has these registrations; the dead kiosk still has them pending.
            std::set<std::string> onServer;
            for (const auto& r : fleet.server.registrations()) onServer.insert(r.id);
            bool applyNotAcked = false;
            for (const auto& id : fleet.kiosks[k]->pendingRegistrationIds())
                applyNotAcked = applyNotAcked || onServer.count(id) > 0;
            CHECK(applyNotAcked);
            afterApply += applyNotAcked;
        } else if (round % 4 == 3) {  // the server dies under the kiosk
            std::this_thread::sleep_for(std::chrono::milliseconds(delayMs(rng)));
            fleet.server.kill9();
            ++serverKills;
            REQUIRE(sync->wait(30s));
            fleet.server.start();
        } else {
            std::this_thread::sleep_for(std::chrono::milliseconds(delayMs(rng)));
            randomKills += sync->running();
            sync->kill(SIGKILL);
        }
        REQUIRE(fleet.kiosks[k]->integrityCheck() == "ok");
    }
    CHECK(serverKills == 6);
    CHECK(afterApply == 6);
    // Kills that found the sync still running (the rest came after it finished, also a case).
    INFO("random kills mid-sync: " << randomKills << " of 12");
    CHECK(randomKills >= 3);
    fleet.settle();
    checkConverged(fleet.server, fleet.all, fleet.made);
}

}  // namespace

SYNC_E2E_TEST("a push response lost after the server applied it is replayed once",
              lostResponseScenario)
SYNC_E2E_TEST("drops, resets, delays, truncated and lost responses lose nothing",
              randomFaultsScenario)
SYNC_E2E_TEST("kill -9 of kiosk sync and server at random points loses nothing", killScenario)
