// bench/sync_vs_pouchdb/sync_bench.cpp - the Fadaa side of bench/sync_vs_pouchdb/run.sh: real
// fadaa-server processes on loopback (embedded SQLite store, one per measurement) and kiosk stores
// synced in-process through core's SyncClient / SyncWorker, as fadaa-kiosk does.
//   push   a kiosk with N registrations waiting: one sync (push in batches, then the pull of
//          their results) until nothing waits
//   pull   a fresh kiosk pulls a catalogue of N records (a first sync)
//   fleet  K kiosks with N/K registrations each, all syncing at once
//   drain  Q ops queued while the server is down; the kiosk's SyncWorker running; time from
//          the server listening again to the last op acknowledged
// Prints one JSON line per measurement (summarise.js makes the table). Not a test: never part
// of make test.
#include <fmt/format.h>
#include <signal.h>
#include <sys/resource.h>
#include <unistd.h>

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>
#include <CLI/CLI.hpp>
#include <atomic>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "registration/registration.hpp"
#include "store/database.hpp"
#include "support/process.hpp"
#include "support/socket_util.hpp"
#include "support/test_support.hpp"
#include "sync/sync_client.hpp"
#include "sync/sync_worker.hpp"
#include "util/time.hpp"

using namespace fadaa;
using namespace fadaa::test;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

