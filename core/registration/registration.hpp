// core/registration/registration.hpp - registering residents for sessions, on this device.
//
// RegistrationService decides a registration's status and writes it together with its outbox
// row in one BEGIN IMMEDIATE transaction, so two processes racing for the last seat serialise
// and exactly one is confirmed.
//
// Who may confirm a seat (design.md section 1): while the kiosk is not enrolled with a city
// server (standalone), the local store is the authority and a registration is `confirmed` while
// seats are left, else `waitlisted`. Once enrolled, a kiosk confirms only from a seat lease the
// server granted (table seat_lease) and still usable by the rule of lease_clock.hpp; beyond it
// the registration is `provisional` until the server decides. A session without a capacity
// limit has no seat to overbook: `confirmed` at once, enrolled or not (the server agrees).
//
// Statuses and who holds a seat: confirmed, provisional and attended registrations count
// against a session's capacity (as Catalogue's `taken` does); waitlisted and cancelled do not.
// Registration::waitlistPosition is the 1-based rank in the session's current waiting list
// (the store keeps arrival order in registration.waitlist_pos; the rank is computed on read).
// Enrolled kiosks show the server's waiting list: sync writes the server's rank into
// waitlist_pos and it is returned as is.
//
// Every write (registration, cancellation, promotion, lease seat count) commits in one
// transaction with its outbox row ('register' / 'cancel') and an audit_log row (ids only).
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "model/model.hpp"
#include "registration/lease_clock.hpp"

namespace fadaa {

class Database;

// The kiosk id this device's registrations carry: the enrolled kiosk's id (sync_state
// 'kiosk_id') once enrolled, else `standaloneId`.
std::string deviceKioskId(Database& db, const std::string& standaloneId = "local");

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

// AlreadyAttended: the person came (checked in); there is nothing to cancel any more.
enum class CancelResult { Cancelled, AlreadyCancelled, NotFound, AlreadyAttended };

struct CancelOutcome {
    CancelResult result = CancelResult::NotFound;
    std::optional<Registration> cancelled;  // the registration as it is now (also when
                                            // AlreadyCancelled / AlreadyAttended)
    std::optional<Registration> promoted;   // the first waitlisted person, now confirmed
                                            // (standalone kiosks only: once enrolled, the
                                            // server promotes and kiosks learn it by pull)
};

class RegistrationService {
public:
    // kioskId identifies this device in registrations while it is standalone; once the store is
    // enrolled, registrations carry the enrolled kiosk id (read at each write, so an enrolment
    // made by another process meanwhile counts). `now` is injectable for tests. actor is what
    // audit_log records as the author of writes ('resident', 'cli', a staff id).
    RegistrationService(Database& db, std::string kioskId, std::string actor = "resident");

    // Validates and registers. Never throws for bad input (errors come back in the outcome);
    // throws StoreError when the store itself fails (disk full, ...), with nothing written.
    //
    // Order of decisions: input errors (validation.hpp) and an unknown session first; then the
    // same person's live registration for the session, returned as is (existing = true, nothing
    // written), so a retried request always gets the same answer even if registration closed
    // meanwhile; then the session's state (no registration, cancelled, window); then status:
    // - standalone (no 'kiosk_token' in sync_state): confirmed while seats are left (capacity
    //   NULL: always), else waitlisted at the end of the waiting list;
    // - enrolled, no capacity limit: confirmed;
    // - enrolled: confirmed from the session's seat lease when it is usable (lease_clock.hpp:
    //   not expired by the wall clock corrected with 'clock_skew_seconds', nor by the time
    //   elapsed since the lease was received) and has a seat left (the seat is counted in the
    //   same transaction and the lease id goes into the outbox payload), else provisional.
    // Times (window, created_at) are `now` (default: the clocks' wall reading) corrected by
    // 'clock_skew_seconds'.
    RegistrationOutcome registerFor(const RegistrationRequest& request,
                                    std::optional<Timestamp> now = std::nullopt);

    // Cancels by human code + phone (both as typed; the code is read with Crockford's rules).
    // A wrong phone is NotFound, like a wrong code, so a code alone reveals nothing.
    // Standalone: if the cancelled registration held a seat, the first waitlisted registration
    // of the session (arrival order) is confirmed in the same transaction. Enrolled: a seat
    // confirmed from the current lease goes back to that lease; nobody is promoted locally.
    CancelOutcome cancel(const std::string& code, const std::string& phone,
                         std::optional<Timestamp> now = std::nullopt);

    // Looks a registration up by code + phone (for "my registration"); nullopt if either is
    // wrong, so a code alone reveals nothing.
    std::optional<Registration> find(const std::string& code, const std::string& phone);

    // Registrations in arrival order (created_at, then insertion order), cancelled ones included.
    std::vector<Registration> forSession(const std::string& sessionId);
    std::vector<Registration> all();

    // Replaces the human-code generator (default newHumanCode), so tests can force collisions.
    // It is called with the length wanted: 6, or 7 after three collisions in a row.
    void setCodeGenerator(std::function<std::string(int length)> generator);
    // Replaces the clock reader (default readClocks), so tests can move the boot clock or
    // restart the device; registerFor's `now`, when given, replaces the wall reading.
    void setClocks(std::function<ClockReading()> clocks);

    // The kiosk id new registrations get now (deviceKioskId with the constructor's id).
    std::string kioskId();

private:
    Database& m_db;
    std::string m_kioskId;
    std::string m_actor;
    std::function<std::string(int)> m_newCode;
    std::function<ClockReading()> m_clocks;
};

}  // namespace fadaa
