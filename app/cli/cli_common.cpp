// app/cli/cli_common.cpp - global options, store opening, failures and exit statuses, and the
// small terminal helpers the commands share.
#include "cli_common.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>

#include "catalogue/catalogue_io.hpp"
#include "i18n/utf8.hpp"
#include "registration/registration.hpp"
#include "util/paths.hpp"
#include "util/time.hpp"

namespace fadaa::cli {

Database& Context::open(bool create, Durability durability) {
    if (m_db) return *m_db;
    if (!create && !std::filesystem::exists(dbPath))
        throw Failure(
            fmt::format("no store at {} (create one with `fadaa init`, or pass --db)", dbPath));
    DatabaseOptions options;
    options.durability = durability;
    m_db = std::make_unique<Database>(dbPath, options);
    return *m_db;
}

std::string Context::english(std::string_view key) const {
    if (!m_translations) {
        try {
            m_translations =
                std::make_unique<Translations>(Translations::load(assetsDir() / "i18n"));
        } catch (const std::exception&) {
            m_translations = nullptr;  // not installed: show the key, which still says what
        }
    }
    if (!*m_translations || !(*m_translations)->has("en", key)) return std::string(key);
    return (*m_translations)->get("en", key);
}

std::string Context::kioskId() {
    return deviceKioskId(open());
}

void addGlobalOptions(CLI::App& app, Context& ctx) {
    if (const char* env = std::getenv("FADAA_DB"); env && *env) ctx.dbPath = env;
    if (const char* env = std::getenv("FADAA_TZ"); env && *env) ctx.zone = env;
    app.require_subcommand(1);
    app.fallthrough();  // global options may also follow the command: `fadaa events --db x`
    app.add_option("--db", ctx.dbPath,
                   "The store (SQLite file); default $FADAA_DB or ./fadaa.sqlite")
        ->capture_default_str();
    app.add_option(
           "--timezone", ctx.zone,
           "IANA time zone for dates shown and read; default $FADAA_TZ or Africa/Casablanca")
        ->capture_default_str()
        ->check([](const std::string& zone) {
            try {
                toLocal(0, zone);
                return std::string();
            } catch (const std::exception&) {
                return fmt::format("unknown time zone '{}'", zone);
            }
        });
}

int run(CLI::App& app, int argc, char** argv) {
    try {
        app.parse(argc, argv);
        return 0;
    } catch (const CLI::ParseError& e) {
        int code = app.exit(e);  // prints help, or the message and a --help hint
        return code == 0 ? 0 : 2;
    } catch (const UsageFailure& e) {
        std::cerr << "fadaa: " << e.what() << "\nRun with --help for more information.\n";
        return 2;
    } catch (const ImportError& e) {
        std::cerr << "fadaa: " << e.what() << " (nothing imported)\n";
        return 1;
    } catch (const StoreError& e) {
        std::cerr << "fadaa: store: " << e.what() << "\n";
        return 1;
    } catch (const std::exception& e) {  // Failure and anything unexpected: one line, exit 1
        std::cerr << "fadaa: " << e.what() << "\n";
        return 1;
    }
}

Timestamp parseDateOption(std::string_view option, const std::string& text, const Context& ctx,
                          bool endOfDay) {
    auto t = parseDateTime(text, ctx.zone, nowUtc());
    if (!t)
        throw UsageFailure(
            fmt::format("{}: '{}' is not a date (use today, tomorrow, +7d, "
                        "2026-12-05 or 2026-12-05T18:30)",
                        option, text));
    bool bareDay = text == "today" || text == "tomorrow" ||
                   (text.size() == 10 && text[4] == '-' && text[7] == '-');
    // A day given alone means all of it: up to the start of the next local day (26 hours on is
    // always inside the next day, whatever a DST change did to this one).
    if (endOfDay && bareDay) return startOfLocalDay(*t + 26 * 3600, ctx.zone);
    return *t;
}

void writeOutput(const std::string& output, const std::string& text) {
    if (output.empty() || output == "-") {
        std::cout << text << std::flush;
        if (!std::cout) throw Failure("cannot write to standard output");
        return;
    }
    // Write beside the target and rename, so a failed export never leaves half a file.
    std::filesystem::path target(output);
    std::filesystem::path temporary = target;
    temporary += ".partial";
    {
        std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
        out << text;
        out.close();
        if (!out) {
            std::error_code ignored;
            std::filesystem::remove(temporary, ignored);
            throw Failure(fmt::format("cannot write {}", output));
        }
    }
    std::error_code ec;
    std::filesystem::rename(temporary, target, ec);
    if (ec) throw Failure(fmt::format("cannot write {}: {}", output, ec.message()));
}

int countRows(Database& db, const char* sql) {
    auto& st = db.prepare(sql);
    int n = st.step() ? static_cast<int>(st.getInt(0)) : 0;
    st.reset();
    return n;
}

bool stderrIsTerminal() {
    return isatty(STDERR_FILENO) == 1;
}

std::string fitColumn(std::string_view text, std::size_t width) {
    std::u32string cps = utf8::decode(text);
    if (cps.size() > width) {
        cps.resize(width > 0 ? width - 1 : 0);
        if (width > 0) cps.push_back(U'…');
    }
    std::string out = utf8::encode(cps);
    out.append(width - std::min(width, cps.size()), ' ');
    return out;
}

}  // namespace fadaa::cli

namespace fadaa::cli {

std::string seatsLabel(const SessionListing& s, std::string_view lang) {
    // A handful of words for the terminal and the static page; the kiosk's own strings are in
    // assets/i18n. Order of the tuple: en, fr, ar.
    auto pick = [&](const char* en, const char* fr, const char* ar) {
        return std::string(lang == "fr" ? fr : lang == "ar" ? ar : en);
    };
    if (s.session.status == SessionStatus::Cancelled) return pick("cancelled", "annulé", "ملغى");
    if (!s.registrationRequired)
        return pick("no registration needed", "sans inscription", "بدون تسجيل");
    if (!s.seatsLeft) return pick("no seat limit", "places illimitées", "مقاعد غير محدودة");
    if (*s.seatsLeft <= 0)
        return pick("full (waiting list)", "complet (liste d'attente)", "ممتلئ (لائحة الانتظار)");
    if (*s.seatsLeft == 1) return pick("1 seat left", "1 place restante", "بقي مقعد واحد");
    return fmt::format(
        fmt::runtime(pick("{} seats left", "{} places restantes", "{} مقاعد متبقية")),
        *s.seatsLeft);
}

}  // namespace fadaa::cli
