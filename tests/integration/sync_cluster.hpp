// tests/integration/sync_cluster.hpp - the moving parts of an end-to-end sync test, all real
// processes on loopback: a city server (`fadaa-server serve`, SQLite or PostgreSQL), kiosks
// (one store each; `fadaa enrol`, `fadaa sync` as child processes), and the checks that a
// fleet has converged: every registration once on the server, no session over capacity, the
// server's stored seat counts equal to a recount, every kiosk showing the server's statuses.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "model/model.hpp"
#include "server_process.hpp"
#include "support/process.hpp"

namespace fadaa::test {

const char* toString(Backend backend);

// Defines the test twice, "sync e2e sqlite: <title>" and "sync e2e postgres: <title>", each
// calling scenario(backend).
#define SYNC_E2E_TEST(title, scenario)                           \
    TEST_CASE("sync e2e sqlite: " title, "[sync][sqlite]") {     \
        scenario(::fadaa::test::Backend::Sqlite);                \
    }                                                            \
    TEST_CASE("sync e2e postgres: " title, "[sync][postgres]") { \
        scenario(::fadaa::test::Backend::Postgres);              \
    }

// A registration as the server holds it.
struct ServerRegistration {
    std::string id, sessionId, kioskId, status, localStatus;
    std::optional<std::int64_t> waitlistPos;
    std::int64_t arrival = 0;  // the server's order of receipt
};

// Sessions of the test catalogue (writeTestCatalogue).
inline constexpr const char* kChessSession = "chess-open-u14";        // capacity 30
inline constexpr const char* kWorkshopSession = "robotics-workshop";  // capacity 10000
inline constexpr int kChessCapacity = 30;

// Writes a catalogue file (docs/catalogue-format.md) with the sessions above, five and six
// days from today.
void writeTestCatalogue(const std::filesystem::path& file);

// A ServerProcess with the operator's commands the scenarios use.
class CityServer : public ServerProcess {
public:
    using ServerProcess::ServerProcess;

    std::string url() const { return "http://127.0.0.1:" + std::to_string(port()); }

    // Admin commands (their own processes, like an operator would run them).
    void importCatalogue(const std::filesystem::path& file);
    RunResult admin(std::vector<std::string> args) { return command(std::move(args)); }

    // The server's record, read straight from its store.
    std::vector<ServerRegistration> registrations();
};

class Kiosk {
public:
    // A kiosk with its own store in dir/<name>.sqlite (created on first use).
    Kiosk(const std::filesystem::path& dir, std::string name);

    const std::string& name() const { return m_name; }
    const std::filesystem::path& db() const { return m_db; }

    // Shifts this kiosk's clock (its sync runs and registrations) by `offset`.
    void setClockOffset(std::chrono::seconds offset) { m_clockOffset = offset; }
    Timestamp now() const;

    // `fadaa enrol`; REQUIREs success.
    void enrol(const std::string& serverUrl, const std::string& code);
    // One `fadaa sync` run to its end (killed after `timeout`).
    RunResult sync(const std::string& serverUrl, bool full = false,
                   std::chrono::milliseconds timeout = std::chrono::seconds(30));
    // `fadaa sync` started in the background, to be killed at a chosen moment.
    std::unique_ptr<ChildProcess> startSync(const std::string& serverUrl);
    // Runs `fadaa sync` until it succeeds, at most `attempts` times; false if it never did.
    bool syncUntilOk(const std::string& serverUrl, int attempts = 10);

    // Registers a person at this kiosk, in-process through core's RegistrationService on the
    // kiosk's own store (as the kiosk UI does), at this kiosk's clock.
    Registration registerPerson(const std::string& sessionId, const std::string& name,
                                const std::string& phone);

    // The kiosk's view.
    std::vector<Registration> registrations();
    std::map<std::string, std::string> outboxStates();  // op_id -> state
    int pendingOps();
    // Registration ids the kiosk's pending (unacknowledged) ops are about.
    std::vector<std::string> pendingRegistrationIds();
    // The server's counts as last pulled: session id -> (taken, waitlisted).
    std::map<std::string, std::pair<std::int64_t, std::int64_t>> sessionCounts();
    std::string kioskId();
    // Server clock minus this kiosk's clock, as the kiosk last measured it (sync_state).
    std::optional<std::int64_t> measuredSkew();
    std::string integrityCheck();  // "ok" when the store is sound

private:
    std::map<std::string, std::string> childEnv() const;
    std::vector<std::string> cli(std::vector<std::string> args) const;

    std::filesystem::path m_dir;
    std::string m_name;
    std::filesystem::path m_db;
    std::chrono::seconds m_clockOffset{0};
    int m_runs = 0;
};

// The end state every scenario must reach. `made` lists every registration id made on any
// kiosk (each must be on the server exactly once). Checks with Catch2; returns the server's
// registrations for further checks.
std::vector<ServerRegistration> checkConverged(CityServer& server,
                                               const std::vector<Kiosk*>& kiosks,
                                               const std::vector<std::string>& made);

// A distinct synthetic person per (kiosk, i): never real personal data.
std::string personName(int kiosk, int i);
std::string personPhone(int kiosk, int i);

}  // namespace fadaa::test
