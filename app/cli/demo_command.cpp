// app/cli/demo_command.cpp - `fadaa demo`: seeds the demo catalogue (assets/demo/catalogue.json,
// dated relative to today) into a store that has no events, and fills each session's `taken`
// seats with clearly fake registrations ("Demo 1", +212600000001, ...) through the real
// RegistrationService, so the demo shows nearly full sessions and waiting lists honestly.
#include <fmt/format.h>

#include <iostream>
#include <map>

#include "catalogue/catalogue_io.hpp"
#include "cli_common.hpp"
#include "registration/registration.hpp"
#include "util/time.hpp"

namespace fadaa::cli {
namespace {

// Answers a placeholder gives to an event's required questions: the first choice, the lowest
// number allowed, "yes", a fake phone, "Demo" for text. Optional questions stay unanswered.
std::map<std::string, std::string> placeholderAnswers(const std::vector<FormField>& form,
                                                      const std::string& phone) {
    std::map<std::string, std::string> answers;
    for (const FormField& f : form) {
        if (!f.required) continue;
        switch (f.type) {
            case FieldType::Choice:
                answers[f.key] = f.choices.front().value;
                break;
            case FieldType::Number:
                answers[f.key] = std::to_string(f.min.value_or(0));
                break;
            case FieldType::Boolean:
                answers[f.key] = "yes";
                break;
            case FieldType::Phone:
                answers[f.key] = phone;
                break;
            case FieldType::Text:
                answers[f.key] = "Demo";
                break;
        }
    }
    return answers;
}

void runDemo(const std::string& catalogueOption, Context& ctx) {
    std::filesystem::path file = catalogueOption.empty()
                                     ? Context::assetsDir() / "demo" / "catalogue.json"
                                     : std::filesystem::path(catalogueOption);
    if (!std::filesystem::exists(file))
        throw Failure(
            fmt::format("demo catalogue {} not found (pass --catalogue FILE)", file.string()));
    Timestamp now = nowUtc();
    CatalogueFile parsed = readCatalogueFile(file, now);

    // Placeholder registrations are many small transactions; NORMAL durability skips the
    // per-commit fsync that real registrations need and that a demo store does not.
    Database& db = ctx.open(/*create=*/true, Durability::Normal);
    if (int n = countRows(db, "SELECT count(*) FROM event"); n > 0) {
        std::cout << fmt::format("{} already has {} events: nothing seeded.\n", ctx.dbPath, n);
        return;
    }
    ImportSummary summary = importCatalogue(db, parsed);

    std::map<std::string, const Event*> eventOf;  // session id -> its event in the file
    for (const Session& s : parsed.sessions)
        for (const Event& e : parsed.events)
            if (e.id == s.eventId) eventOf[s.id] = &e;

    RegistrationService service(db, ctx.kioskId(), "cli");
    int filled = 0, refused = 0;
    std::string firstRefusal;
    for (const auto& [sessionId, taken] : parsed.taken) {
        for (int i = 1; i <= taken && i <= 999; ++i) {
            RegistrationRequest request;
            request.sessionId = sessionId;
            request.name = fmt::format("Demo {}", i);
            request.phone = fmt::format("+212600000{:03}", i);
            request.answers = placeholderAnswers(eventOf.at(sessionId)->form, request.phone);
            RegistrationOutcome outcome = service.registerFor(request, now);
            if (outcome.ok) {
                ++filled;
                continue;
            }
            // A session whose registration is closed (already started, say) cannot take them;
            // count it and go on with the others.
            ++refused;
            if (firstRefusal.empty() && !outcome.errors.empty())
                firstRefusal = fmt::format("{}: {}", sessionId,
                                           ctx.english(outcome.errors.front().messageKey));
            break;
        }
    }
    std::cout << fmt::format("Seeded {} with {} events and {} sessions from {}.\n", ctx.dbPath,
                             summary.events, summary.sessions, file.string());
    std::cout << fmt::format(
        "Filled {} taken seats with placeholder registrations (Demo N, "
        "+212600000NNN).\n",
        filled);
    if (refused)
        std::cout << fmt::format("No placeholders in {} sessions (first: {}).\n", refused,
                                 firstRefusal);
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
