// server/lib/seat_ledger.hpp - the server's seat decisions for one write transaction.
//
// A SeatLedger loads the sessions, registrations and leases a request touches, makes every
// decision in memory (confirm, waitlist, cancel, promote, lease, release), and flush() writes
// the rows that changed plus their change-log entries in a few statements. Loading and writing
// in bulk is what keeps a 500-op push to a handful of round trips on PostgreSQL.
//
// The invariant it keeps, per session with a capacity:
//     taken + sum over active leases of (seats - used) <= capacity
// where taken counts confirmed and attended registrations. free = capacity - taken - leased
// unused; whenever free > 0 and someone is waitlisted, the first by arrival is confirmed.
// Cancelling a registration made from a lease gives the seat back to that lease when the kiosk
// holding the lease cancels it (as the kiosk does locally: RegistrationService::cancel), and to
// the session otherwise (a central cancellation, another kiosk, an expired lease), which
// promotes the first waitlisted person. A lease seat given back is released to the session at
// the kiosk's next lease renewal if people are waiting.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "change_log.hpp"
#include "model/model.hpp"
#include "sync/wire.hpp"

namespace fadaa::server {

class SqlConnection;

struct LedgerOptions {
    std::int64_t leaseTtlSeconds = 24 * 3600;    // a kiosk stops confirming from it after this
    std::int64_t leaseGraceSeconds = 24 * 3600;  // the server reclaims it this much later
    int leaseMaxSeats = 4;                       // per kiosk and session
};

struct LedgerRegistration {
    std::string id, sessionId, kioskId, status, code;
    std::optional<std::int64_t> waitlistPos;
    std::optional<std::string> leaseId;
    std::int64_t arrival = 0;  // 0 for a new one until flush() numbers it
    bool isNew = false, dirty = false;
    // Only for new registrations; flush() moves them into the inserted row.
    std::int64_t createdAt = 0;
    std::string name, phone, personKey, answers, localStatus;
    std::optional<std::string> ageBand;
};

struct LedgerLease {
    std::string id, kioskId, sessionId;
    std::int64_t seats = 0, used = 0, grantedAt = 0, expiresAt = 0;
    std::optional<std::int64_t> releasedAt;
    bool isNew = false, dirty = false;
    bool active() const { return !releasedAt; }
    std::int64_t unused() const { return seats > used ? seats - used : 0; }
};

struct LedgerSession {
    Session session;
    bool registrationRequired = true;
    std::int64_t taken = 0;             // confirmed + attended
    std::vector<std::string> waitlist;  // registration ids, arrival order
    std::vector<std::string> leases;    // active lease ids
    // The counts the session row holds (its taken and waitlisted columns) as loaded, 0 for a new
    // session: flush() writes taken and waitlist.size() back only when they differ.
    std::int64_t storedTaken = 0, storedWaitlisted = 0;
    bool dirty = false;          // counts or record changed: emit a change
    bool recordChanged = false;  // the session row itself must be written
    bool isNew = false;
};

// A registration as its kiosk learns it: {id, session_id, status, waitlist_position, code}.
nlohmann::json registrationToWire(const LedgerRegistration& r);
// The same as JSON text (registrationToWire(r).dump()), without building a tree.
std::string registrationWireText(const LedgerRegistration& r);
// That text appended to out (a push answer holds one per op).
void appendRegistrationWireText(std::string& out, const LedgerRegistration& r);

// Recounts every session's seats from its registrations and, in its own write transaction,
// repairs the session rows whose stored counts (taken, waitlisted) differ: their new counts are
// announced to kiosks, and waiting people are confirmed if seats turn out free. Returns the ids
// of the sessions repaired, none while the ledger keeps the counts (it writes them in the
// transaction that changes a status). Why: the counts decide who gets a seat, and a database
// edited by hand or restored in pieces must not keep wrong ones. `fadaa-server serve` runs it
// at start; it reads every registration once (through the registration_session index).
std::vector<std::string> repairSeatCounts(SqlConnection& conn, const LedgerOptions& options,
                                          Timestamp now);

class SeatLedger {
public:
    SeatLedger(SqlConnection& conn, LedgerOptions options, Timestamp now);
    ~SeatLedger();

    // Loading (idempotent; unknown ids are simply absent). Loading a session also loads its
    // waitlist and active leases, and reclaims leases past expiry + grace.
    void loadSessions(const std::vector<std::string>& ids);
    void loadRegistrations(const std::vector<std::string>& ids);
    void loadLeases(const std::vector<std::string>& ids);
    void loadKioskLeases(const std::string& kioskId);
    // Live (not cancelled) registrations of these person keys, by (session, person key).
    void loadPeople(const std::vector<std::string>& personKeys);

