// app/cli/store_commands.cpp - `fadaa init` (create or upgrade a store) and `fadaa check`
// (integrity, foreign keys, schema version, outbox counts).
#include <fmt/format.h>

#include <iostream>
#include <map>

#include "cli_common.hpp"
#include "store/migrations.hpp"

namespace fadaa::cli {
namespace {

void runInit(Context& ctx) {
    Database& db = ctx.open(/*create=*/true);
    std::cout << fmt::format("Store ready: {} (schema version {})\n", ctx.dbPath,
                             db.schemaVersion());
}

// Reports each check on its own line; fails (exit 1) when any of them found a problem.
void runCheck(Context& ctx) {
    if (!std::filesystem::exists(ctx.dbPath))
        throw Failure(fmt::format("no store at {}", ctx.dbPath));
    // No migration: check must report what is on disk, not change it.
    DatabaseOptions options;
    options.migrate = false;
    Database db(ctx.dbPath, options);
    int problems = 0;

    std::vector<std::string> integrity;
    auto& ic = db.prepare("PRAGMA integrity_check");
    while (ic.step()) integrity.push_back(ic.getText(0));
    ic.reset();
    bool intact = integrity.size() == 1 && integrity[0] == "ok";
    std::cout << "integrity:      " << (intact ? "ok" : "PROBLEMS") << "\n";
    if (!intact) {
        ++problems;
        for (const auto& line : integrity) std::cout << "  " << line << "\n";
    }

    int violations = 0;
    auto& fk = db.prepare("PRAGMA foreign_key_check");
    while (fk.step()) {
        if (violations++ < 10)
            std::cout << fmt::format("  {} row {} refers to a missing {}\n", fk.getText(0),
                                     fk.getInt(1), fk.getText(2));
    }
    fk.reset();
    std::cout << "foreign keys:   "
              << (violations ? fmt::format("{} rows refer to missing records", violations) : "ok")
              << "\n";
    if (violations) ++problems;

    int version = db.schemaVersion();
    std::cout << fmt::format("schema version: {} (this fadaa writes {})", version,
                             currentSchemaVersion());
    if (version < currentSchemaVersion()) {
        std::cout << ": older, upgraded the next time it is opened for writing";
    } else if (version > currentSchemaVersion()) {
        std::cout << ": NEWER than this fadaa, upgrade fadaa";
        ++problems;
    }
    std::cout << "\n";

    if (version >= 1) {
        std::map<std::string, int> states;
        auto& ob = db.prepare("SELECT state, count(*) FROM outbox GROUP BY state");
        while (ob.step()) states[ob.getText(0)] = static_cast<int>(ob.getInt(1));
        ob.reset();
        std::string line;
        for (const char* s : {"pending", "applied", "duplicate", "remapped", "rejected"})
            line += fmt::format("{}{} {}", line.empty() ? "" : ", ", states[s], s);
        std::cout << "outbox:         " << line << "\n";
        std::cout << fmt::format(
            "catalogue:      {} events, {} sessions; {} registrations\n",
            countRows(db, "SELECT count(*) FROM event"),
            countRows(db, "SELECT count(*) FROM session"),
            countRows(db, "SELECT count(*) FROM registration WHERE status <> 'cancelled'"));
    }
    if (problems)
        throw Failure(fmt::format("check found {} problem(s) in {}", problems, ctx.dbPath));
}

}  // namespace

void addStoreCommands(CLI::App& app, Context& ctx) {
    app.add_subcommand("init", "Create the store (or bring an existing one up to date)")
        ->callback([&ctx] { runInit(ctx); });
    app.add_subcommand("check", "Check the store: integrity, foreign keys, schema version, outbox")
        ->callback([&ctx] { runCheck(ctx); });
}

}  // namespace fadaa::cli
