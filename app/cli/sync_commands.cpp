// app/cli/sync_commands.cpp - `fadaa enrol --server URL --code CODE` and
// `fadaa sync [--server URL] [--full] [--status]`.
//
// Exit status: 0 done; 1 the sync failed (unreachable server, refused, drift left after
// repair), with the reason on stderr (cli::Failure). The nightly timer runs `fadaa sync --full`.
#include "sync_commands.hpp"

#include <fmt/format.h>

#include <iostream>
#include <memory>

#include "store/database.hpp"
#include "sync/full_sync.hpp"
#include "sync/sync_client.hpp"
#include "util/time.hpp"

namespace fadaa::cli {

namespace {

struct SyncArgs {
    std::string server, code, caFile, backup;
    bool full = false, status = false, quiet = false, noBackup = false;
    int purgeDays = 30;
};

void printReport(const SyncReport& r) {
    std::cout << fmt::format(
        "pushed {} ops ({} applied, {} duplicate, {} rejected, {} remapped); pulled {} changes "
        "in {} pages{}; {} leases; {} still waiting; clock skew {} s\n",
        r.pushed, r.applied, r.duplicates, r.rejected, r.remapped, r.pulled, r.pages,
        r.snapshot ? " (snapshot)" : "", r.leases, r.pending, r.clockSkew);
}

int showStatus(Database& db) {
    auto get = [&](const char* key) { return syncStateGet(db, key).value_or(""); };
    if (!isEnrolled(db)) {
        std::cout << "not enrolled (fadaa enrol --server URL --code CODE)\n";
    } else {
        std::string last = get("last_sync_at");
        std::cout << fmt::format("enrolled as {} ({}) with {}\n", get("kiosk_name"),
                                 get("kiosk_id"), get("server_url"));
        std::cout << fmt::format("last successful sync: {}\n",
                                 last.empty() ? "never" : isoUtc(std::stoll(last)));
        std::cout << fmt::format("clock skew: {} s\n", get("clock_skew_seconds").empty()
                                                           ? "unknown"
                                                           : get("clock_skew_seconds"));
    }
    std::cout << fmt::format("ops waiting: {}\n", pendingOps(db));
    if (!get("last_error").empty()) std::cout << "last error: " << get("last_error") << "\n";
    return 0;
}

}  // namespace

void addSyncCommands(CLI::App& app, Context& ctx) {
    auto args = std::make_shared<SyncArgs>();

    auto* enrol = app.add_subcommand("enrol", "enrol this kiosk with the city server (once)");
    enrol->add_option("--server", args->server, "the server's base URL, e.g. https://fadaa.city.ma")
        ->required();
    enrol->add_option("--code", args->code, "the one-time code from `fadaa-server kiosk add NAME`")
        ->required();
    enrol->add_option("--ca-file", args->caFile, "CA certificate for a self-signed server");
    enrol->callback([args, &ctx] {
        Database& db = ctx.open(true);  // a new kiosk enrols before anything else
        EnrolResult r = SyncClient::enrol(db, args->server, args->code, args->caFile);
        if (!r.ok) throw Failure("enrolment failed: " + r.error);
        std::cout << fmt::format(
            "enrolled as kiosk '{}' ({}); run `fadaa sync` to fetch the "
            "catalogue\n",
            r.name, r.kioskId);
    });

    auto* sync = app.add_subcommand("sync", "sync with the city server once, then exit");
    sync->add_option("--server", args->server, "server base URL (default: the enrolled one)");
    sync->add_option("--ca-file", args->caFile, "CA certificate for a self-signed server");
    sync->add_flag("--full", args->full,
                   "nightly run: also compare table checksums and repair drift, purge personal "
                   "data of past sessions, and back the store up");
    sync->add_option("--purge-days", args->purgeDays,
                     "with --full: purge personal data of sessions ended this many days ago")
        ->capture_default_str()
        ->check(CLI::Range(0, 3650));
    sync->add_option("--backup", args->backup, "with --full: backup file (default: <db>.backup)");
    sync->add_flag("--no-backup", args->noBackup, "with --full: skip the backup");
    sync->add_flag("--status", args->status, "show the sync state and exit");
    sync->add_flag("-q,--quiet", args->quiet, "print only errors");
    sync->callback([args, &ctx] {
        Database& db = ctx.open();
        if (args->status) {
            showStatus(db);
            return;
        }
        SyncOptions options;
        options.serverUrl = args->server;
        options.caFile = args->caFile;
        if (!args->quiet)
            options.progress = [](const std::string& line) { std::cout << line << "\n"; };
        if (args->full) {
            FullSyncOptions full;
            full.purgeAfterDays = args->purgeDays;
            if (!args->noBackup)
                full.backupPath =
                    args->backup.empty() ? db.path().string() + ".backup" : args->backup;
            FullSyncReport r = fullSync(db, options, full);
            if (!args->quiet) {
                printReport(r.sync);
                std::cout << fmt::format(
                    "checksums: {}; personal data purged from {} "
                    "registrations; backup: {}\n",
                    r.drifted.empty() ? "all tables agree"
                    : r.stillDrifted.empty()
                        ? fmt::format("{} repaired", fmt::join(r.drifted, ", "))
                        : fmt::format("{} differ", fmt::join(r.stillDrifted, ", ")),
                    r.purged, r.backedUp ? full.backupPath.string() : "none");
            }
            if (!r.ok) throw Failure("sync --full: " + r.error);
        } else {
            SyncReport r = SyncClient(db, options).syncOnce();
            if (!args->quiet) printReport(r);
            if (!r.ok) throw Failure("sync failed: " + r.error);
        }
    });
}

}  // namespace fadaa::cli
