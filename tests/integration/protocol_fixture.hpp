// tests/integration/protocol_fixture.hpp - the sync protocol tests' parts: a real fadaa-server
// process on a free loopback port (SQLite or a fresh PostgreSQL database), its admin API, raw
// HTTP requests for the bad-input tests, and kiosks that sync in-process through core's
// SyncClient on their own SQLite stores.
#pragma once

#include <nlohmann/json.hpp>

#include <chrono>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "model/model.hpp"
#include "server_process.hpp"
#include "store/database.hpp"
#include "support/process.hpp"
#include "support/test_support.hpp"
#include "sync/sync_client.hpp"

namespace fadaa::test {

using ProtocolBackend = Backend;

// True when the PostgreSQL test cluster runs (its URL file exists); tests WARN and skip else.
bool postgresAvailable();

// Defines one test per backend; the PostgreSQL one is skipped with a warning when the cluster
// is not running (outside ctest's fixture).
#define PROTOCOL_TEST(title, body)                                \
    TEST_CASE("sync protocol [sqlite]: " title) {                 \
        body(::fadaa::test::ProtocolBackend::Sqlite);             \
    }                                                             \
    TEST_CASE("sync protocol [postgres]: " title) {               \
        if (!::fadaa::test::postgresAvailable()) {                \
            WARN("PostgreSQL test cluster not running: skipped"); \
            return;                                               \
        }                                                         \
        body(::fadaa::test::ProtocolBackend::Postgres);           \
    }

struct HttpReply {
    int status = 0;
    std::string body;
    std::map<std::string, std::string> headers;
    nlohmann::json json() const;
};

// A ServerProcess with an admin token and the admin API over HTTP.
class TestServer : public ServerProcess {
public:
    TestServer(const std::filesystem::path& dir, ProtocolBackend backend)
        : ServerProcess(dir, backend) {}

    // ServerProcess::start, creating the admin token on the first start.
    void start(std::vector<std::string> extraArgs = {});
    std::string url() const;  // https when started with --tls-cert

    // HTTP to the running server. headers: "Name: value".
    HttpReply request(const std::string& method, const std::string& path,
                      const std::string& body = "", std::vector<std::string> headers = {});
    nlohmann::json admin(const std::string& method, const std::string& path,
                         const nlohmann::json& body = nullptr, int expectStatus = 200);
    // Counts rows straight from the server's store (for "nothing changed" checks).
    long long count(const std::string& sql);

    // A catalogue with: chess (30 seats), small (3 seats), workshop (no limit), closed (its
    // registration window is over), all a few days ahead.
    void loadTestCatalogue();

private:
    std::string m_adminToken;
};

class TestKiosk {
public:
    TestKiosk(const std::filesystem::path& dir, const std::string& name);
    Database& db() { return *m_db; }
    const std::string& name() const { return m_name; }

    void enrol(TestServer& server);
    SyncReport sync(SyncOptions options = {});
    // Through RegistrationService, as the kiosk screen does.
    Registration registerPerson(const std::string& sessionId, int person);
    std::optional<Registration> cancel(const Registration& r);
    std::string status(const std::string& registrationId);
    std::optional<int> waitlistPosition(const std::string& registrationId);
    int pending();
    long long count(const std::string& sql);
    std::string serverUrl;

private:
    std::filesystem::path m_path;
    std::string m_name;
    std::unique_ptr<Database> m_db;
};

// A running server with the test catalogue, and kiosks (one per name, in dir) enrolled and
// synced once with `firstSync`.
struct Setup {
    Setup(ProtocolBackend backend, std::vector<std::string> kioskNames,
          std::vector<std::string> serverArgs = {}, SyncOptions firstSync = {});
    TestKiosk& kiosk(const std::string& name);

    TempDir dir;
    TestServer server;
    std::map<std::string, std::unique_ptr<TestKiosk>> kiosks;
};

// Polls f until it is true, at most `limit`; returns its last answer.
bool eventually(const std::function<bool()>& f, std::chrono::milliseconds limit);

// Synthetic people, distinct per number: never real personal data.
std::string testName(int person);
std::string testPhone(int person);

}  // namespace fadaa::test
