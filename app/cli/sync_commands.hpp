// app/cli/sync_commands.hpp - `fadaa enrol` and `fadaa sync` (docs/sync-protocol.md).
#pragma once

#include <CLI/CLI.hpp>

#include <functional>

namespace fadaa {
class Database;
}

namespace fadaa::cli {

// Registers `enrol` and `sync` on app. openStore opens (or returns) the kiosk store the global
// --db option names; it is called only when one of these commands runs. The commands print
// one line per step and leave a non-zero exit status on failure (see the option help).
void addSyncCommands(CLI::App& app, std::function<Database&()> openStore);

}  // namespace fadaa::cli
