// bench/registration_bench.cpp - durable registration latency and throughput, beside the disk's
// own fsync latency, for synchronous=FULL and NORMAL (docs/architecture.md, "Durability").
//
// Usage: registration_bench [--dir DIR] [--count N] [--idle-checkpoint K] [--pragma SQL]
//   DIR   where the stores and the fsync probe file go (default: a new directory under the
//         current one; it must be on the disk the kiosk uses, not a tmpfs)
//   N     operations per row (default 2000)
//   K     for the "idle checkpoint" rows: Database::checkpoint() after every K registrations,
//         untimed, as a kiosk does when idle (default 50)
//   SQL   run on each store after opening, to try settings ("PRAGMA wal_autocheckpoint=0")
//
// "One fsync" is pwrite + fdatasync of one 4 KiB block the file already holds: the cheapest
// durable write this disk can do. "append" grows the file each time (file-size metadata too,
// as a growing WAL); "42 KiB" writes as many pages as one registration does. The "interleaved"
// rows alternate one registration and one 4 KiB fsync, so both see the disk at the same
// moments: on a shared machine its latency drifts over seconds, which makes separate runs
// hard to compare. Target: registration p99 within 2x of one fsync.
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "registration/registration.hpp"
#include "store/database.hpp"

using namespace fadaa;
using Clock = std::chrono::steady_clock;

namespace {

struct Stats {
    double p50 = 0, p99 = 0, max = 0, perSecond = 0;
};

double microsSince(Clock::time_point start) {
    return std::chrono::duration<double, std::micro>(Clock::now() - start).count();
}

// Latencies in microseconds -> percentiles; perSecond from the wall time of the whole run.
Stats summarise(std::vector<double> us, double wallSeconds) {
    std::sort(us.begin(), us.end());
    auto at = [&](double q) {
        return us[static_cast<size_t>(q * static_cast<double>(us.size() - 1))];
    };
    return {at(0.50), at(0.99), us.back(), static_cast<double>(us.size()) / wallSeconds};
}

[[noreturn]] void fail(const char* what) {
    std::perror(what);
    std::exit(1);
}

// A file in the bench directory for timing pwrite + fdatasync of `bytes`.
class FsyncProbe {
public:
    FsyncProbe(std::filesystem::path path, size_t bytes, bool append)
        : m_path(std::move(path)), m_append(append), m_block(bytes, 'x') {
        m_fd = open(m_path.c_str(), O_CREAT | O_TRUNC | O_WRONLY, 0600);
        if (m_fd < 0) fail("open probe");
        if (!append && (pwrite(m_fd, m_block.data(), m_block.size(), 0) < 0 || fsync(m_fd) != 0))
            fail("probe");  // the blocks exist on disk before timing starts
    }
    ~FsyncProbe() {
        close(m_fd);
        std::filesystem::remove(m_path);
    }
    // One timed write + fdatasync, in microseconds.
    double once() {
        m_block[0] = static_cast<char>(++m_writes);
        off_t offset = m_append ? static_cast<off_t>(m_writes * m_block.size()) : 0;
        auto start = Clock::now();
        if (pwrite(m_fd, m_block.data(), m_block.size(), offset) < 0 || fdatasync(m_fd) != 0)
            fail("probe");
        return microsSince(start);
    }

private:
    std::filesystem::path m_path;
    bool m_append;
    std::vector<char> m_block;
    int m_fd = -1;
    long m_writes = 0;
};

Stats fsyncAlone(const std::filesystem::path& dir, int count, size_t bytes, bool append) {
    FsyncProbe probe(dir / "probe", bytes, append);
    std::vector<double> us;
    auto wall = Clock::now();
    for (int i = 0; i < count; ++i) us.push_back(probe.once());
    return summarise(us, microsSince(wall) / 1e6);
}

std::string g_pragma;

// A new store with 100 sessions, half without a limit and half of 15 seats (so some
// registrations are waitlisted), and an event form with one number field.
struct BenchStore {
    Database db;
    RegistrationService service{db, "bench-kiosk"};
    int idleCheckpointEvery;
    int next = 0;

