// tests/integration/sync_worker_test.cpp - the kiosk's background sync against a real server:
// registrations queued while the server is down leave as soon as it is back, new ones leave
// when the worker is woken, and the status the UI shows follows; plus HTTPS with a self-signed
// certificate, verified.
#include <fmt/format.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <set>
#include <thread>

#include "protocol_fixture.hpp"
#include "sync/sync_worker.hpp"

using namespace fadaa;
using namespace fadaa::test;
using namespace std::chrono_literals;

TEST_CASE(
    "sync worker [sqlite]: queued registrations leave once the server is back, new ones on wake") {
    TempDir dir;
    TestServer server(dir / "server", ProtocolBackend::Sqlite);
    server.start();
    server.loadTestCatalogue();
    TestKiosk kiosk(dir.path(), "a");
    kiosk.enrol(server);
    REQUIRE(kiosk.sync().ok);
    server.kill9();
    for (int i = 0; i < 100; ++i) kiosk.registerPerson("workshop", i);

    SyncWorkerOptions options;
    options.interval = 60s;  // only the outbox, wake() and probes may trigger a sync here
    options.outboxPoll = 100ms;
    options.probeWaiting = 100ms;
    options.backoffBase = 200ms;
    options.backoffMax = 2s;
    SyncWorker worker(dir / "a.sqlite", options);
    std::atomic<int> changes{0};
    worker.setOnChange([&] { ++changes; });
    worker.start();
    REQUIRE(eventually([&] { return worker.status().syncs >= 1; }, 10s));
    SyncStatus down = worker.status();
    CHECK(down.enrolled);
    CHECK_FALSE(down.online);
    CHECK(down.waiting == 100);
    CHECK_FALSE(down.lastError.empty());
    CHECK(down.failures >= 1);

    server.start();
    REQUIRE(eventually([&] { return worker.status().waiting == 0; }, 15s));
    SyncStatus up = worker.status();
    CHECK(up.online);
    CHECK(up.lastError.empty());
    CHECK(up.lastSuccess.has_value());
    CHECK(up.failures == 0);
    CHECK(server.count("SELECT count(*) FROM registration") == 100);

    // Online: a new registration leaves on wake(), long before the 60 s timer.
    int before = worker.status().syncs;
    kiosk.registerPerson("workshop", 500);
    worker.wake();
    REQUIRE(
        eventually([&] { return server.count("SELECT count(*) FROM registration") == 101; }, 10s));
    CHECK(eventually([&] { return worker.status().syncs > before; }, 5s));
    CHECK(changes.load() > 0);
    worker.stop();
}

TEST_CASE("sync worker: backoff grows exponentially up to its cap, with jitter") {
    using std::chrono::milliseconds;
    for (int failures = 1; failures <= 12; ++failures) {
        double nominal = std::min(1000.0 * (1 << (failures - 1)), 60000.0);
        for (int i = 0; i < 50; ++i) {
            auto d = SyncWorker::backoffDelay(failures, milliseconds(1000), milliseconds(60000));
            CHECK(d.count() >= static_cast<long long>(nominal * 0.5) - 1);
            CHECK(d.count() <= static_cast<long long>(nominal * 1.5) + 1);
        }
    }
    // Jitter: kiosks failing together do not retry together.
    std::set<long long> seen;
    for (int i = 0; i < 20; ++i)
        seen.insert(SyncWorker::backoffDelay(3, milliseconds(1000), milliseconds(60000)).count());
    CHECK(seen.size() > 5);
}

TEST_CASE("sync over HTTPS [sqlite]: the server's certificate is verified") {
    TempDir dir;
    RunResult cert =
        runBounded(SpawnOptions{{"/usr/bin/openssl", "req", "-x509", "-newkey", "rsa:2048",
                                 "-nodes", "-keyout", (dir / "key.pem").string(), "-out",
                                 (dir / "cert.pem").string(), "-days", "2", "-subj",
                                 "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"},
                                {},
                                {},
                                {}},
                   30s);
    INFO(cert.output);
    REQUIRE(cert.status.ok());
    TestServer server(dir / "server", ProtocolBackend::Sqlite);
    server.start(
        {"--tls-cert", (dir / "cert.pem").string(), "--tls-key", (dir / "key.pem").string()});
    REQUIRE(server.url().rfind("https://", 0) == 0);

    // Without the city's CA the kiosk refuses to talk (and enrols nothing).
    TestKiosk stranger(dir.path(), "stranger");
    EnrolResult refused =
        SyncClient::enrol(stranger.db(), server.url(), server.addKiosk("stranger"));
    CHECK_FALSE(refused.ok);
    CHECK_THAT(refused.error, Catch::Contains("certificate", Catch::CaseSensitive::No));
    CHECK_FALSE(isEnrolled(stranger.db()));

    TestKiosk kiosk(dir.path(), "a");
    EnrolResult ok = SyncClient::enrol(kiosk.db(), server.url(), server.addKiosk("a"),
                                       (dir / "cert.pem").string());
    INFO(ok.error);
    REQUIRE(ok.ok);
    server.loadTestCatalogue();
    kiosk.serverUrl = server.url();
    REQUIRE(kiosk.sync().ok);  // the CA given at enrolment is remembered
    kiosk.registerPerson("chess", 1);
    SyncReport r = kiosk.sync();
    INFO(r.error);
    REQUIRE(r.ok);
    CHECK(r.pushed == 1);
    CHECK(server.count("SELECT count(*) FROM registration") == 1);
}
