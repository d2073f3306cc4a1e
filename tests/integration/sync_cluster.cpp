// tests/integration/sync_cluster.cpp - city server, kiosks and convergence checks for the
// end-to-end sync tests (see sync_cluster.hpp).
#include "sync_cluster.hpp"

#include <fmt/format.h>

#include <catch2/catch.hpp>
#include <set>

#include "registration/registration.hpp"
#include "seat_counts.hpp"
#include "sql.hpp"
#include "store/database.hpp"
#include "support/test_support.hpp"
#include "util/time.hpp"

namespace fadaa::test {
namespace {

using namespace std::chrono_literals;

std::filesystem::path cliBinary() {
    return binDir() / "app" / "cli" / "fadaa";
}

}  // namespace

const char* toString(Backend backend) {
    return backend == Backend::Sqlite ? "sqlite" : "postgres";
}

void writeTestCatalogue(const std::filesystem::path& file) {
    // docs/catalogue-format.md, with sessions relative to today so the file never goes stale.
    writeFile(file, fmt::format(R"json({{
  "format": "fadaa-catalogue", "version": 1, "timezone": "Africa/Casablanca",
  "categories": [
    {{"id": "chess", "name": {{"fr": "Échecs", "ar": "شطرنج", "en": "Chess"}}, "sort_order": 1}},
    {{"id": "workshop", "name": {{"fr": "Atelier", "en": "Workshop"}}, "sort_order": 2}}
  ],
  "venues": [{{"id": "grand-hall", "name": {{"fr": "Grande salle"}}, "address": "Benguerir"}}],
  "organizers": [],
  "events": [
    {{"id": "chess-open", "category": "chess", "title": {{"fr": "Open d'échecs", "en": "Chess open"}},
     "registration_required": true, "form": [],
     "sessions": [{{"id": "{}", "venue": "grand-hall", "day": 5, "time": "15:00",
                   "duration_min": 180, "capacity": {}, "status": "scheduled"}}]}},
    {{"id": "robotics", "category": "workshop", "title": {{"fr": "Robotique", "en": "Robotics"}},
     "registration_required": true, "form": [],
     "sessions": [{{"id": "{}", "venue": "grand-hall", "day": 6, "time": "10:00",
                   "duration_min": 120, "capacity": 10000, "status": "scheduled"}}]}}
  ]
}})json",
                                kChessSession, kChessCapacity, kWorkshopSession));
}

std::string personName(int kiosk, int i) {
    return fmt::format("Resident K{} N{}", kiosk, i);
}

std::string personPhone(int kiosk, int i) {
    // 06 numbers, distinct per (kiosk, i); the prefix keeps them valid Moroccan mobiles.
    return fmt::format("06{:02d}{:06d}", 10 + kiosk, i);
}

// ---------------------------------------------------------------------------------------------
// CityServer

void CityServer::importCatalogue(const std::filesystem::path& file) {
    RunResult r = admin({"catalogue", "import", file.string()});
    INFO(r.output);
    REQUIRE(r.status.ok());
}

std::vector<ServerRegistration> CityServer::registrations() {
    std::unique_ptr<server::SqlBackend> backend = openStore();
    auto conn = backend->acquire();
    std::vector<ServerRegistration> result;
    for (const auto& row :
         conn->query("SELECT id, session_id, kiosk_id, status, local_status, waitlist_pos, arrival "
                     "FROM registration ORDER BY arrival")) {
        result.push_back({row.text(0), row.text(1), row.text(2), row.text(3), row.text(4),
                          row.optInteger(5), row.integer(6)});
    }
    return result;
}

// ---------------------------------------------------------------------------------------------
// Kiosk

Kiosk::Kiosk(const std::filesystem::path& dir, std::string name)
    : m_dir(dir), m_name(std::move(name)), m_db(dir / (m_name + ".sqlite")) {
    std::filesystem::create_directories(m_dir);
}

Timestamp Kiosk::now() const {
    return nowUtc() + m_clockOffset.count();
}

