// app/cli/cli_common.hpp - what every `fadaa` command shares: the global options, opening the
// store, the two kinds of failure (bad input -> exit 1, wrong usage -> exit 2), English text
// for core's translation keys, and terminal helpers.
#pragma once

#include <CLI/CLI.hpp>

#include <filesystem>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

#include "catalogue/catalogue.hpp"
#include "i18n/translations.hpp"
#include "model/model.hpp"
#include "store/database.hpp"

namespace fadaa::cli {

// Bad input or a state that stops the command: printed as "fadaa: <message>", exit status 1.
// Thrown before anything is written, or from inside a transaction that is then rolled back.
class Failure : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// Wrong usage of the command line itself (an option value that cannot be understood): exit 2,
// like CLI11's own parse errors.
class UsageFailure : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// The global options and lazily loaded shared state, passed to every command group.
class Context {
public:
    std::string dbPath = "fadaa.sqlite";     // --db, else $FADAA_DB
    std::string zone = "Africa/Casablanca";  // --timezone, else $FADAA_TZ

    // Opens the store. When `create` is false and no file exists at dbPath, fails with a hint
    // to run `fadaa init` instead of silently creating an empty store.
    Database& open(bool create = false, Durability durability = Durability::Full);

    // English text of a core translation key (error.name.required, ...) from
    // assets/i18n/en.json; the key itself when no text or no translations are installed.
    std::string english(std::string_view key) const;

    // The kiosk id registrations made here carry: sync_state's kiosk_id once the device is
    // enrolled with a server, else "local".
    std::string kioskId();

private:
    std::unique_ptr<Database> m_db;
    mutable std::optional<std::unique_ptr<Translations>> m_translations;
};

// Registers --db and --timezone on the top-level app (they may also follow the command).
void addGlobalOptions(CLI::App& app, Context& ctx);

// The command groups, one file each.
void addStoreCommands(CLI::App& app, Context& ctx);         // init, check
void addCatalogueCommands(CLI::App& app, Context& ctx);     // events, import, export
void addRegistrationCommands(CLI::App& app, Context& ctx);  // register, cancel, registrations
void addDemoCommand(CLI::App& app, Context& ctx);           // demo

// Parses argv and runs the chosen command. Returns the exit status: 0 done, 1 bad input (one
// line on stderr), 2 wrong usage (CLI11's message and a --help hint).
int run(CLI::App& app, int argc, char** argv);

// A date option (--from/--to): "today", "tomorrow", "+7d", "2026-12-05", "2026-12-05T18:30".
// `endOfDay`: a bare day means up to the end of that day (for --to). Throws UsageFailure.
Timestamp parseDateOption(std::string_view option, const std::string& text, const Context& ctx,
                          bool endOfDay);

// Writes text to `output` (atomically: a temporary file renamed over it) or stdout when
// output is empty. Throws Failure when the file cannot be written.
void writeOutput(const std::string& output, const std::string& text);

// The first column of the first row of a query without parameters, as an int (0 if no row).
int countRows(Database& db, const char* sql);

// True when stderr is a terminal (progress lines are drawn only then).
bool stderrIsTerminal();

// What a session card says about seats, in lang (en, fr or ar; others get English): "3 seats
// left", "full (waiting list)", "no registration needed", "cancelled", "no seat limit".
std::string seatsLabel(const SessionListing& s, std::string_view lang);

// Pads or cuts text (UTF-8) to `width` code points, for terminal columns.
std::string fitColumn(std::string_view text, std::size_t width);

}  // namespace fadaa::cli
