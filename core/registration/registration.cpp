// core/registration/registration.cpp - RegistrationService: status decisions, waiting list,
// seat leases, cancellation; each write with its outbox and audit rows in one transaction.
#include "registration/registration.hpp"

#include <fmt/format.h>

#include <nlohmann/json.hpp>
#include <stdexcept>

#include "registration/lease_clock.hpp"
#include "registration/validation.hpp"
#include "store/database.hpp"
#include "util/ids.hpp"
#include "util/time.hpp"

namespace fadaa {

using nlohmann::json;

namespace {

// Codes of 6 symbols (32^6, about 10^9) collide rarely; after this many collisions in a row
// the store is crowded enough that 7 symbols are worth the extra key press.
constexpr int kCollisionsBeforeLongerCode = 3;
constexpr int kMaxCodeAttempts = 20;

// The columns readRow() expects. The last one is the rank in the waiting list, computed from
// the arrival order kept in waitlist_pos. On an enrolled kiosk the waiting list is the server's
// (people from every kiosk): sync stores the server's rank in waitlist_pos, and it is read as is.
constexpr std::string_view kSelectRegistration = R"sql(
SELECT r.id, r.session_id, r.kiosk_id, r.created_at, r.updated_at, r.name, r.phone, r.age_band,
       r.answers, r.status, r.code, r.lease_id,
       CASE WHEN r.status = 'waitlisted' AND r.waitlist_pos IS NOT NULL THEN
           CASE WHEN EXISTS (SELECT 1 FROM sync_state WHERE key = 'kiosk_token')
                THEN r.waitlist_pos
                ELSE (SELECT count(*) FROM registration w WHERE w.session_id = r.session_id
                        AND w.status = 'waitlisted' AND w.waitlist_pos <= r.waitlist_pos)
           END
       END
FROM registration r )sql";

std::string selectWhere(std::string_view condition) {
    return std::string(kSelectRegistration) + std::string(condition);
}


// A registration row plus what only the service needs to know about it.
struct Row {
    Registration registration;
    std::optional<std::string> leaseId;
};

Row readRow(const Statement& st) {
    Row row;
    Registration& r = row.registration;
    r.id = st.getText(0);
    r.sessionId = st.getText(1);
    r.kioskId = st.getText(2);
    r.createdAt = st.getInt(3);
    r.updatedAt = st.getInt(4);
    r.name = st.getText(5);
    r.phone = st.getText(6);
    r.ageBand = st.getOptText(7);
    json answers = json::parse(st.getText(8), nullptr, false);
    if (answers.is_object())
        for (auto& [key, value] : answers.items())
            if (value.is_string()) r.answers[key] = value.get<std::string>();
    r.status = registrationStatusFromString(st.getText(9)).value_or(RegistrationStatus::Cancelled);
    r.code = st.getText(10);
    row.leaseId = st.getOptText(11);
    if (auto rank = st.getOptInt(12)) r.waitlistPosition = static_cast<int>(*rank);
    return row;
}

// Runs a query expected to return at most one row; the statement is reset before returning so
// no read stays open past the transaction.
std::optional<Row> queryRow(Statement& st) {
    std::optional<Row> row;
    if (st.step()) row = readRow(st);
    st.reset();
    return row;
}

std::vector<Registration> queryAll(Statement& st) {
    std::vector<Registration> out;
    while (st.step()) out.push_back(readRow(st).registration);
    return out;
}

std::int64_t queryInt(Statement& st) {
    std::int64_t value = st.step() ? st.getInt(0) : 0;
    st.reset();
    return value;
}

std::optional<std::string> syncValue(Database& db, std::string_view key) {
    auto& st = db.prepare("SELECT value FROM sync_state WHERE key = ?").bindAll(key);
    std::optional<std::string> value;
    if (st.step()) value = st.getText(0);
    st.reset();
    return value;
}

// Enrolled with a city server: from then on only a lease confirms seats here.
bool isEnrolled(Database& db) {
    return syncValue(db, "kiosk_token").has_value();
}

// What registerFor needs to know about a session and its event.
struct SessionInfo {
    std::string id;
    Timestamp startsAt = 0;
    std::optional<std::int64_t> capacity;
    std::optional<Timestamp> regOpensAt;
    std::optional<Timestamp> regClosesAt;
    bool cancelled = false;
    bool registrationRequired = true;
    std::vector<FormField> form;
};

std::optional<SessionInfo> loadSession(Database& db, const std::string& sessionId) {
    auto& st = db.prepare(
        "SELECT s.id, s.starts_at, s.capacity, s.reg_opens_at, s.reg_closes_at, s.status, "
        "e.registration_required, e.form, e.id "
        "FROM session s JOIN event e ON e.id = s.event_id WHERE s.id = ?");
    st.bindAll(sessionId);
    if (!st.step()) {
        st.reset();
        return std::nullopt;
    }
    SessionInfo info;
    info.id = st.getText(0);
    info.startsAt = st.getInt(1);
    info.capacity = st.getOptInt(2);
    info.regOpensAt = st.getOptInt(3);
    info.regClosesAt = st.getOptInt(4);
    info.cancelled = st.getText(5) == "cancelled";
    info.registrationRequired = st.getInt(6) != 0;
    std::string form = st.getText(7), eventId = st.getText(8);
    st.reset();
    try {
        info.form = formFromJson(form);
    } catch (const std::invalid_argument& e) {
        // Catalogue data, not the resident's input: refuse rather than skip the event's checks.
        throw StoreError(SQLITE_ERROR, fmt::format("event {} has an invalid form definition: {}",
                                                   eventId, e.what()));
    }
    return info;
}

// The session-level reason a new registration is refused at `now`, or "" if none.
std::string sessionProblem(const SessionInfo& s, Timestamp now) {
    if (!s.registrationRequired) return "error.session.no_registration";
    if (s.cancelled) return "error.session.cancelled";
    if (now >= s.regClosesAt.value_or(s.startsAt)) return "error.session.closed";
    if (s.regOpensAt && now < *s.regOpensAt) return "error.session.not_open_yet";
    return {};
}

void writeAudit(Database& db, Timestamp at, const std::string& actor, std::string_view action,
                const std::string& registrationId, const json& detail) {
    db.prepare("INSERT INTO audit_log(at, actor, action, subject, detail) VALUES (?, ?, ?, ?, ?)")
        .bindAll(at, actor, action, registrationId, detail.dump())
        .exec();
}

void writeOutbox(Database& db, Timestamp at, std::string_view kind, const json& payload) {
    db.prepare("INSERT INTO outbox(op_id, kind, payload, created_at) VALUES (?, ?, ?, ?)")
        .bindAll(newUuidV7(), kind, payload.dump(), at)
        .exec();
}

// Seats are held by confirmed, provisional and attended registrations: the live ones less the
// waitlisted, each counted in an index (schema v6; Catalogue's `taken` counts the same).
std::int64_t seatsTaken(Database& db, const std::string& sessionId) {
    return queryInt(db.prepare("SELECT (SELECT count(*) FROM registration "
                               "        WHERE session_id = ?1 AND cancelled = 0) - "
                               "       (SELECT count(*) FROM registration "
                               "        WHERE session_id = ?1 AND status = 'waitlisted')")
                        .bindAll(sessionId));
}

// Standalone only: confirms waitlisted registrations, first come first served, while the
// session has free seats. Runs inside the caller's transaction. Returns them in that order.
std::vector<Registration> promoteWaitlisted(Database& db, const std::string& actor,
                                            const std::string& sessionId, Timestamp now) {
    std::vector<Registration> promoted;
    auto& info = db.prepare("SELECT capacity, status FROM session WHERE id = ?").bindAll(sessionId);
    if (!info.step()) {
        info.reset();
        return promoted;
    }
    std::optional<std::int64_t> capacity = info.getOptInt(0);
    bool cancelled = info.getText(1) == "cancelled";
    info.reset();
    if (cancelled) return promoted;
    std::int64_t taken = seatsTaken(db, sessionId);
    while (!capacity || taken < *capacity) {
        auto& first = db.prepare(
            "SELECT id FROM registration WHERE session_id = ? AND status = 'waitlisted' "
            "ORDER BY waitlist_pos, rowid LIMIT 1");
        first.bindAll(sessionId);
        if (!first.step()) {
            first.reset();
            break;
        }
        std::string id = first.getText(0);
        first.reset();
        db.prepare(
              "UPDATE registration SET status = 'confirmed', waitlist_pos = NULL, "
              "updated_at = ? WHERE id = ?")
            .bindAll(now, id)
            .exec();
        writeAudit(db, now, actor, "registration.promote", id,
                   {{"session_id", sessionId}, {"status", "confirmed"}});
        promoted.push_back(
            queryRow(db.prepare(selectWhere("WHERE r.id = ?")).bindAll(id))->registration);
        ++taken;
    }
    return promoted;
}

}  // namespace

