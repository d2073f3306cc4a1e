// app/cli/sync_commands.hpp - `fadaa enrol` and `fadaa sync` (docs/sync-protocol.md).
#pragma once

#include <CLI/CLI.hpp>

#include "cli_common.hpp"

namespace fadaa::cli {

// Registers `enrol` and `sync` on app; they use the store named by the global --db option.
// They print one line per step; a failure is a Failure (one line on stderr, exit status 1).
void addSyncCommands(CLI::App& app, Context& ctx);

}  // namespace fadaa::cli
