// app/cli/registration_commands.cpp - `fadaa register`, `fadaa cancel` and
// `fadaa registrations` (the list for staff, as CSV or JSON).
#include <fmt/format.h>

#include <iostream>
#include <nlohmann/json.hpp>

#include "cli_common.hpp"
#include "registration/registration.hpp"
#include "util/csv.hpp"
#include "util/time.hpp"

namespace fadaa::cli {
namespace {

struct RegisterOptions {
    std::string session;
    std::string name;
    std::string phone;
    std::vector<std::string> answers;  // key=value
    bool json = false;
};

std::map<std::string, std::string> parseAnswers(const std::vector<std::string>& given) {
    std::map<std::string, std::string> answers;
    for (const std::string& a : given) {
        auto eq = a.find('=');
        if (eq == std::string::npos || eq == 0)
            throw UsageFailure(fmt::format("--answer '{}' is not key=value", a));
        if (!answers.emplace(a.substr(0, eq), a.substr(eq + 1)).second)
            throw UsageFailure(fmt::format("--answer '{}' given twice", a.substr(0, eq)));
    }
    return answers;
}

// Text typed by residents, made inert for spreadsheets: a cell starting with = + - @ (or a tab
// or carriage return) is a formula to Excel and LibreOffice, so a name like
// "=HYPERLINK(...)" typed at a public kiosk could act on a staff computer. A leading
// apostrophe makes the tools show it as text. Phones (E.164, always "+212...") are ours, not
// typed text, and are left as they are.
std::string spreadsheetSafe(const std::string& typed) {
    if (!typed.empty() && std::string_view("=+-@\t\r").find(typed.front()) != std::string::npos)
        return "'" + typed;
    return typed;
}

std::string statusSentence(const Registration& r) {
    switch (r.status) {
        case RegistrationStatus::Confirmed:
            return "Confirmed";
        case RegistrationStatus::Provisional:
            return "Provisional (the city server confirms it at the next sync)";
        case RegistrationStatus::Waitlisted:
            return r.waitlistPosition
                       ? fmt::format("On the waiting list, position {}", *r.waitlistPosition)
                       : std::string("On the waiting list");
        case RegistrationStatus::Cancelled:
            return "Cancelled";
        case RegistrationStatus::Attended:
            return "Attended";
    }
    return "";
}

void runRegister(const RegisterOptions& o, Context& ctx) {
    RegistrationRequest request;
    request.sessionId = o.session;
    request.name = o.name;
    request.phone = o.phone;
    request.answers = parseAnswers(o.answers);
    Database& db = ctx.open();
    RegistrationService service(db, ctx.kioskId(), "cli");
    RegistrationOutcome outcome = service.registerFor(request);

    if (!outcome.ok) {
        std::string reason;
        auto errors = nlohmann::ordered_json::array();
        for (const FieldError& e : outcome.errors) {
            std::string text = ctx.english(e.messageKey);
            reason += fmt::format("{}{}: {}", reason.empty() ? "" : "; ", e.field, text);
            errors.push_back({{"field", e.field}, {"key", e.messageKey}, {"message", text}});
        }
        if (o.json)
            std::cout << nlohmann::ordered_json{{"ok", false}, {"errors", errors}}.dump() << "\n";
        throw Failure("cannot register: " + reason);
    }
    const Registration& r = outcome.registration;
    if (o.json) {
        nlohmann::ordered_json out = {
            {"ok", true},
            {"code", r.code},
            {"status", std::string(toString(r.status))},
            {"session_id", r.sessionId},
            {"registration_id", r.id},
            {"existing", outcome.existing},
            {"waitlist_position",
             r.waitlistPosition ? nlohmann::ordered_json(*r.waitlistPosition) : nullptr}};
        std::cout << out.dump() << "\n";
        return;
    }
    if (outcome.existing) std::cout << "Already registered for this session.\n";
    std::cout << fmt::format("{}. Code: {} (session {})\n", statusSentence(r), r.code, r.sessionId);
}

void runCancel(const std::string& code, const std::string& phone, Context& ctx) {
    Database& db = ctx.open();
    RegistrationService service(db, ctx.kioskId(), "cli");
    CancelOutcome outcome = service.cancel(code, phone);
    switch (outcome.result) {
        case CancelResult::NotFound:
            throw Failure(fmt::format("no registration with code {} and this phone number", code));
        case CancelResult::AlreadyCancelled:
            std::cout << fmt::format("Registration {} was already cancelled.\n", code);
            return;
        case CancelResult::AlreadyAttended:
            throw Failure(
                fmt::format("registration {} has already attended: it cannot be "
                            "cancelled",
                            code));
        case CancelResult::Cancelled:
            std::cout << fmt::format("Cancelled {}.\n",
                                     outcome.cancelled ? outcome.cancelled->code : code);
            if (outcome.promoted)
                std::cout << fmt::format(
                    "Registration {} moved from the waiting list to "
                    "confirmed.\n",
                    outcome.promoted->code);
            return;
    }
}

void runRegistrations(const std::string& session, const std::string& format, Context& ctx) {
    Database& db = ctx.open();
    if (!session.empty()) {
        Catalogue catalogue(db);
        if (!catalogue.session(session)) throw Failure(fmt::format("no session '{}'", session));
    }
    RegistrationService service(db, ctx.kioskId(), "cli");
    std::vector<Registration> list = session.empty() ? service.all() : service.forSession(session);
    if (format == "json") {
        auto out = nlohmann::ordered_json::array();
        for (const Registration& r : list)
            out.push_back(
                {{"code", r.code},
                 {"status", std::string(toString(r.status))},
                 {"session_id", r.sessionId},
                 {"name", r.name},
                 {"phone", r.phone},
                 {"age_band", r.ageBand ? nlohmann::ordered_json(*r.ageBand) : nullptr},
                 {"answers", r.answers},
                 {"waitlist_position",
                  r.waitlistPosition ? nlohmann::ordered_json(*r.waitlistPosition) : nullptr},
                 {"created_at", isoUtc(r.createdAt)},
                 {"id", r.id}});
        writeOutput("", out.dump(2) + "\n");
        return;
    }
    std::string out = csvLine({"code", "status", "session_id", "name", "phone", "age_band",
                               "answers", "waitlist_position", "created_at", "id"});
    for (const Registration& r : list)
        out += csvLine({r.code, std::string(toString(r.status)), r.sessionId,
                        spreadsheetSafe(r.name), r.phone, spreadsheetSafe(r.ageBand.value_or("")),
                        nlohmann::json(r.answers).dump(),
                        r.waitlistPosition ? std::to_string(*r.waitlistPosition) : "",
                        isoUtc(r.createdAt), r.id});
    writeOutput("", out);
}

}  // namespace

void addRegistrationCommands(CLI::App& app, Context& ctx) {
    auto reg = std::make_shared<RegisterOptions>();
    CLI::App* r = app.add_subcommand("register", "Register a person for a session");
    r->add_option("SESSION", reg->session, "Session id (see `fadaa events`)")->required();
    r->add_option("--name", reg->name, "Name of the person")->required();
    r->add_option("--phone", reg->phone, "Moroccan phone number, any usual form")->required();
    r->add_option("--answer", reg->answers, "An answer to the event's form: key=value (repeat)")
        ->allow_extra_args(false);
    r->add_flag("--json", reg->json, "Print the result as JSON (code, status, ...)");
    r->callback([reg, &ctx] { runRegister(*reg, ctx); });

    auto code = std::make_shared<std::string>();
    auto phone = std::make_shared<std::string>();
    CLI::App* c = app.add_subcommand(
        "cancel", "Cancel a registration by its code and phone; promotes the waiting list");
    c->add_option("CODE", *code, "The registration code")->required();
    c->add_option("--phone", *phone, "The phone number it was made with")->required();
    c->callback([code, phone, &ctx] { runCancel(*code, *phone, ctx); });

    auto session = std::make_shared<std::string>();
    auto format = std::make_shared<std::string>("csv");
    CLI::App* l = app.add_subcommand(
        "registrations",
        "List registrations (personal data: handle with care); in CSV, typed text that a "
        "spreadsheet would run as a formula starts with '");
    l->add_option("--session", *session, "Only this session");
    l->add_option("--format", *format, "csv or json")
        ->check(CLI::IsMember({"csv", "json"}))
        ->capture_default_str();
    l->callback([session, format, &ctx] { runRegistrations(*session, *format, ctx); });
}

}  // namespace fadaa::cli
