// tests/integration/sync_offline_test.cpp - end to end, real processes on loopback: kiosks
// registering while the server is down, and a 30-seat chess section registered from 5 kiosks,
// some offline; with kiosk clocks right and off by a day; on SQLite and PostgreSQL.
#include <catch2/catch.hpp>
#include <cstdlib>
#include <map>
#include <set>

#include "support/socket_util.hpp"
#include "support/test_support.hpp"
#include "sync_cluster.hpp"

using namespace fadaa;
using namespace fadaa::test;
using namespace std::chrono_literals;

namespace {

// Registrations made while the server is down all arrive, once each.
void serverDownScenario(Backend backend) {
    TempDir dir;
    CityServer server(dir / "server", backend);
    server.start();
    writeTestCatalogue(dir / "catalogue.json");
    server.importCatalogue(dir / "catalogue.json");

    std::vector<std::unique_ptr<Kiosk>> kiosks;
    std::vector<Kiosk*> all;
    for (int k = 0; k < 3; ++k) {
        kiosks.push_back(std::make_unique<Kiosk>(dir.path(), "kiosk-" + std::to_string(k)));
        all.push_back(kiosks.back().get());
        kiosks.back()->enrol(server.url(), server.addKiosk(kiosks.back()->name()));
        REQUIRE(kiosks.back()->sync(server.url()).status.ok());
    }

    server.kill9();
    std::vector<std::string> made;
    for (int k = 0; k < 3; ++k) {
        for (int i = 0; i < 8; ++i)
            made.push_back(
                kiosks[k]
                    ->registerPerson(kWorkshopSession, personName(k, i), personPhone(k, i))
                    .id);
        // A sync while the server is down fails, promptly, and keeps every op.
        RunResult down = kiosks[k]->sync(server.url());
        INFO(down.output);
        CHECK_FALSE(down.timedOut);
        CHECK_FALSE(down.status.ok());
        CHECK(kiosks[k]->pendingOps() == 8);
    }

    server.start();
    for (Kiosk* k : all) REQUIRE(k->syncUntilOk(server.url()));
    for (Kiosk* k : all) REQUIRE(k->sync(server.url()).status.ok());  // learn the others' news
    auto onServer = checkConverged(server, all, made);
    for (const auto& r : onServer) CHECK(r.status == "confirmed");  // the workshop has room
}

struct ChessOutcome {
    std::map<std::pair<int, int>, std::string> status;  // (kiosk, person) -> server status
    std::vector<std::pair<int, int>> waitlist;          // in waiting-list order
};

// "k0.p3 confirmed, ..." then "waitlist: k3.p4 k4.p4 ...": readable when two outcomes differ.
std::string describe(const ChessOutcome& o) {
    std::string text;
    for (const auto& [who, status] : o.status)
        text += "k" + std::to_string(who.first) + ".p" + std::to_string(who.second) + " " + status +
                ", ";
    text += "waitlist:";
    for (const auto& who : o.waitlist)
        text += " k" + std::to_string(who.first) + ".p" + std::to_string(who.second);
    return text;
}

// 30 seats, 5 kiosks: 0-2 online throughout, 3-4 offline while they register. Kiosk k's
// clock is off by offsets[k].
ChessOutcome chessScenario(Backend backend, const std::vector<std::chrono::seconds>& offsets) {
    TempDir dir;
    CityServer server(dir / "server", backend);
    server.start();
    writeTestCatalogue(dir / "catalogue.json");
    server.importCatalogue(dir / "catalogue.json");

    const int kKiosks = 5;
    std::vector<std::unique_ptr<Kiosk>> kiosks;
    std::vector<Kiosk*> all;
    for (int k = 0; k < kKiosks; ++k) {
        kiosks.push_back(std::make_unique<Kiosk>(dir.path(), "kiosk-" + std::to_string(k)));
        kiosks.back()->setClockOffset(offsets.at(static_cast<size_t>(k)));
        all.push_back(kiosks.back().get());
        kiosks.back()->enrol(server.url(), server.addKiosk(kiosks.back()->name()));
        REQUIRE(kiosks.back()->sync(server.url()).status.ok());  // catalogue and seat leases
    }

    std::map<std::string, std::pair<int, int>> who;   // registration id -> (kiosk, person)
    std::map<std::string, std::string> shownAtKiosk;  // registration id -> status shown then
    std::vector<std::string> made;
    auto registerAt = [&](int k, int i) {
        Registration r =
            kiosks[k]->registerPerson(kChessSession, personName(k, i), personPhone(k, i));
        who[r.id] = {k, i};
        shownAtKiosk[r.id] = std::string(toString(r.status));
        made.push_back(r.id);
    };
    const std::string unreachable = "http://127.0.0.1:" + std::to_string(freeTcpPort());

    // Round 1: online kiosks register and sync after each person; offline ones register and
    // fail to reach the server.
    for (int i = 0; i < 6; ++i) {
        for (int k = 0; k < kKiosks; ++k) {
            registerAt(k, i);
            bool online = k < 3;
            RunResult r = kiosks[k]->sync(online ? server.url() : unreachable);
            INFO(kiosks[k]->name() << ": " << r.output);
            CHECK(r.status.ok() == online);
        }
    }
    // Round 2: the online kiosks fill up the section.
    for (int i = 6; i < 9; ++i)
        for (int k = 0; k < 3; ++k) {
            registerAt(k, i);
            REQUIRE(kiosks[k]->sync(server.url()).status.ok());
        }
    // The offline kiosks come back, kiosk 3 first; then everyone syncs twice to learn.
    for (int k = 3; k < kKiosks; ++k) REQUIRE(kiosks[k]->syncUntilOk(server.url()));
    for (int round = 0; round < 2; ++round)
        for (Kiosk* k : all) REQUIRE(k->sync(server.url()).status.ok());

    auto onServer = checkConverged(server, all, made);
    for (int k = 0; k < kKiosks; ++k) {  // the wrong clocks were real, and measured
        INFO(kiosks[k]->name() << " clock offset " << offsets[k].count() << " s");
        auto skew = kiosks[k]->measuredSkew();
        REQUIRE(skew);
        CHECK(std::abs(*skew + offsets[k].count()) < 120);
    }
    ChessOutcome outcome;
    int confirmed = 0, waitlisted = 0;
    bool sawWaitlistedProvisional = false;
    for (const auto& r : onServer) {  // arrival order
        outcome.status[who.at(r.id)] = r.status;
        INFO("registration " << r.id << " shown " << shownAtKiosk.at(r.id) << " at kiosk "
                             << who.at(r.id).first << ", now " << r.status);
        // "Confirmed" on a kiosk screen is never taken back.
        if (shownAtKiosk.at(r.id) == "confirmed") CHECK(r.status == "confirmed");
        // Provisional ones are decided in arrival order: none confirmed after one waitlisted.
        if (shownAtKiosk.at(r.id) == "provisional") {
            if (r.status == "waitlisted") sawWaitlistedProvisional = true;
            if (r.status == "confirmed") CHECK_FALSE(sawWaitlistedProvisional);
        }
        confirmed += r.status == "confirmed";
        waitlisted += r.status == "waitlisted";
        if (r.status == "waitlisted") outcome.waitlist.push_back(who.at(r.id));
    }
    // Both paths were taken: seats confirmed offline from leases, and provisional ones.
    int shownConfirmed = 0, shownProvisional = 0;
    for (const auto& [id, status] : shownAtKiosk) {
        shownConfirmed += status == "confirmed";
        shownProvisional += status == "provisional";
    }
    CHECK(shownConfirmed > 0);
    CHECK(shownProvisional > 0);
    CHECK(confirmed == kChessCapacity);  // demand (39) exceeds the section: it fills exactly
    CHECK(waitlisted == static_cast<int>(made.size()) - kChessCapacity);
    return outcome;
}

// The same registrations in the same order: the same decisions, whatever the kiosk clocks.
void clockSkewScenario(Backend backend) {
    using std::chrono::hours;
    std::vector<std::chrono::seconds> right(5, 0s);
    std::vector<std::chrono::seconds> skewed = {hours(24), -hours(24), 0s, hours(24), -hours(24)};
    ChessOutcome base = chessScenario(backend, right);
    ChessOutcome shifted = chessScenario(backend, skewed);
    CHECK(describe(base) == describe(shifted));
}

}  // namespace

SYNC_E2E_TEST("registrations made while the server is down all arrive once", serverDownScenario)
SYNC_E2E_TEST("30-seat chess section from 5 kiosks, 2 offline, clocks off by a day",
              clockSkewScenario)