// A wrong kiosk clock, for real: libfaketime shifts every wall-clock read of the child (time,
// gettimeofday, clock_gettime REALTIME), not a test hook inside Fadaa. Monotonic clocks stay
// true so libcurl's timeouts behave.
std::map<std::string, std::string> Kiosk::childEnv() const {
    if (m_clockOffset.count() == 0) return {};
    std::filesystem::path lib;
    for (const auto& dir : std::filesystem::directory_iterator("/usr/lib")) {
        auto candidate = dir.path() / "faketime" / "libfaketimeMT.so.1";
        if (std::filesystem::exists(candidate)) lib = candidate;
    }
    if (lib.empty())
        FAIL("libfaketime is missing: install the Debian package faketime (make deps)");
    return {{"LD_PRELOAD", lib.string()},
            {"FAKETIME", fmt::format("{:+d}", m_clockOffset.count())},
            {"FAKETIME_DONT_FAKE_MONOTONIC", "1"},
            {"FAKETIME_DONT_RESET", "1"}};
}

std::vector<std::string> Kiosk::cli(std::vector<std::string> args) const {
    std::vector<std::string> argv = {cliBinary().string(), "--db", m_db.string()};
    for (auto& a : args) argv.push_back(a);
    return argv;
}

void Kiosk::enrol(const std::string& serverUrl, const std::string& code) {
    RunResult r = runBounded(SpawnOptions{cli({"enrol", "--server", serverUrl, "--code", code}),
                                          childEnv(),
                                          m_dir / (m_name + ".log"),
                                          {}},
                             30s);
    INFO(m_name << " enrol: " << r.output);
    REQUIRE(r.status.ok());
}

RunResult Kiosk::sync(const std::string& serverUrl, bool full, std::chrono::milliseconds timeout) {
    std::vector<std::string> args = {"sync", "--server", serverUrl};
    if (full) args.push_back("--full");
    ++m_runs;
    return runBounded(SpawnOptions{cli(args), childEnv(), m_dir / (m_name + ".log"), {}}, timeout);
}

std::unique_ptr<ChildProcess> Kiosk::startSync(const std::string& serverUrl) {
    ++m_runs;
    return std::make_unique<ChildProcess>(SpawnOptions{
        cli({"sync", "--server", serverUrl}), childEnv(), m_dir / (m_name + ".log"), {}});
}

bool Kiosk::syncUntilOk(const std::string& serverUrl, int attempts) {
    for (int i = 0; i < attempts; ++i) {
        RunResult r = sync(serverUrl);
        if (r.status.ok()) return true;
    }
    return false;
}

Registration Kiosk::registerPerson(const std::string& sessionId, const std::string& name,
                                   const std::string& phone) {
    std::string id = kioskId();
    Database db(m_db);
    RegistrationService service(db, id);
    RegistrationRequest request;
    request.sessionId = sessionId;
    request.name = name;
    request.phone = phone;
    RegistrationOutcome outcome = service.registerFor(request, now());
    if (!outcome.ok) {
        std::string problems;
        for (const auto& e : outcome.errors) problems += e.field + ": " + e.messageKey + "; ";
        FAIL("registration refused at " << m_name << ": " << problems);
    }
    REQUIRE_FALSE(outcome.existing);
    return outcome.registration;
}

std::vector<Registration> Kiosk::registrations() {
    Database db(m_db);
    RegistrationService service(db, kioskId());
    return service.all();
}

std::map<std::string, std::string> Kiosk::outboxStates() {
    Database db(m_db);
    std::map<std::string, std::string> states;
    auto& st = db.prepare("SELECT op_id, state FROM outbox");
    while (st.step()) states[st.getText(0)] = st.getText(1);
    return states;
}

int Kiosk::pendingOps() {
    int pending = 0;
    for (const auto& [op, state] : outboxStates()) pending += state == "pending";
    return pending;
}

std::vector<std::string> Kiosk::pendingRegistrationIds() {
    Database db(m_db);
    std::vector<std::string> ids;
    auto& st = db.prepare(
        "SELECT json_extract(payload, '$.registration_id') FROM outbox WHERE state = 'pending'");
    while (st.step())
        if (!st.isNull(0)) ids.push_back(st.getText(0));
    return ids;
}

std::map<std::string, std::pair<std::int64_t, std::int64_t>> Kiosk::sessionCounts() {
    Database db(m_db);
    std::map<std::string, std::pair<std::int64_t, std::int64_t>> counts;
    auto& st = db.prepare("SELECT session_id, taken, waitlisted FROM session_counts");
    while (st.step()) counts[st.getText(0)] = {st.getInt(1), st.getInt(2)};
    return counts;
}