    BenchStore(const std::filesystem::path& path, Durability durability, int idleEvery = 0)
        : db(fresh(path), DatabaseOptions{durability}), idleCheckpointEvery(idleEvery) {
        if (!g_pragma.empty()) db.exec(g_pragma);
        Transaction tx(db);
        db.exec(
            "INSERT INTO category(id, name) VALUES ('chess', '{}');"
            "INSERT INTO event(id, category_id, title, form) VALUES ('e1', 'chess', '{}', "
            "'[{\"key\":\"rating\",\"type\":\"number\",\"min\":0,\"max\":3000}]')");
        for (int s = 0; s < 100; ++s)
            db.prepare(
                  "INSERT INTO session(id, event_id, starts_at, ends_at, capacity) "
                  "VALUES (?, 'e1', 4102444800, 4102452000, ?)")
                .bindAll("s" + std::to_string(s), s % 2 ? std::optional<int>(15) : std::nullopt)
                .exec();
        tx.commit();
    }
    static const std::filesystem::path& fresh(const std::filesystem::path& path) {
        for (const char* suffix : {"", "-wal", "-shm"})
            std::filesystem::remove(path.string() + suffix);
        return path;
    }
    // One timed registration of a new person, in microseconds. The idle checkpoint after it,
    // if due, is not timed: a kiosk runs it while nobody is at the screen.
    double registerOne() {
        int i = next++;
        RegistrationRequest r;
        r.sessionId = "s" + std::to_string(i % 100);
        r.name = "Resident " + std::to_string(i);
        char phone[16];
        std::snprintf(phone, sizeof phone, "06%08d", i);
        r.phone = phone;
        r.answers["rating"] = std::to_string(1000 + i % 1000);
        auto start = Clock::now();
        auto outcome = service.registerFor(r, 1796119200);
        double us = microsSince(start);
        if (!outcome.ok) {
            std::fprintf(stderr, "registration %d refused: %s\n", i,
                         outcome.errors.at(0).messageKey.c_str());
            std::exit(1);
        }
        if (idleCheckpointEvery > 0 && next % idleCheckpointEvery == 0) db.checkpoint();
        return us;
    }
};

// Registrations back to back: latency and throughput.
Stats registrationsAlone(const std::filesystem::path& dir, int count, Durability durability) {
    BenchStore store(dir / "alone.sqlite", durability);
    std::vector<double> us;
    auto wall = Clock::now();
    for (int i = 0; i < count; ++i) us.push_back(store.registerOne());
    return summarise(us, microsSince(wall) / 1e6);
}

// Registrations alternating with 4 KiB fsync probes.
std::pair<Stats, Stats> interleaved(const std::filesystem::path& dir, int count,
                                    Durability durability, int idleEvery) {
    BenchStore store(dir / "interleaved.sqlite", durability, idleEvery);
    FsyncProbe probe(dir / "probe", 4096, false);
    std::vector<double> reg, sync;
    auto wall = Clock::now();
    for (int i = 0; i < count; ++i) {
        reg.push_back(store.registerOne());
        sync.push_back(probe.once());
    }
    double seconds = microsSince(wall) / 1e6;
    return {summarise(reg, seconds), summarise(sync, seconds)};
}

// Database pages written per registration: WAL frames after `count` registrations with
// automatic checkpoints off, divided by count.
double pagesPerRegistration(const std::filesystem::path& dir, int count) {
    BenchStore store(dir / "pages.sqlite", Durability::Normal);
    store.db.exec("PRAGMA wal_checkpoint(TRUNCATE); PRAGMA wal_autocheckpoint=0");
    for (int i = 0; i < count; ++i) store.registerOne();
    auto& st = store.db.prepare("PRAGMA wal_checkpoint(PASSIVE)");
    double frames = st.step() ? static_cast<double>(st.getInt(1)) : 0;
    st.reset();
    return frames / count;
}

void header() {
    std::printf("| %-46s | %7s | %7s | %7s | %7s |\n", "operation", "p50 us", "p99 us", "max us",
                "per s");
    std::printf("|%s|---------|---------|---------|---------|\n", std::string(48, '-').c_str());
}

void row(const std::string& name, const Stats& s) {
    std::printf("| %-46s | %7.0f | %7.0f | %7.0f | %7.0f |\n", name.c_str(), s.p50, s.p99, s.max,
                s.perSecond);
}

}  // namespace

