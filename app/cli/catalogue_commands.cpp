// app/cli/catalogue_commands.cpp - `fadaa events` (the programme in a terminal or as JSON),
// `fadaa import FILE` and `fadaa export`.
#include <fmt/format.h>

#include <iostream>
#include <nlohmann/json.hpp>

#include "catalogue/catalogue_io.hpp"
#include "cli_common.hpp"
#include "html_export.hpp"
#include "i18n/translations.hpp"
#include "util/time.hpp"

namespace fadaa::cli {
namespace {

struct EventsOptions {
    std::string search;
    std::string category;
    std::string from;
    std::string to;
    std::string lang = "en";
    bool json = false;
};

// Every session matching q, however many pages the catalogue returns them in.
std::vector<SessionListing> allSessions(Catalogue& catalogue, SessionQuery q) {
    std::vector<SessionListing> out;
    q.limit = 500;
    for (q.offset = 0;; q.offset += q.limit) {
        std::vector<SessionListing> page = catalogue.sessions(q);
        out.insert(out.end(), page.begin(), page.end());
        if (static_cast<int>(page.size()) < q.limit) break;
    }
    return out;
}

SessionQuery queryFrom(const EventsOptions& o, std::optional<Timestamp> from,
                       std::optional<Timestamp> to, Catalogue& catalogue) {
    SessionQuery q;
    q.text = o.search;
    q.from = from;
    q.to = to;
    if (!o.category.empty()) {
        std::string known;
        bool found = false;
        for (const Category& c : catalogue.categories()) {
            found = found || c.id == o.category;
            known += (known.empty() ? "" : ", ") + c.id;
        }
        if (!found)
            throw Failure(fmt::format("unknown category '{}' (known: {})", o.category,
                                      known.empty() ? "none yet" : known));
        q.categoryId = o.category;
    }
    return q;
}

nlohmann::ordered_json listingJson(const SessionListing& s) {
    auto optional = [](const auto& v) {
        return v ? nlohmann::ordered_json(*v) : nlohmann::ordered_json(nullptr);
    };
    return {{"session_id", s.session.id},
            {"event_id", s.eventId},
            {"title", s.eventTitle.byLang},
            {"category", s.categoryId},
            {"venue_id", optional(s.session.venueId)},
            {"venue", s.venueName.byLang},
            {"start", isoUtc(s.session.startsAt)},
            {"end", isoUtc(s.session.endsAt)},
            {"status", std::string(toString(s.session.status))},
            {"registration_required", s.registrationRequired},
            {"capacity", optional(s.session.capacity)},
            {"taken", s.taken},
            {"waitlisted", s.waitlisted},
            {"seats_left", optional(s.seatsLeft)},
            {"age_min", optional(s.ageMin)},
            {"age_max", optional(s.ageMax)}};
}

void runEvents(const EventsOptions& o, Context& ctx) {
    // Usage first (exit 2), then the store (exit 1 when there is none).
    std::optional<Timestamp> from, to;
    if (!o.from.empty()) from = parseDateOption("--from", o.from, ctx, false);
    if (!o.to.empty()) to = parseDateOption("--to", o.to, ctx, true);
    Database& db = ctx.open();
    Catalogue catalogue(db);
    SessionQuery q = queryFrom(o, from, to, catalogue);
    std::vector<SessionListing> sessions = allSessions(catalogue, q);

    if (o.json) {
        auto out = nlohmann::ordered_json::array();
        for (const SessionListing& s : sessions) out.push_back(listingJson(s));
        std::cout << out.dump(2) << "\n";
        return;
    }
    if (sessions.empty()) {
        std::cout << "No sessions found"
                  << (o.search.empty() ? "" : fmt::format(" for \"{}\"", o.search)) << ".\n";
        return;
    }
    Timestamp currentDay = -1;
    for (const SessionListing& s : sessions) {
        Timestamp day = startOfLocalDay(s.session.startsAt, ctx.zone);
        if (day != currentDay) {
            std::cout << (currentDay == -1 ? "" : "\n")
                      << formatDay(s.session.startsAt, o.lang, ctx.zone) << "\n";
            currentDay = day;
        }
        std::cout << fmt::format("  {}  {} {} {} {}\n", formatTime(s.session.startsAt, ctx.zone),
                                 fitColumn(s.eventTitle.get(o.lang), 42),
                                 fitColumn(s.venueName.get(o.lang), 22),
                                 fitColumn(seatsLabel(s, o.lang), 22), s.session.id);
    }
    std::cout << fmt::format(
        "\n{} session{}. Register with: fadaa register SESSION_ID --name N "
        "--phone P\n",
        sessions.size(), sessions.size() == 1 ? "" : "s");
}

void runImport(const std::string& file, const std::string& format, Context& ctx) {
    std::optional<CatalogueFormat> fmtChoice;
    if (format == "json") fmtChoice = CatalogueFormat::Json;
    if (format == "csv") fmtChoice = CatalogueFormat::Csv;
    // Read and check the whole file before the store is even opened: a bad file writes nothing,
    // not even an empty store.
    CatalogueFile parsed = readCatalogueFile(file, nowUtc(), fmtChoice, ctx.zone);
    Database& db = ctx.open(/*create=*/true);
    bool terminal = stderrIsTerminal();
    int lastShown = -1;
    ImportSummary summary = importCatalogue(db, parsed, [&](int done, int total) {
        int percent = total ? done * 100 / total : 100;
        if (terminal && percent != lastShown) {
            std::cerr << fmt::format("\rimporting {}: {}% ({}/{})", file, percent, done, total)
                      << std::flush;
            lastShown = percent;
        }
    });
    if (terminal && lastShown >= 0) std::cerr << "\n";
    std::cout << fmt::format(
        "Imported {}: {} categories, {} venues, {} organizers, {} events, {} sessions\n", file,
        summary.categories, summary.venues, summary.organizers, summary.events, summary.sessions);
}

void runExport(const std::string& format, const std::string& output, const std::string& lang,
               Context& ctx) {
    Database& db = ctx.open();
    std::string text;
    if (format == "csv") {
        text = exportCatalogueCsv(db, ctx.zone);
    } else if (format == "html") {
        Catalogue catalogue(db);
        SessionQuery upcoming;  // from now on, every category
        HtmlOptions options;
        options.lang = lang;
        options.zone = ctx.zone;
        for (const Category& c : catalogue.categories()) options.categoryNames[c.id] = c.name;
        text = renderProgrammeHtml(allSessions(catalogue, upcoming), options);
    } else {
        text = exportCatalogueJson(db, ctx.zone);
    }
    writeOutput(output, text);
}

}  // namespace

void addCatalogueCommands(CLI::App& app, Context& ctx) {
    auto events = std::make_shared<EventsOptions>();
    CLI::App* ev = app.add_subcommand("events", "Show the programme: sessions grouped by day");
    ev->add_option("--search", events->search, "Search titles, descriptions, organizer, venue");
    ev->add_option("--category", events->category, "Only this category id (chess, concert, ...)");
    ev->add_option("--from", events->from,
                   "Sessions ending after this (today, tomorrow, +7d, 2026-12-05[T18:30]); "
                   "default now");
    ev->add_option("--to", events->to, "Sessions starting before this (a day counts whole)");
    ev->add_option("--lang", events->lang, "Language of titles and days")
        ->check(CLI::IsMember({"ar", "fr", "en", "zgh"}))
        ->capture_default_str();
    ev->add_flag("--json", events->json, "Print JSON instead of a table");
    ev->callback([events, &ctx] { runEvents(*events, ctx); });

    auto file = std::make_shared<std::string>();
    auto importFormat = std::make_shared<std::string>();
    CLI::App* im = app.add_subcommand(
        "import", "Import a catalogue (JSON, or CSV of sessions); all or nothing");
    im->add_option("FILE", *file, "The file (docs/catalogue-format.md)")->required();
    im->add_option("--format", *importFormat, "json or csv; default from the file name")
        ->check(CLI::IsMember({"json", "csv"}));
    im->callback([file, importFormat, &ctx] { runImport(*file, *importFormat, ctx); });

    auto format = std::make_shared<std::string>("json");
    auto output = std::make_shared<std::string>();
    auto lang = std::make_shared<std::string>("fr");
    CLI::App* ex = app.add_subcommand(
        "export", "Export the catalogue (json and csv re-import; html: upcoming programme page)");
    ex->add_option("--format", *format, "json, csv or html")
        ->check(CLI::IsMember({"json", "csv", "html"}))
        ->capture_default_str();
    ex->add_option("-o,--output", *output, "Write to this file instead of standard output");
    ex->add_option("--lang", *lang, "Main language of the html page")
        ->check(CLI::IsMember({"ar", "fr", "en", "zgh"}))
        ->capture_default_str();
    ex->callback([format, output, lang, &ctx] { runExport(*format, *output, *lang, ctx); });
}

}  // namespace fadaa::cli
