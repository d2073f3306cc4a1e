// tests/integration/server_process.cpp - a fadaa-server process and its store for the
// integration tests (see server_process.hpp).
#include "server_process.hpp"

#include <signal.h>

#include <catch2/catch.hpp>
#include <thread>

#include "support/test_support.hpp"

namespace fadaa::test {

using namespace std::chrono_literals;

namespace {

std::filesystem::path serverBinary() {
    return binDir() / "server" / "fadaa-server";
}

}  // namespace

ServerProcess::ServerProcess(const std::filesystem::path& dir, Backend backend)
    : m_dir(dir), m_backend(backend) {
    std::filesystem::create_directories(m_dir);
    if (m_backend == Backend::Postgres) m_postgres = std::make_unique<PostgresDatabase>();
}

ServerProcess::~ServerProcess() {
    if (m_process) m_process->kill(SIGKILL);  // before the database is dropped
    m_process.reset();
}

std::vector<std::string> ServerProcess::storeArgs() const {
    if (m_backend == Backend::Postgres) return {"--postgres", m_postgres->url()};
    return {"--db", (m_dir / "city.sqlite").string()};
}

std::unique_ptr<server::SqlBackend> ServerProcess::openStore() const {
    return m_backend == Backend::Postgres
               ? server::openPostgresBackend(m_postgres->url())
               : server::openSqliteBackend((m_dir / "city.sqlite").string());
}

void ServerProcess::start(std::vector<std::string> extraArgs) {
    if (!extraArgs.empty()) m_extraArgs = std::move(extraArgs);
    if (m_process && m_process->running()) FAIL("the server is already running");
    std::vector<std::string> argv = {serverBinary().string(), "serve", "--listen",
                                     "127.0.0.1:" + std::to_string(m_port)};
    for (auto& a : storeArgs()) argv.push_back(a);
    for (auto& a : m_extraArgs) argv.push_back(a);
    // "fadaa-server listening on http[s]://127.0.0.1:PORT (...)"
    const std::string marker = "listening on ", host = "127.0.0.1:";
    auto log = m_dir / "server.log";
    // A killed server's port may linger for a moment: a few tries.
    for (int attempt = 0; attempt < 20; ++attempt) {
        std::size_t before = std::filesystem::exists(log) ? std::filesystem::file_size(log) : 0;
        m_process = std::make_unique<ChildProcess>(SpawnOptions{argv, {}, log, {}});
        if (m_process->waitForOutput(marker, 15s, before)) {
            std::string said = m_process->output();
            std::size_t at = said.find(host, said.find(marker, before));
            REQUIRE(at != std::string::npos);
            auto port = static_cast<std::uint16_t>(std::stoi(said.substr(at + host.size())));
            REQUIRE((m_port == 0 || port == m_port));
            m_port = port;
            REQUIRE(m_process->waitListening(m_port, 15s));
            return;
        }
        m_process->kill(SIGKILL);
        std::this_thread::sleep_for(100ms);
    }
    FAIL("fadaa-server did not start (port " << m_port << "):\n" << output());
}

void ServerProcess::stop() {
    if (!m_process) return;
    ExitStatus status = m_process->terminate(10s);
    INFO(status.describe());
    CHECK(status.ok());  // a clean exit on SIGTERM, not killed after the grace
}

void ServerProcess::kill9() {
    if (m_process) m_process->kill(SIGKILL);
}

bool ServerProcess::running() {
    return m_process && m_process->running();
}

std::string ServerProcess::output() const {
    return readFile(m_dir / "server.log");
}

RunResult ServerProcess::command(std::vector<std::string> args) {
    std::vector<std::string> argv = {serverBinary().string()};
    for (auto& a : args) argv.push_back(a);
    for (auto& a : storeArgs()) argv.push_back(a);
    return runBounded(SpawnOptions{argv, {}, {}, {}}, 30s);
}

std::string ServerProcess::addKiosk(const std::string& name) {
    RunResult r = command({"kiosk", "add", name});
    INFO(r.output);
    REQUIRE(r.status.ok());
    const std::string marker = "enrolment code: ";
    auto at = r.output.find(marker);
    REQUIRE(at != std::string::npos);
    auto end = r.output.find_first_of(" \n", at + marker.size());
    return r.output.substr(at + marker.size(), end - at - marker.size());
}

}  // namespace fadaa::test