    LedgerSession* session(const std::string& id);
    LedgerRegistration* registration(const std::string& id);
    LedgerLease* lease(const std::string& id);
    LedgerRegistration* livePerson(const std::string& sessionId, const std::string& personKey);
    std::vector<LedgerLease*> activeLeasesOf(const std::string& kioskId);

    // Seats free for anyone (nullopt: no capacity limit).
    std::optional<std::int64_t> freeSeats(const LedgerSession& s) const;
    std::int64_t leasedUnused(const LedgerSession& s) const;
    wire::SessionCounts counts(const LedgerSession& s) const;

    // Decisions.
    // Adds a new registration, confirmed from `lease` when given and it has a seat, else
    // confirmed if a seat is free, else waitlisted last. Returns the stored registration.
    LedgerRegistration& admit(LedgerRegistration reg, LedgerLease* lease);
    // Cancels a confirmed or waitlisted registration (attended ones stay). byKiosk: who cancels
    // ("" = centrally), which decides whether a lease seat returns to its lease.
    void cancel(LedgerRegistration& reg, const std::string& byKiosk);
    void checkIn(LedgerRegistration& reg);
    void releaseLease(LedgerLease& lease);
    // Creates or resizes the kiosk's lease on a session so its unused seats become
    // min(wanted, leaseMaxSeats, what is free), never fewer than `mustKeep` unused seats
    // (registrations the kiosk confirmed that have not arrived yet). Renews the expiry.
    // Returns nullptr (and releases any old lease) when no seat is left to lease.
    LedgerLease* grantLease(const std::string& kioskId, LedgerSession& s, std::int64_t wanted,
                            std::int64_t mustKeep);
    // Writes a new or changed session (admin edits); throws ApiError 409 when its capacity
    // would fall below taken + leased seats. Cancelling releases its leases.
    void putSession(const Session& s);
    // Confirms waitlisted people while seats are free, then renumbers the waitlist.
    void promote(LedgerSession& s);

    // Notes that `kioskId` was told this registration's state in its push's answer: if that is
    // still its state at flush(), the change-log row skips that kiosk's incremental pulls.
    void reported(const LedgerRegistration& r, const std::string& kioskId);

    // Writes everything that changed, with change-log entries, into `changes` (flushed too).
    void flush(ChangeBuffer& changes);

    Timestamp now() const { return m_now; }
    const LedgerOptions& options() const { return m_options; }

private:
    LedgerRegistration& keep(LedgerRegistration reg);
    void renumber(LedgerSession& s);
    void writeRegistrations();
    void writeLeases();
    void writeSessions();
    // The taken and waitlisted columns of every session whose counts differ from those loaded
    // (a new session's row starts at 0, the columns' default).
    void writeSessionCounts();

    SqlConnection& m_conn;
    LedgerOptions m_options;
    Timestamp m_now;
    std::map<std::string, std::unique_ptr<LedgerSession>> m_sessions;
    std::map<std::string, std::unique_ptr<LedgerRegistration>> m_registrations;
    std::map<std::string, std::unique_ptr<LedgerLease>> m_leases;
    // (session id, person key): looked up without building the key (a find takes views).
    // Hashed, not ordered: never iterated, and a push looks up and adds one per registration.
    using PersonKey = std::pair<std::string, std::string>;
    using PersonView = std::pair<std::string_view, std::string_view>;
    struct PersonHash {
        using is_transparent = void;
        size_t operator()(const PersonView& k) const {
            size_t h = std::hash<std::string_view>{}(k.first);
            return h ^ (std::hash<std::string_view>{}(k.second) + 0x9e3779b97f4a7c15ULL + (h << 6) +
                        (h >> 2));
        }
        size_t operator()(const PersonKey& k) const {
            return (*this)(PersonView(k.first, k.second));
        }
    };
    struct PersonEqual {
        using is_transparent = void;
        bool operator()(const PersonView& a, const PersonView& b) const { return a == b; }
    };
    std::unordered_map<PersonKey, std::string, PersonHash, PersonEqual> m_people;  // -> reg id
    std::vector<std::string> m_newOrder;  // new registration ids in arrival order
    struct Told {
        std::string kioskId, status;
        std::optional<std::int64_t> waitlistPos;
    };
    // Registration id -> what its kiosk was told; hashed, never iterated.
    std::unordered_map<std::string, Told> m_reported;
};

}  // namespace fadaa::server