std::string Kiosk::kioskId() {
    Database db(m_db);
    auto& st = db.prepare("SELECT value FROM sync_state WHERE key = 'kiosk_id'");
    return st.step() ? st.getText(0) : std::string();
}

std::optional<std::int64_t> Kiosk::measuredSkew() {
    Database db(m_db);
    auto& st = db.prepare("SELECT value FROM sync_state WHERE key = 'clock_skew_seconds'");
    if (!st.step()) return std::nullopt;
    return std::stoll(st.getText(0));
}

std::string Kiosk::integrityCheck() {
    Database db(m_db);
    auto& st = db.prepare("PRAGMA integrity_check");
    return st.step() ? st.getText(0) : std::string("no answer");
}

// ---------------------------------------------------------------------------------------------
// Convergence

std::vector<ServerRegistration> checkConverged(CityServer& server,
                                               const std::vector<Kiosk*>& kiosks,
                                               const std::vector<std::string>& made) {
    std::vector<ServerRegistration> onServer = server.registrations();
    std::map<std::string, const ServerRegistration*> byId;
    for (const auto& r : onServer) {
        INFO("registration " << r.id << " is on the server more than once");
        CHECK(byId.emplace(r.id, &r).second);
    }
    // Nothing lost, nothing extra.
    std::set<std::string> madeSet(made.begin(), made.end());
    REQUIRE(madeSet.size() == made.size());
    for (const auto& id : made) {
        INFO("registration " << id << " made on a kiosk never reached the server");
        CHECK(byId.count(id) == 1);
    }
    CHECK(onServer.size() == made.size());

    // No session over capacity; waiting lists numbered 1..n in arrival order.
    std::map<std::string, std::vector<const ServerRegistration*>> bySession;
    for (const auto& r : onServer) bySession[r.sessionId].push_back(&r);
    for (const auto& [session, regs] : bySession) {
        int taken = 0;
        std::int64_t expectedPos = 1;
        for (const auto* r : regs) {  // in arrival order
            taken += r->status == "confirmed" || r->status == "attended";
            if (r->status == "waitlisted") {
                INFO("waiting list of " << session << " out of arrival order at " << r->id);
                CHECK(r->waitlistPos == std::optional<std::int64_t>(expectedPos++));
            }
            CHECK(r->status != "provisional");
        }
        if (session == kChessSession) CHECK(taken <= kChessCapacity);
    }

    // The server's counts per session, which every kiosk shows.
    std::map<std::string, std::pair<std::int64_t, std::int64_t>> counts;  // taken, waitlisted
    for (const auto& r : onServer) {
        auto& c = counts[r.sessionId];
        c.first += r.status == "confirmed" || r.status == "attended";
        c.second += r.status == "waitlisted";
    }

    // The counts the server stores on each session row equal a recount of its registrations.
    checkSeatCounts(server);

    // Every kiosk: outbox drained, store sound, and the server's statuses for what it holds.
    for (Kiosk* kiosk : kiosks) {
        INFO("kiosk " << kiosk->name());
        CHECK(kiosk->integrityCheck() == "ok");
        CHECK(kiosk->pendingOps() == 0);
        for (const auto& [op, state] : kiosk->outboxStates()) {
            INFO("op " << op);
            CHECK((state == "applied" || state == "duplicate" || state == "remapped"));
        }
        for (const auto& [session, seen] : kiosk->sessionCounts()) {
            INFO("session " << session << " counts (taken, waitlisted) at the kiosk");
            CHECK(seen == counts[session]);
        }
        for (const Registration& local : kiosk->registrations()) {
            auto it = byId.find(local.id);
            if (it == byId.end()) continue;  // not ours to judge (reported above if made)
            INFO("registration " << local.id);
            CHECK(std::string(toString(local.status)) == it->second->status);
            if (it->second->status == "waitlisted")
                CHECK(local.waitlistPosition ==
                      std::optional<int>(static_cast<int>(*it->second->waitlistPos)));
        }
    }
    return onServer;
}

}  // namespace fadaa::test
