// app/cli/demo_command.cpp - `fadaa demo`: seeds the demo catalogue (assets/demo/catalogue.json,
// dated relative to today) into a store that has no events, and fills each session's `taken`
// seats with clearly fake registrations ("Demo 1", +212600000001, ...) through the real
// RegistrationService, so the demo shows nearly full sessions and waiting lists honestly.
#include <fmt/format.h>

#include <iostream>

#include "catalogue/catalogue_io.hpp"
#include "catalogue/demo_seed.hpp"
#include "cli_common.hpp"
#include "util/paths.hpp"
#include "util/time.hpp"

namespace fadaa::cli {
namespace {

void runDemo(const std::string& catalogueOption, Context& ctx) {
    std::filesystem::path file = catalogueOption.empty() ? assetsDir() / "demo" / "catalogue.json"
                                                         : std::filesystem::path(catalogueOption);
    if (!std::filesystem::exists(file))
        throw Failure(
            fmt::format("demo catalogue {} not found (pass --catalogue FILE)", file.string()));
    Timestamp now = nowUtc();
    CatalogueFile parsed = readCatalogueFile(file, now);

    // Placeholder registrations are many small transactions; NORMAL durability skips the
    // per-commit fsync that real registrations need and that a demo store does not.
    Database& db = ctx.open(/*create=*/true, Durability::Normal);
    DemoSeedResult result = seedDemoCatalogue(db, parsed, ctx.kioskId(), "cli", now);
    if (!result.seeded) {
        std::cout << fmt::format("{} already has {} events: nothing seeded.\n", ctx.dbPath,
                                 result.existingEvents);
        return;
    }
    std::cout << fmt::format("Seeded {} with {} events and {} sessions from {}.\n", ctx.dbPath,
                             result.imported.events, result.imported.sessions, file.string());
    std::cout << fmt::format(
        "Filled {} taken seats with placeholder registrations (Demo N, "
        "+212600000NNN).\n",
        result.placeholders);
    if (result.refusedSessions)
        std::cout << fmt::format("No placeholders in {} sessions (first: {}: {}).\n",
                                 result.refusedSessions, result.firstRefusedSession,
                                 ctx.english(result.firstRefusalKey));
}

}  // namespace

void addDemoCommand(CLI::App& app, Context& ctx) {
    auto catalogue = std::make_shared<std::string>();
    CLI::App* demo = app.add_subcommand(
        "demo", "Seed the demo catalogue into an empty store, with placeholder registrations");
    demo->add_option("--catalogue", *catalogue,
                     "Catalogue file to seed; default assets/demo/catalogue.json");
    demo->callback([catalogue, &ctx] { runDemo(*catalogue, ctx); });
}

}  // namespace fadaa::cli
