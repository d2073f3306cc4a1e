// server/main.cpp - fadaa-server: the city server's command line (CLI11).
//
//   fadaa-server serve --listen 127.0.0.1:8080 --db city.sqlite | --postgres URL
//                      [--tls-cert F --tls-key F] [--admin-token-file F] [retention, lease options]
//   fadaa-server kiosk add NAME | revoke NAME | list
//   fadaa-server admin token
//   fadaa-server catalogue import FILE | export [FILE]
// Every command takes --db or --postgres (or FADAA_POSTGRES_URL in the environment).
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <spdlog/spdlog.h>
#include <CLI/CLI.hpp>

#include <malloc.h>

#include <csignal>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <thread>

#include "api_error.hpp"
#include "catalogue_io_bridge.hpp"
#include "catalogue_service.hpp"
#include "http_api.hpp"
#include "kiosk_registry.hpp"
#include "seat_ledger.hpp"
#include "server_schema.hpp"
#include "sql.hpp"
#include "sync/json_fields.hpp"
#include "sync/wire.hpp"
#include "util/time.hpp"

using namespace fadaa;
using namespace fadaa::server;

namespace {

struct DbChoice {
    std::string sqlitePath;
    std::string postgresUrl;
};

std::unique_ptr<SqlBackend> openBackend(const DbChoice& db) {
    std::string pg = db.postgresUrl;
    if (pg.empty() && db.sqlitePath.empty()) {
        if (const char* env = std::getenv("FADAA_POSTGRES_URL")) pg = env;
    }
    if (!pg.empty() && !db.sqlitePath.empty())
        throw std::runtime_error("choose --db (SQLite) or --postgres, not both");
    if (pg.empty() && db.sqlitePath.empty())
        throw std::runtime_error("say where the records live: --db city.sqlite or --postgres URL");
    std::unique_ptr<SqlBackend> backend =
        pg.empty() ? openSqliteBackend(db.sqlitePath) : openPostgresBackend(pg);
    auto conn = backend->acquire();
    migrateServerSchema(*conn);
    return backend;
}

void addDbOptions(CLI::App* cmd, DbChoice& db) {
    cmd->add_option("--db", db.sqlitePath, "SQLite database file (created if missing)");
    cmd->add_option("--postgres", db.postgresUrl,
                    "PostgreSQL connection URL (or set FADAA_POSTGRES_URL)");
}

// Runs f in one write transaction on a fresh connection.
template <typename F>
void inWriteTransaction(SqlBackend& backend, F&& f) {
    auto conn = backend.acquire();
    SqlTransaction tx(*conn, TxKind::Write);
    f(*conn);
    tx.commit();
}

// With glibc's malloc (a build without mimalloc, such as the sanitizer preset): keeps freed
// memory in the process for the next request. A push of 1000 registrations
// allocates tens of MB (its body, JSON, ledger, rows, the answer) and frees it at the end;
// with glibc's defaults large blocks can come from fresh mmap()s and heap tops are trimmed
// back to the kernel, so a request can pay page faults (and the kernel's zeroing of each
// page) to grow the heap again. Measured on a 10k push (sync_bench, fresh server): 7,300
// server page faults before, 6,980 with the first three settings, 5,360 with all four. The
// price is that the server keeps its peak heap instead of returning it between requests.
void keepHeapWarm() {
#if FADAA_MIMALLOC
    // mimalloc keeps freed pages for reuse on its own; glibc's settings would not reach it.
#else
    mallopt(M_MMAP_THRESHOLD, 64 << 20);  // fixed: glibc's adaptive threshold stops adapting
    mallopt(M_TRIM_THRESHOLD, 512 << 20);
    mallopt(M_TOP_PAD, 16 << 20);  // grow the heap in 16 MB steps, not page by page
    // One arena for all worker threads: a request runs on whichever httplib thread takes it,
    // and with an arena per thread each thread's arena had to grow (and fault in) its own
    // copy of a request's working memory. Small blocks still come from per-thread caches.
    mallopt(M_ARENA_MAX, 1);
#endif
}

int serve(const DbChoice& db, ServerOptions options, const std::string& listen,
          const std::string& adminTokenFile) {
    auto colon = listen.rfind(':');
    if (colon == std::string::npos)
        throw std::runtime_error("--listen takes HOST:PORT, e.g. 127.0.0.1:8080");
    options.host = listen.substr(0, colon);
    options.port = std::stoi(listen.substr(colon + 1));
    if (!adminTokenFile.empty()) {
        std::ifstream in(adminTokenFile);
        std::string token;
        if (!in || !std::getline(in, token) || token.empty())
            throw std::runtime_error("cannot read an admin token from " + adminTokenFile);
        options.adminTokenHash = wire::sha256Hex(token);
    }
    // Signals go to one thread that stops the server cleanly (handlers cannot do that safely).
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGINT);
    sigaddset(&signals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);
    // A kiosk that hangs up mid-answer must not kill the server (TLS writes can raise SIGPIPE).
    signal(SIGPIPE, SIG_IGN);

