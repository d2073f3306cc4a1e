// core/registration/registration.hpp - registering residents for sessions, on this device.
//
// RegistrationService decides a registration's status and writes it together with its outbox
// row in one BEGIN IMMEDIATE transaction, so two processes racing for the last seat serialise
// and exactly one is confirmed.
//
// Who may confirm a seat (design.md section 1): while the kiosk is not enrolled with a city
// server (standalone), the local store is the authority and a registration is `confirmed` while
// seats are left, else `waitlisted`. Once enrolled, a kiosk confirms only from a seat lease the
// server granted (table seat_lease); beyond it the registration is `provisional` until the
// server decides.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "model/model.hpp"

namespace fadaa {

class Database;

// What a resident typed. Validation turns it into a Registration or a list of problems.
struct RegistrationRequest {
    std::string sessionId;
    std::string name;
    std::string phone;  // any usual Moroccan form
    std::optional<std::string> ageBand;
    std::map<std::string, std::string> answers;  // form field key -> typed value
};

// One problem with one field. `field` is "name", "phone", "session" or a form field key;
// `messageKey` is a translation key (e.g. "error.name.required"), never an English sentence.
struct FieldError {
    std::string field;
    std::string messageKey;
};

struct RegistrationOutcome {
    bool ok = false;
    std::vector<FieldError> errors;  // when !ok
    Registration registration;       // when ok
    bool existing = false;           // the same person was already registered: theirs returned
};

enum class CancelResult { Cancelled, AlreadyCancelled, NotFound };

struct CancelOutcome {
    CancelResult result = CancelResult::NotFound;
    std::optional<Registration> cancelled;
    std::optional<Registration> promoted;  // the first waitlisted person, now confirmed
};

class RegistrationService {
public:
    // kioskId identifies this device in registrations and sync; `now` is injectable for tests.
    RegistrationService(Database& db, std::string kioskId);

    // Validates and registers. Never throws for bad input (errors come back in the outcome);
    // throws StoreError when the store itself fails (disk full, ...), with nothing written.
    RegistrationOutcome registerFor(const RegistrationRequest& request,
                                    std::optional<Timestamp> now = std::nullopt);

    // Cancels by human code + phone (both as typed). The first waitlisted registration of the
    // session is promoted in the same transaction.
    CancelOutcome cancel(const std::string& code, const std::string& phone,
                         std::optional<Timestamp> now = std::nullopt);

    // Looks a registration up by code + phone (for "my registration"); nullopt if either is
    // wrong, so a code alone reveals nothing.
    std::optional<Registration> find(const std::string& code, const std::string& phone);

    std::vector<Registration> forSession(const std::string& sessionId);
    std::vector<Registration> all();

private:
    Database& m_db;
    std::string m_kioskId;
};

}  // namespace fadaa
