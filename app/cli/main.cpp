// app/cli/main.cpp - `fadaa`, the command-line tool for staff and scripts. Each command group
// lives in its own file (store_commands, catalogue_commands, registration_commands,
// demo_command); this file only assembles them.
#include "cli_common.hpp"
#include "sync_commands.hpp"

int main(int argc, char** argv) {
    CLI::App app{"fadaa - the Fadaa kiosk store: catalogue, registrations, import and export"};
    fadaa::cli::Context ctx;
    fadaa::cli::addGlobalOptions(app, ctx);
    fadaa::cli::addStoreCommands(app, ctx);
    fadaa::cli::addCatalogueCommands(app, ctx);
    fadaa::cli::addRegistrationCommands(app, ctx);
    fadaa::cli::addDemoCommand(app, ctx);
    fadaa::cli::addSyncCommands(app, ctx);
    return fadaa::cli::run(app, argc, argv);
}