    keepHeapWarm();
    auto backend = openBackend(db);
    {
        auto conn = backend->acquire();
        std::vector<std::string> repaired =
            repairSeatCounts(*conn, options.ledger, nowUtc() + options.clockOffsetSeconds);
        if (!repaired.empty())
            spdlog::warn(
                "{} sessions stored seat counts that did not match their registrations; "
                "recounted and announced again: {}",
                repaired.size(), fmt::join(repaired, ", "));
    }
    HttpServer server(*backend, options);
    int port = server.bind();
    std::cout << fmt::format("fadaa-server listening on {}://{}:{} ({})",
                             options.tlsCert ? "https" : "http", options.host, port,
                             backend->describe())
              << std::endl;
    std::thread waiter([&] {
        int sig = 0;
        sigwait(&signals, &sig);
        spdlog::info("signal {}: stopping", sig);
        server.stop();
    });
    server.run();
    pthread_kill(waiter.native_handle(), SIGTERM);  // wake the waiter if run() ended by itself
    waiter.join();
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"fadaa-server: the city server kiosks sync with"};
    app.require_subcommand(1);
    DbChoice db;

    auto* serveCmd = app.add_subcommand("serve", "serve the sync and admin API");
    addDbOptions(serveCmd, db);
    ServerOptions options;
    std::string listen = "127.0.0.1:8080", adminTokenFile;
    int leaseHours = 24, graceHours = 24, maxBodyMb = 8;
    serveCmd->add_option("--listen", listen, "HOST:PORT (port 0: any free port)")
        ->capture_default_str();
    serveCmd->add_option("--tls-cert", options.tlsCert, "PEM certificate: serve HTTPS");
    serveCmd->add_option("--tls-key", options.tlsKey, "PEM private key for --tls-cert");
    serveCmd->add_option("--admin-token-file", adminTokenFile,
                         "file whose first line is an admin token");
    serveCmd
        ->add_option("--op-retention-days", options.opRetentionDays,
                     "keep op ids at least this long (>= the longest offline period)")
        ->capture_default_str()
        ->check(CLI::Range(1, 3650));
    serveCmd
        ->add_option("--tombstone-retention-days", options.tombstoneRetentionDays,
                     "keep deletions this long; older cursors take the snapshot path")
        ->capture_default_str()
        ->check(CLI::Range(1, 3650));
    serveCmd->add_option("--lease-hours", leaseHours, "how long a kiosk may confirm from a lease")
        ->capture_default_str()
        ->check(CLI::Range(1, 24 * 60));
    serveCmd
        ->add_option("--lease-grace-hours", graceHours,
                     "extra hours before the server reclaims it (at least 1: kiosks count a "
                     "lease's time on their own clocks, docs/sync-protocol.md)")
        ->capture_default_str()
        ->check(CLI::Range(1, 24 * 60));
    serveCmd
        ->add_option("--lease-max-seats", options.ledger.leaseMaxSeats,
                     "seats one kiosk may hold per session")
        ->capture_default_str()
        ->check(CLI::Range(0, 1000));
    serveCmd->add_option("--max-body-mb", maxBodyMb, "largest request body, decompressed")
        ->capture_default_str()
        ->check(CLI::Range(1, 1024));
    serveCmd->add_option("--threads", options.threads, "worker threads")
        ->capture_default_str()
        ->check(CLI::Range(1, 256));
    serveCmd
        ->add_option("--sweep-seconds", options.sweepIntervalSeconds,
                     "how often expired leases and old op ids are cleaned up")
        ->capture_default_str()
        ->check(CLI::Range(1, 86400));
    serveCmd->add_option("--clock-offset", options.clockOffsetSeconds,
                         "testing aid: shift the server's clock by this many seconds");

    auto* kioskCmd = app.add_subcommand("kiosk", "enrol and revoke kiosks");
    kioskCmd->require_subcommand(1);
    std::string kioskName;
    auto* kioskAdd = kioskCmd->add_subcommand("add", "print a one-time enrolment code for a kiosk");
    kioskAdd->add_option("NAME", kioskName, "kiosk name (letters, digits, - _ .)")->required();
    addDbOptions(kioskAdd, db);
    auto* kioskRevoke = kioskCmd->add_subcommand("revoke", "stop a kiosk's token from working");
    kioskRevoke->add_option("NAME", kioskName)->required();
    addDbOptions(kioskRevoke, db);
    auto* kioskList = kioskCmd->add_subcommand("list", "list kiosks");
    addDbOptions(kioskList, db);

    auto* adminCmd = app.add_subcommand("admin", "admin credentials");
    adminCmd->require_subcommand(1);
    auto* adminToken =
        adminCmd->add_subcommand("token", "print a new admin token (the old one stops working)");
    addDbOptions(adminToken, db);

    auto* catCmd = app.add_subcommand("catalogue", "import or export the central catalogue");
    catCmd->require_subcommand(1);
    std::string catFile;
    auto* catImport =
        catCmd->add_subcommand("import", "upsert a catalogue file (docs/catalogue-format.md)");
    catImport->add_option("FILE", catFile)->required()->check(CLI::ExistingFile);
    addDbOptions(catImport, db);
    auto* catExport = catCmd->add_subcommand("export", "write the catalogue (stdout without FILE)");
    catExport->add_option("FILE", catFile);
    addDbOptions(catExport, db);

    CLI11_PARSE(app, argc, argv);
    try {
        if (*serveCmd) {
            options.ledger.leaseTtlSeconds = leaseHours * 3600LL;
            options.ledger.leaseGraceSeconds = graceHours * 3600LL;
            options.maxBodyBytes = static_cast<size_t>(maxBodyMb) << 20;
            return serve(db, options, listen, adminTokenFile);
        }
        auto backend = openBackend(db);
        Timestamp now = nowUtc();
        if (*kioskAdd) {
            NewKioskCode code;
            inWriteTransaction(*backend,
                               [&](SqlConnection& c) { code = addKiosk(c, kioskName, now); });
            std::cout << fmt::format(
                "kiosk '{}' ({})\nenrolment code: {}\nvalid until {} (UTC); on the "
                "kiosk run: fadaa enrol --server URL --code {}\n",
                kioskName, code.kioskId, code.code, isoUtc(code.expiresAt), code.code);
        } else if (*kioskRevoke) {
            inWriteTransaction(*backend, [&](SqlConnection& c) {
                revokeKiosk(c, kioskName, ServerOptions{}.ledger, now);
            });
            std::cout << fmt::format("kiosk '{}' revoked; its leases were released\n", kioskName);
        } else if (*kioskList) {
            auto conn = backend->acquire();
            for (const KioskInfo& k : listKiosks(*conn))
                std::cout << fmt::format("{:<20} {:<8} {} last seen {}\n", k.name, k.status, k.id,
                                         k.lastSeenAt ? isoUtc(*k.lastSeenAt) : "never");
        } else if (*adminToken) {
            std::string token;
            inWriteTransaction(*backend, [&](SqlConnection& c) { token = createAdminToken(c); });
            std::cout << token << std::endl;
        } else if (*catImport) {
            CatalogueData data = loadCatalogueFile(catFile, now);
            inWriteTransaction(*backend, [&](SqlConnection& c) {
                CatalogueEditor editor(c, ServerOptions{}.ledger, now);
                editor.putAll(data);
                editor.flush();
            });
            std::cout << fmt::format(
                "imported {} categories, {} venues, {} organizers, {} events, "
                "{} sessions\n",
                data.categories.size(), data.venues.size(), data.organizers.size(),
                data.events.size(), data.sessions.size());
        } else if (*catExport) {
            CatalogueData data;
            {
                auto conn = backend->acquire();
                SqlTransaction tx(*conn, TxKind::Read);
                data = readCatalogue(*conn);
                tx.commit();
            }
            std::string text = saveCatalogueText(data);
            if (catFile.empty()) {
                std::cout << text;
            } else {
                std::ofstream out(catFile, std::ios::binary);
                out << text;
                if (!out) throw std::runtime_error("cannot write " + catFile);
            }
        }
        return 0;
    } catch (const ApiError& e) {
        std::cerr << "fadaa-server: " << e.what() << "\n";
        return 1;
    } catch (const WireError& e) {
        std::cerr << "fadaa-server: " << e.what() << "\n";
        return 1;
    } catch (const std::exception& e) {
        std::cerr << "fadaa-server: " << e.what() << "\n";
        return 1;
    }
}
