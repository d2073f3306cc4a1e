// tests/integration/server_process.hpp - one real fadaa-server for the integration tests: its
// store (a SQLite file in its folder, or a fresh PostgreSQL database), its admin commands
// (`fadaa-server ARGS --db|--postgres ...`, each its own process, as an operator runs them) and
// `fadaa-server serve` on loopback, on the same port across restarts. The protocol tests'
// TestServer (protocol_fixture.hpp) and the end-to-end tests' CityServer (sync_cluster.hpp)
// are this plus what each adds.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "postgres_database.hpp"
#include "sql.hpp"
#include "support/process.hpp"

namespace fadaa::test {

enum class Backend { Sqlite, Postgres };

class ServerProcess {
public:
    // The store lives in dir (SQLite) or in a fresh PostgreSQL database. Nothing runs yet.
    ServerProcess(const std::filesystem::path& dir, Backend backend);
    virtual ~ServerProcess();  // kills a running server before its database is dropped
    ServerProcess(const ServerProcess&) = delete;
    ServerProcess& operator=(const ServerProcess&) = delete;

    // Starts `fadaa-server serve` and waits until it listens. The first start takes any free
    // port (the server prints it); restarts keep it, so kiosks and proxies find the server where
    // they left it. extraArgs go after the fixed ones and stay for restarts (empty: the last).
    void start(std::vector<std::string> extraArgs = {});
    void stop();   // SIGTERM; CHECKs a clean exit (SIGKILL after 10 s)
    void kill9();  // SIGKILL, no chance to clean up
    bool running();

    std::uint16_t port() const { return m_port; }
    std::string output() const;  // everything the server printed (all runs)
    const std::vector<std::string>& extraArgs() const { return m_extraArgs; }

    // `fadaa-server ARGS --db|--postgres ...`, to its end (killed after 30 s).
    RunResult command(std::vector<std::string> args);
    // `fadaa-server kiosk add NAME`; REQUIREs success and returns the one-time enrolment code.
    std::string addKiosk(const std::string& name);
    // The server's store, opened directly (for checks of what it holds).
    std::unique_ptr<server::SqlBackend> openStore() const;

private:
    std::vector<std::string> storeArgs() const;

    std::filesystem::path m_dir;
    Backend m_backend;
    std::unique_ptr<PostgresDatabase> m_postgres;
    std::uint16_t m_port = 0;
    std::vector<std::string> m_extraArgs;
    std::unique_ptr<ChildProcess> m_process;
};

}  // namespace fadaa::test
