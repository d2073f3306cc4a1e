// core/model/model.hpp - the domain types every part of Fadaa speaks (design.md section 2).
//
// Plain structs, no behaviour beyond small helpers. Times are Unix seconds, UTC. Translatable
// text is LocalizedText; the store keeps it as a JSON object {"ar":..,"fr":..,"en":..,"zgh":..}.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace fadaa {

using Timestamp = std::int64_t;  // Unix seconds, UTC

// The languages the kiosk speaks, by their BCP 47 tags as used in files and the store.
inline constexpr std::string_view kLanguages[] = {"ar", "fr", "en", "zgh"};

// Text in several languages. get() falls back so a resident never sees an empty title:
// the asked language, then French, Arabic, English, Tamazight, then any.
struct LocalizedText {
    std::map<std::string, std::string> byLang;

    const std::string& get(std::string_view lang) const;
    bool has(std::string_view lang) const;
    bool empty() const { return byLang.empty(); }
    // JSON object text <-> LocalizedText. fromJson throws std::invalid_argument on bad input.
    std::string toJson() const;
    static LocalizedText fromJson(std::string_view json);
};

struct Category {
    std::string id;  // play, concert, chess, conference, workshop, bootcamp, reading, course, ...
    LocalizedText name;
    int sortOrder = 0;
};

struct Venue {
    std::string id;
    LocalizedText name;
    std::string address;
};

struct Organizer {
    std::string id;
    LocalizedText name;
};

// One extra question an event asks on registration (chess: section, rating, FIDE id, ...).
enum class FieldType { Text, Number, Choice, Phone, Boolean };

struct FormChoice {
    std::string value;
    LocalizedText label;
};

struct FormField {
    std::string key;
    FieldType type = FieldType::Text;
    LocalizedText label;
    bool required = false;
    std::vector<FormChoice> choices;     // Choice only
    std::optional<std::int64_t> min;     // Number only
    std::optional<std::int64_t> max;     // Number only
    int maxLength = 80;                  // Text only, in code points
};

// The form definition as stored in event.form (JSON array). Throws std::invalid_argument.
std::string formToJson(const std::vector<FormField>& form);
std::vector<FormField> formFromJson(std::string_view json);
std::string_view toString(FieldType type);
std::optional<FieldType> fieldTypeFromString(std::string_view text);

struct Event {
    std::string id;
    std::string categoryId;
    std::optional<std::string> organizerId;
    LocalizedText title;
    LocalizedText description;
    std::optional<int> ageMin;
    std::optional<int> ageMax;
    bool registrationRequired = true;
    std::vector<FormField> form;
    std::int64_t version = 1;
    Timestamp updatedAt = 0;
};

enum class SessionStatus { Scheduled, Cancelled };

struct Session {
    std::string id;
    std::string eventId;
    std::optional<std::string> venueId;
    Timestamp startsAt = 0;
    Timestamp endsAt = 0;
    std::optional<int> capacity;  // nullopt: no limit
    std::optional<Timestamp> regOpensAt;
    std::optional<Timestamp> regClosesAt;  // nullopt: registration closes at the start
    SessionStatus status = SessionStatus::Scheduled;
    Timestamp updatedAt = 0;
};

enum class RegistrationStatus { Confirmed, Provisional, Waitlisted, Cancelled, Attended };
std::string_view toString(RegistrationStatus status);
std::optional<RegistrationStatus> registrationStatusFromString(std::string_view text);
std::string_view toString(SessionStatus status);
std::optional<SessionStatus> sessionStatusFromString(std::string_view text);

struct Registration {
    std::string id;  // UUIDv7
    std::string sessionId;
    std::string kioskId;
    Timestamp createdAt = 0;
    Timestamp updatedAt = 0;
    std::string name;
    std::string phone;  // E.164
    std::optional<std::string> ageBand;
    std::map<std::string, std::string> answers;
    RegistrationStatus status = RegistrationStatus::Confirmed;
    std::string code;  // Crockford base32, shown to people
    std::optional<int> waitlistPosition;
};

}  // namespace fadaa