namespace {

struct Config {
    std::string serverBin, work;
    int docs = 10000, kiosks = 20, queued = 1000, reps = 3;
};

double secondsSince(Clock::time_point start) {
    return std::chrono::duration<double>(Clock::now() - start).count();
}

// CPU seconds (user + system) a process has used: this one (all threads) or a child. The
// machine is shared, so wall time alone says little; CPU per record does not depend on load.
double cpuSeconds(pid_t pid = 0) {
    if (pid == 0) {
        rusage usage{};
        getrusage(RUSAGE_SELF, &usage);
        return static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
               static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
    }
    std::string stat = readFile(fmt::format("/proc/{}/stat", pid));
    std::istringstream fields(stat.substr(stat.rfind(')') + 2));
    std::string field;
    double ticks = 0;
    for (int i = 3; i <= 15 && fields >> field; ++i)
        if (i == 14 || i == 15) ticks += std::stod(field);  // utime, stime
    return ticks / static_cast<double>(sysconf(_SC_CLK_TCK));
}

// Wall and CPU time of one measured interval, printed as one JSON line.
class Meter {
public:
    explicit Meter(pid_t server)
        : m_server(server),
          m_serverCpu(cpuSeconds(server)),
          m_clientCpu(cpuSeconds()),
          m_start(Clock::now()) {}
    void emit(const char* what, int docs) const {
        double seconds = secondsSince(m_start);
        std::cout << nlohmann::json{{"side", "fadaa"},
                                    {"what", what},
                                    {"docs", docs},
                                    {"seconds", seconds},
                                    {"client_cpu", cpuSeconds() - m_clientCpu},
                                    {"server_cpu", cpuSeconds(m_server) - m_serverCpu}}
                         .dump()
                  << std::endl;
    }

private:
    pid_t m_server;
    double m_serverCpu, m_clientCpu;
    Clock::time_point m_start;
};

[[noreturn]] void fail(const std::string& why) {
    std::cerr << "sync_bench: " << why << "\n";
    std::exit(1);
}

// `sessions` sessions of capacity `capacity`, ten per event (plus the events' category and
// venue): the catalogue the registrations go to, and, large, the catalogue a kiosk pulls.
nlohmann::json catalogue(const std::string& prefix, int sessions, int capacity) {
    const Timestamp day = 24 * 3600;
    const Timestamp start = (nowUtc() / day + 3) * day + 9 * 3600;
    nlohmann::json c = {
        {"categories", {{{"id", "workshop"}, {"name", {{"fr", "Atelier"}, {"en", "Workshop"}}}}}},
        {"venues", {{{"id", "hall"}, {"name", {{"fr", "Salle"}}}, {"address", "Benguerir"}}}},
        {"events", nlohmann::json::array()},
        {"sessions", nlohmann::json::array()}};
    const int events = std::max(1, sessions / 10);
    for (int e = 0; e < events; ++e)
        c["events"].push_back({{"id", fmt::format("{}-event-{}", prefix, e)},
                               {"category_id", "workshop"},
                               {"title",
                                {{"fr", fmt::format("Atelier {}", e)},
                                 {"ar", "ورشة"},
                                 {"en", fmt::format("Workshop {}", e)}}}});
    for (int s = 0; s < sessions; ++s)
        c["sessions"].push_back({{"id", fmt::format("{}-session-{}", prefix, s)},
                                 {"event_id", fmt::format("{}-event-{}", prefix, s % events)},
                                 {"venue_id", "hall"},
                                 {"starts_at", start + (s % 10) * day + (s % 8) * 3600},
                                 {"ends_at", start + (s % 10) * day + (s % 8) * 3600 + 5400},
                                 {"capacity", capacity},
                                 {"status", "scheduled"}});
    return c;
}

// One fadaa-server process with its own store.
class Server {
public:
    Server(const Config& config, const std::filesystem::path& dir) : m_config(config), m_dir(dir) {
        std::filesystem::create_directories(dir);
        m_port = freeTcpPort();
    }
    std::vector<std::string> store() const { return {"--db", (m_dir / "city.sqlite").string()}; }
    void start() {
        std::vector<std::string> argv = {m_config.serverBin, "serve", "--listen",
                                         fmt::format("127.0.0.1:{}", m_port)};
        for (auto& a : store()) argv.push_back(a);
        m_process =
            std::make_unique<ChildProcess>(SpawnOptions{argv, {}, m_dir / "server.log", {}});
        if (!m_process->waitListening(m_port, 20s))
            fail("fadaa-server did not start: " + m_process->output());
    }
    void kill9() { m_process->kill(SIGKILL); }
    std::string admin(std::vector<std::string> args) {
        std::vector<std::string> argv = {m_config.serverBin};
        for (auto& a : args) argv.push_back(a);
        for (auto& a : store()) argv.push_back(a);
        RunResult r = runBounded(SpawnOptions{argv, {}, {}, {}}, 120s);
        if (!r.status.ok()) fail(fmt::format("fadaa-server {}: {}", args.at(0), r.output));
        return r.output;
    }
    void importCatalogue(const nlohmann::json& c) {
        auto file = m_dir / fmt::format("catalogue-{}.json", m_imports++);
        writeFile(file, c.dump());
        admin({"catalogue", "import", file.string()});
    }
    std::string addKiosk(const std::string& name) {
        std::string out = admin({"kiosk", "add", name});
        auto at = out.find("enrolment code: ");
        if (at == std::string::npos) fail("no enrolment code in: " + out);
        at += 16;
        return out.substr(at, out.find_first_of(" \n", at) - at);
    }
    std::string url() const { return fmt::format("http://127.0.0.1:{}", m_port); }
    pid_t pid() const { return m_process->pid(); }

private:
    const Config& m_config;
    std::filesystem::path m_dir;
    std::uint16_t m_port = 0;
    int m_imports = 0;
    std::unique_ptr<ChildProcess> m_process;
};

bool g_verbose = false;
int g_pushBatch = 1000;

SyncOptions syncOptions() {
    SyncOptions o;
    o.leases = false;  // what is measured is moving records, as PouchDB replication does
    o.pushBatch = g_pushBatch;
    if (g_verbose) {
        auto start = std::make_shared<Clock::time_point>(Clock::now());
        o.progress = [start](const std::string& line) {
            std::cerr << fmt::format("  {:8.3f} s  {}\n", secondsSince(*start), line);
        };
    }
    return o;
}

// A kiosk store enrolled with the server and holding its catalogue.
std::filesystem::path enrolledKiosk(Server& server, const std::filesystem::path& dir,
                                    const std::string& name) {
    auto path = dir / (name + ".sqlite");
    Database db(path, DatabaseOptions{Durability::Normal});
    EnrolResult e = SyncClient::enrol(db, server.url(), server.addKiosk(name));
    if (!e.ok) fail("enrol: " + e.error);
    SyncReport r = SyncClient(db, syncOptions()).syncOnce();
    if (!r.ok) fail("first sync: " + r.error);
    return path;
}

// Queues `count` registrations at the kiosk (setup, not measured), spread over the sessions.
void registerMany(const std::filesystem::path& kiosk, const std::string& prefix, int sessions,
                  int kioskNo, int count) {
    Database db(kiosk, DatabaseOptions{Durability::Normal});
    RegistrationService service(db, syncStateGet(db, "kiosk_id").value_or(""));
    for (int i = 0; i < count; ++i) {
        RegistrationRequest req;
        req.sessionId = fmt::format("{}-session-{}", prefix, i % sessions);
        req.name = fmt::format("Resident {} {}", kioskNo, i);
        req.phone = fmt::format("06{:02d}{:06d}", 10 + kioskNo, i);
        RegistrationOutcome out = service.registerFor(req);
        if (!out.ok) fail("registration refused: " + out.errors.at(0).messageKey);
    }
}

void timedSync(Server& server, const std::filesystem::path& kiosk, const char* what, int docs,
               int expectedPushed, int minPulled) {
    Database db(kiosk);
    Meter meter(server.pid());
    SyncReport r = SyncClient(db, syncOptions()).syncOnce();
    meter.emit(what, docs);
    if (!r.ok) fail("sync: " + r.error);
    if (r.pushed != expectedPushed || r.pending != 0 || r.pulled < minPulled)
        fail(fmt::format("sync moved {} ops ({} waiting), pulled {}: expected {} and {}+", r.pushed,
                         r.pending, r.pulled, expectedPushed, minPulled));
}

// A running server holding catalogue(prefix, sessions, capacity).
std::unique_ptr<Server> serverWith(const Config& c, const std::filesystem::path& dir,
                                   const std::string& prefix, int sessions, int capacity) {
    auto server = std::make_unique<Server>(c, dir / "server");
    server->start();
    server->importCatalogue(catalogue(prefix, sessions, capacity));
    return server;
}

void measurePush(const Config& c, const std::filesystem::path& dir) {
    const int sessions = 200;
    auto server = serverWith(c, dir, "push", sessions, c.docs);
    auto kiosk = enrolledKiosk(*server, dir, "push-kiosk");
    registerMany(kiosk, "push", sessions, 0, c.docs);
    timedSync(*server, kiosk, "push", c.docs, c.docs, 0);
}

void measurePull(const Config& c, const std::filesystem::path& dir) {
    Server server(c, dir / "server");
    server.start();
    // 1 category + 1 venue + s/10 events + s sessions: about docs records
    nlohmann::json records = catalogue("pull", (c.docs - 2) * 10 / 11, 100);
    int count = 0;
    for (const auto& [kind, list] : records.items()) count += static_cast<int>(list.size());
    server.importCatalogue(records);
    auto path = dir / "fresh-kiosk.sqlite";
    {
        Database db(path);
        EnrolResult e = SyncClient::enrol(db, server.url(), server.addKiosk("fresh-kiosk"));
        if (!e.ok) fail("enrol: " + e.error);
    }
    timedSync(server, path, "pull", count, 0, count);
}

void measureFleet(const Config& c, const std::filesystem::path& dir) {
    const int sessions = 200, per = c.docs / c.kiosks;
    auto serverPtr = serverWith(c, dir, "fleet", sessions, c.docs);
    Server& server = *serverPtr;
    std::vector<std::filesystem::path> kiosks;
    for (int k = 0; k < c.kiosks; ++k) {
        kiosks.push_back(enrolledKiosk(server, dir, fmt::format("fleet-{}", k)));
        registerMany(kiosks.back(), "fleet", sessions, k, per);
    }
    std::atomic<int> failures{0};
    Meter meter(server.pid());
    std::vector<std::thread> threads;
    for (const auto& path : kiosks)
        threads.emplace_back([&, path] {
            Database db(path);
            SyncReport r = SyncClient(db, syncOptions()).syncOnce();
            if (!r.ok || r.pending != 0 || r.pushed != per) ++failures;
        });
    for (auto& t : threads) t.join();
    meter.emit("fleet", per * c.kiosks);
    if (failures) fail(fmt::format("{} of the fleet's syncs failed", failures.load()));
}

void measureDrain(const Config& c, const std::filesystem::path& dir) {
    const int sessions = 50;
    auto serverPtr = serverWith(c, dir, "drain", sessions, c.queued);
    Server& server = *serverPtr;
    auto kiosk = enrolledKiosk(server, dir, "drain-kiosk");
    SyncWorkerOptions options;  // the kiosk's defaults, as fadaa-kiosk runs it
    options.sync.leases = false;
    SyncWorker worker(kiosk, options);
    worker.start();
    server.kill9();
    registerMany(kiosk, "drain", sessions, 0, c.queued);
    worker.wake();  // it tries, fails to connect, and goes offline (probing)
    for (int i = 0; i < 1000 && (worker.status().online || worker.status().waiting < c.queued); ++i)
        std::this_thread::sleep_for(10ms);
    if (worker.status().online) fail("the worker did not notice the server was down");
    std::this_thread::sleep_for(2s);  // well into offline probing
    server.start();                   // returns as soon as the port accepts connections
    Meter meter(server.pid());
    for (int i = 0; i < 6000 && worker.status().waiting > 0; ++i) std::this_thread::sleep_for(2ms);
    meter.emit("drain", c.queued);
    if (worker.status().waiting > 0) fail("queued ops not drained within 12 s");
    worker.stop();
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"sync_bench: the Fadaa side of bench/sync_vs_pouchdb"};
    Config c;
    app.add_option("--server", c.serverBin, "fadaa-server binary")->required();
    app.add_option("--work", c.work, "scratch directory (removed at the end)")->required();
    app.add_option("--docs", c.docs)->capture_default_str();
    app.add_option("--kiosks", c.kiosks)->capture_default_str();
    app.add_option("--queued", c.queued)->capture_default_str();
    app.add_option("--reps", c.reps)->capture_default_str();
    std::string only;
    app.add_option("--only", only, "push, pull, fleet or drain");
    app.add_option("--push-batch", g_pushBatch, "ops per push request")->capture_default_str();
    app.add_flag("-v,--verbose", g_verbose, "print each sync's progress with times (stderr)");
    CLI11_PARSE(app, argc, argv);
    // Results on stdout; the sync worker's log lines (spdlog) on stderr.
    spdlog::set_default_logger(spdlog::stderr_color_mt("sync_bench"));
    for (int rep = 0; rep < c.reps; ++rep) {
        auto dir = std::filesystem::path(c.work) / fmt::format("rep-{}", rep);
        auto run = [&](const char* what, auto&& measure) {
            if (!only.empty() && only != what) return;
            std::filesystem::remove_all(dir / what);
            measure(c, dir / what);
            std::filesystem::remove_all(dir / what);
        };
        run("push", measurePush);
        run("pull", measurePull);
        run("fleet", measureFleet);
        run("drain", measureDrain);
    }
    std::filesystem::remove_all(c.work);
    return 0;
}