std::string deviceKioskId(Database& db, const std::string& standaloneId) {
    return syncValue(db, "kiosk_id").value_or(standaloneId);
}

RegistrationService::RegistrationService(Database& db, std::string kioskId, std::string actor)
    : m_db(db),
      m_kioskId(std::move(kioskId)),
      m_actor(std::move(actor)),
      m_newCode(newHumanCode),
      m_clocks(readClocks) {}

void RegistrationService::setClocks(std::function<ClockReading()> clocks) {
    m_clocks = clocks ? std::move(clocks) : std::function<ClockReading()>(readClocks);
}

std::string RegistrationService::kioskId() {
    return deviceKioskId(m_db, m_kioskId);
}

void RegistrationService::setCodeGenerator(std::function<std::string(int)> generator) {
    m_newCode = generator ? std::move(generator) : std::function<std::string(int)>(newHumanCode);
}

RegistrationOutcome RegistrationService::registerFor(const RegistrationRequest& request,
                                                     std::optional<Timestamp> now) {
    RegistrationOutcome outcome;
    // One write transaction from the first read to the commit: two processes racing for
    // the last seat serialise here, and every decision below sees the same state it writes to.
    Transaction tx(m_db);
    ClockReading clocks = m_clocks();
    if (now) clocks.wall = *now;
    const Timestamp at = clocks.wall + storedClockSkew(m_db);

    std::optional<SessionInfo> session;
    if (isValidUtf8(request.sessionId)) session = loadSession(m_db, request.sessionId);
    if (!session) {
        // Without the event's form the answers cannot be judged; report the rest.
        RegistrationRequest withoutAnswers = request;
        withoutAnswers.answers.clear();
        outcome.errors = validateRequest(withoutAnswers, {});
        outcome.errors.push_back({"session", "error.session.not_found"});
        return outcome;
    }
    ValidatedRequest checked = checkRequest(request, session->form);
    if (!checked.errors.empty()) {
        outcome.errors = std::move(checked.errors);
        return outcome;
    }
    const RegistrationRequest& clean = checked.cleaned;
    const std::string person = personKey(clean.phone, clean.name);

    // `cancelled`, not the status: the person index filters on it (schema v6).
    auto existing = queryRow(m_db.prepare(selectWhere("WHERE r.session_id = ? AND r.person_key = ? "
                                                      "AND r.cancelled = 0"))
                                 .bindAll(session->id, person));
    if (existing) {
        outcome.ok = true;
        outcome.existing = true;
        outcome.registration = std::move(existing->registration);
        return outcome;  // nothing written; the transaction rolls back
    }
    if (std::string problem = sessionProblem(*session, at); !problem.empty()) {
        outcome.errors.push_back({"session", problem});
        return outcome;
    }

    Registration r;
    r.id = newUuidV7();
    r.sessionId = session->id;
    r.kioskId = deviceKioskId(m_db, m_kioskId);
    r.createdAt = r.updatedAt = at;
    r.name = clean.name;
    r.phone = clean.phone;
    r.ageBand = clean.ageBand;
    r.answers = clean.answers;
    std::optional<std::string> leaseId;
    std::optional<std::int64_t> waitlistSlot;

    if (isEnrolled(m_db) && !session->capacity) {
        // No limit: there is no seat to overbook, so nothing for the server to decide.
        r.status = RegistrationStatus::Confirmed;
    } else if (isEnrolled(m_db)) {
        auto& lease = m_db.prepare(
            "SELECT lease_id FROM seat_lease WHERE session_id = ? AND expires_at > ? "
            "AND used < seats");
        lease.bindAll(session->id, leaseDeadlineClock(m_db, clocks));
        if (lease.step()) leaseId = lease.getText(0);
        lease.reset();
        if (leaseId) {
            m_db.prepare("UPDATE seat_lease SET used = used + 1 WHERE session_id = ?")
                .bindAll(session->id)
                .exec();
        }
        r.status = leaseId ? RegistrationStatus::Confirmed : RegistrationStatus::Provisional;
    } else {
        // Free seats go to people already waiting before anyone new (after a capacity raise).
        promoteWaitlisted(m_db, m_actor, session->id, at);
        bool seatLeft = !session->capacity || seatsTaken(m_db, session->id) < *session->capacity;
        if (seatLeft) {
            r.status = RegistrationStatus::Confirmed;
        } else {
            r.status = RegistrationStatus::Waitlisted;
            waitlistSlot = queryInt(m_db.prepare("SELECT coalesce(max(waitlist_pos), 0) + 1 "
                                                 "FROM registration WHERE session_id = ? "
                                                 "AND status = 'waitlisted'")
                                        .bindAll(session->id));
            r.waitlistPosition = static_cast<int>(
                queryInt(m_db.prepare("SELECT count(*) FROM registration WHERE session_id = ? "
                                      "AND status = 'waitlisted'")
                             .bindAll(session->id)) +
                1);
        }
    }

    // A fresh code, checked against the store under the write lock (so no other process can
    // take it before the commit).
    for (int attempt = 0;; ++attempt) {
        if (attempt == kMaxCodeAttempts)
            throw StoreError(SQLITE_FULL, "no free registration code found; codes exhausted?");
        r.code = normalizeHumanCode(m_newCode(attempt < kCollisionsBeforeLongerCode ? 6 : 7));
        if (r.code.empty()) continue;
        auto& taken = m_db.prepare("SELECT 1 FROM registration WHERE code = ?").bindAll(r.code);
        bool collision = taken.step();
        taken.reset();
        if (!collision) break;
    }

    json answers = json::object();
    for (const auto& [key, value] : r.answers) answers[key] = value;
    const std::string status(toString(r.status));
    m_db.prepare(
            "INSERT INTO registration(id, session_id, kiosk_id, created_at, updated_at, name, "
            "phone, age_band, answers, status, code, person_key, waitlist_pos, lease_id) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
        .bindAll(r.id, r.sessionId, r.kioskId, r.createdAt, r.updatedAt, r.name, r.phone, r.ageBand,
                 answers.dump(), status, r.code, person, waitlistSlot, leaseId)
        .exec();
    writeOutbox(m_db, at, "register",
                {{"registration_id", r.id},
                 {"session_id", r.sessionId},
                 {"code", r.code},
                 {"name", r.name},
                 {"phone", r.phone},
                 {"age_band", r.ageBand ? json(*r.ageBand) : json(nullptr)},
                 {"answers", answers},
                 {"local_status", status},
                 {"lease_id", leaseId ? json(*leaseId) : json(nullptr)}});
    writeAudit(m_db, at, m_actor, "registration.create", r.id,
               {{"session_id", r.sessionId}, {"status", status}});
    tx.commit();

    outcome.ok = true;
    outcome.registration = std::move(r);
    return outcome;
}

CancelOutcome RegistrationService::cancel(const std::string& code, const std::string& phone,
                                          std::optional<Timestamp> now) {
    CancelOutcome outcome;
    std::string normalizedCode = normalizeHumanCode(code);
    std::optional<std::string> e164 = normalizeMoroccanPhone(phone);
    if (normalizedCode.empty() || !e164) return outcome;

    Transaction tx(m_db);
    const Timestamp at = now.value_or(m_clocks().wall) + storedClockSkew(m_db);
    auto row = queryRow(m_db.prepare(selectWhere("WHERE r.code = ?")).bindAll(normalizedCode));
    if (!row || row->registration.phone != *e164) return outcome;  // reveal nothing

    Registration& r = row->registration;
    if (r.status == RegistrationStatus::Cancelled || r.status == RegistrationStatus::Attended) {
        outcome.result = r.status == RegistrationStatus::Cancelled ? CancelResult::AlreadyCancelled
                                                                   : CancelResult::AlreadyAttended;
        outcome.cancelled = std::move(r);
        return outcome;
    }
    bool heldSeat = r.status != RegistrationStatus::Waitlisted;
    m_db.prepare(
            "UPDATE registration SET status = 'cancelled', waitlist_pos = NULL, "
            "updated_at = ? WHERE id = ?")
        .bindAll(at, r.id)
        .exec();
    if (row->leaseId) {
        // The seat returns to the lease it came from, if that lease is still the current one;
        // an expired or replaced lease is the server's to account for.
        m_db.prepare(
                "UPDATE seat_lease SET used = used - 1 "
                "WHERE session_id = ? AND lease_id = ? AND used > 0")
            .bindAll(r.sessionId, *row->leaseId)
            .exec();
    } else if (heldSeat && !isEnrolled(m_db)) {
        auto promoted = promoteWaitlisted(m_db, m_actor, r.sessionId, at);
        if (!promoted.empty()) outcome.promoted = std::move(promoted.front());
    }
    writeOutbox(m_db, at, "cancel", {{"registration_id", r.id}});
    writeAudit(m_db, at, m_actor, "registration.cancel", r.id,
               {{"session_id", r.sessionId}, {"status", "cancelled"}});
    outcome.cancelled =
        queryRow(m_db.prepare(selectWhere("WHERE r.id = ?")).bindAll(r.id))->registration;
    tx.commit();
    outcome.result = CancelResult::Cancelled;
    return outcome;
}

std::optional<Registration> RegistrationService::find(const std::string& code,
                                                      const std::string& phone) {
    std::string normalizedCode = normalizeHumanCode(code);
    std::optional<std::string> e164 = normalizeMoroccanPhone(phone);
    if (normalizedCode.empty() || !e164) return std::nullopt;
    auto row = queryRow(m_db.prepare(selectWhere("WHERE r.code = ?")).bindAll(normalizedCode));
    if (!row || row->registration.phone != *e164) return std::nullopt;
    return std::move(row->registration);
}

std::vector<Registration> RegistrationService::forSession(const std::string& sessionId) {
    return queryAll(
        m_db.prepare(selectWhere("WHERE r.session_id = ? ORDER BY r.created_at, r.rowid"))
            .bindAll(sessionId));
}

std::vector<Registration> RegistrationService::all() {
    return queryAll(m_db.prepare(selectWhere("ORDER BY r.created_at, r.rowid")));
}

}  // namespace fadaa
