// core/catalogue/demo_seed.cpp - seeding the demo catalogue with placeholder registrations.
#include "catalogue/demo_seed.hpp"

#include <fmt/format.h>

#include <map>

#include "registration/registration.hpp"
#include "store/database.hpp"

namespace fadaa {
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
                if (!f.choices.empty()) answers[f.key] = f.choices.front().value;
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

}  // namespace

DemoSeedResult seedDemoCatalogue(Database& db, const CatalogueFile& parsed,
                                 const std::string& kioskId, const std::string& actor,
                                 Timestamp now) {
    DemoSeedResult result;
    Statement& count = db.prepare("SELECT count(*) FROM event");
    result.existingEvents = count.step() ? static_cast<int>(count.getInt(0)) : 0;
    count.reset();
    if (result.existingEvents > 0) return result;
    result.imported = importCatalogue(db, parsed);
    result.seeded = true;

    std::map<std::string, const Event*> eventOf;  // session id -> its event in the file
    for (const Session& s : parsed.sessions)
        for (const Event& e : parsed.events)
            if (e.id == s.eventId) eventOf[s.id] = &e;

    RegistrationService service(db, kioskId, actor);
    for (const auto& [sessionId, taken] : parsed.taken) {
        auto event = eventOf.find(sessionId);
        if (event == eventOf.end()) continue;
        for (int i = 1; i <= taken && i <= 999; ++i) {
            RegistrationRequest request;
            request.sessionId = sessionId;
            request.name = fmt::format("Demo {}", i);
            request.phone = fmt::format("+212600000{:03}", i);
            request.answers = placeholderAnswers(event->second->form, request.phone);
            RegistrationOutcome outcome = service.registerFor(request, now);
            if (outcome.ok) {
                ++result.placeholders;
                continue;
            }
            // A session whose registration is closed (already started, say) cannot take them;
            // count it and go on with the others.
            ++result.refusedSessions;
            if (result.firstRefusedSession.empty() && !outcome.errors.empty()) {
                result.firstRefusedSession = sessionId;
                result.firstRefusalKey = outcome.errors.front().messageKey;
            }
            break;
        }
    }
    return result;
}

}  // namespace fadaa