int main(int argc, char** argv) {
    std::filesystem::path dir;
    int count = 2000;
    int idleEvery = 50;
    for (int i = 1; i < argc; ++i) {
        std::string arg = argv[i];
        if (arg == "--dir" && i + 1 < argc)
            dir = argv[++i];
        else if (arg == "--count" && i + 1 < argc)
            count = std::max(10, std::atoi(argv[++i]));
        else if (arg == "--idle-checkpoint" && i + 1 < argc)
            idleEvery = std::max(1, std::atoi(argv[++i]));
        else if (arg == "--pragma" && i + 1 < argc)
            g_pragma = argv[++i];
        else {
            std::fprintf(stderr,
                         "usage: %s [--dir DIR] [--count N] [--idle-checkpoint K] [--pragma SQL]\n",
                         argv[0]);
            return 2;
        }
    }
    bool ownDir = dir.empty();
    if (ownDir) {
        std::string pattern = (std::filesystem::current_path() / "fadaa-bench-XXXXXX").string();
        if (!mkdtemp(pattern.data())) fail("mkdtemp");
        dir = pattern;
    }
    double pages = pagesPerRegistration(dir, 200);
    std::printf("registration bench: %d operations per row, in %s%s%s\n", count, dir.c_str(),
                g_pragma.empty() ? "" : ", ", g_pragma.c_str());
    std::printf("one registration writes %.1f pages (%.0f KiB) to the WAL\n\n", pages,
                pages * 4096 / 1024);
    header();
    row("fsync 4 KiB (overwrite)", fsyncAlone(dir, count, 4096, false));
    row("fsync 4 KiB (append)", fsyncAlone(dir, count, 4096, true));
    size_t registrationBytes = static_cast<size_t>(pages + 0.5) * 4096;
    row("fsync " + std::to_string(registrationBytes / 1024) + " KiB (overwrite)",
        fsyncAlone(dir, count, registrationBytes, false));
    row("register FULL, back to back", registrationsAlone(dir, count, Durability::Full));
    row("register NORMAL, back to back", registrationsAlone(dir, count, Durability::Normal));
    auto [autoFull, autoSync] = interleaved(dir, count, Durability::Full, 0);
    row("interleaved: register FULL, auto checkpoint", autoFull);
    row("interleaved: fsync 4 KiB", autoSync);
    auto [idleFull, idleSync] = interleaved(dir, count, Durability::Full, idleEvery);
    row("interleaved: register FULL, idle checkpoint", idleFull);
    row("interleaved: fsync 4 KiB", idleSync);
    auto [normal, normalSync] = interleaved(dir, count, Durability::Normal, idleEvery);
    row("interleaved: register NORMAL, idle checkpoint", normal);
    row("interleaved: fsync 4 KiB", normalSync);
    std::printf("\nregistration FULL p99 / fsync 4 KiB p99, same moments (target <= 2):\n");
    std::printf("  auto checkpoint %.2f, idle checkpoint every %d %.2f\n",
                autoFull.p99 / autoSync.p99, idleEvery, idleFull.p99 / idleSync.p99);
    if (ownDir) std::filesystem::remove_all(dir);
    return 0;
}
