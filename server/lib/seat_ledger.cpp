// server/lib/seat_ledger.cpp - loading, deciding and writing seats for one transaction.
#include "seat_ledger.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <functional>

#include "api_error.hpp"
#include "catalogue_service.hpp"
#include "server_schema.hpp"
#include "sql.hpp"
#include "util/ids.hpp"

namespace fadaa::server {

using nlohmann::json;

namespace {

constexpr const char* kRegColumns =
    "id, session_id, kiosk_id, status, code, waitlist_pos, lease_id, arrival";
constexpr const char* kLeaseColumns =
    "id, kiosk_id, session_id, seats, used, granted_at, expires_at, released_at";

// Calls f(chunk) for the ids in slices small enough for one IN list.
void forChunks(const std::vector<std::string>& ids,
               const std::function<void(const std::vector<std::string>&)>& f) {
    constexpr size_t kChunk = 400;
    for (size_t start = 0; start < ids.size(); start += kChunk) {
        std::vector<std::string> chunk(
            ids.begin() + static_cast<std::ptrdiff_t>(start),
            ids.begin() + static_cast<std::ptrdiff_t>(std::min(ids.size(), start + kChunk)));
        f(chunk);
    }
}

SqlParams toParams(const std::vector<std::string>& ids) {
    return SqlParams(ids.begin(), ids.end());
}

LedgerRegistration regFromRow(const SqlRow& row) {
    LedgerRegistration r;
    r.id = row.text(0);
    r.sessionId = row.text(1);
    r.kioskId = row.text(2);
    r.status = row.text(3);
    r.code = row.text(4);
    r.waitlistPos = row.optInteger(5);
    r.leaseId = row.optText(6);
    r.arrival = row.integer(7);
    return r;
}

LedgerLease leaseFromRow(const SqlRow& row) {
    LedgerLease l;
    l.id = row.text(0);
    l.kioskId = row.text(1);
    l.sessionId = row.text(2);
    l.seats = row.integer(3);
    l.used = row.integer(4);
    l.grantedAt = row.integer(5);
    l.expiresAt = row.integer(6);
    l.releasedAt = row.optInteger(7);
    return l;
}

}  // namespace

json registrationToWire(const LedgerRegistration& r) {
    return wire::toWire(
        wire::RegistrationState{r.id, r.sessionId, r.status, r.code, r.waitlistPos});
}

std::string registrationWireText(const LedgerRegistration& r) {
    std::string out;
    appendRegistrationWireText(out, r);
    return out;
}

void appendRegistrationWireText(std::string& out, const LedgerRegistration& r) {
    wire::appendWireText(out, {r.id, r.sessionId, r.status, r.code, r.waitlistPos});
}

SeatLedger::SeatLedger(SqlConnection& conn, LedgerOptions options, Timestamp now)
    : m_conn(conn), m_options(options), m_now(now) {}

SeatLedger::~SeatLedger() = default;

// ---------------------------------------------------------------------------------------------
// Loading
// ---------------------------------------------------------------------------------------------

void SeatLedger::loadSessions(const std::vector<std::string>& ids) {
    // A push names a session once per op: sorted and made unique, not searched per id.
    std::vector<std::string> missing;
    for (const auto& id : ids)
        if (!m_sessions.count(id)) missing.push_back(id);
    std::sort(missing.begin(), missing.end());
    missing.erase(std::unique(missing.begin(), missing.end()), missing.end());
    if (missing.empty()) return;
    std::vector<LedgerLease*> toReclaim;
    forChunks(missing, [&](const std::vector<std::string>& chunk) {
        std::string in = sqlPlaceholders(chunk.size());
        SqlParams params = toParams(chunk);
        // The seat counts are the session row's own (kept by flush()); the waiting people are
        // read only for the sessions that have some (most have none).
        std::vector<std::string> waiting;
        for (const SqlRow& row : m_conn.query(
                 fmt::format("SELECT {}, e.registration_required, s.taken, s.waitlisted FROM "
                             "session s JOIN event e ON e.id = s.event_id WHERE s.id IN ({})",
                             kSessionColumns, in),
                 params)) {
            auto ls = std::make_unique<LedgerSession>();
            ls->session = sessionFromRow(row);
            ls->registrationRequired = row.integer(kSessionColumnCount) != 0;
            ls->taken = ls->storedTaken = row.integer(kSessionColumnCount + 1);
            ls->storedWaitlisted = row.integer(kSessionColumnCount + 2);
            if (ls->storedWaitlisted > 0) waiting.push_back(ls->session.id);
            std::string id = ls->session.id;
            m_sessions[id] = std::move(ls);
        }
        if (!waiting.empty()) {
            for (const SqlRow& row : m_conn.query(
                     fmt::format("SELECT {} FROM registration WHERE status = 'waitlisted' AND "
                                 "session_id IN ({}) ORDER BY arrival",
                                 kRegColumns, sqlPlaceholders(waiting.size())),
                     toParams(waiting))) {
                LedgerRegistration& r = keep(regFromRow(row));
                m_sessions.at(r.sessionId)->waitlist.push_back(r.id);
            }
        }
        for (const SqlRow& row : m_conn.query(
                 fmt::format(
                     "SELECT {} FROM lease WHERE released_at IS NULL AND session_id IN ({})",
                     kLeaseColumns, in),
                 params)) {
            LedgerLease l = leaseFromRow(row);
            auto it = m_leases.find(l.id);
            if (it == m_leases.end())
                it = m_leases.emplace(l.id, std::make_unique<LedgerLease>(l)).first;
            m_sessions.at(l.sessionId)->leases.push_back(l.id);
            if (m_now >= it->second->expiresAt + m_options.leaseGraceSeconds)
                toReclaim.push_back(it->second.get());
        }
    });
    for (LedgerLease* l : toReclaim) releaseLease(*l);
}

LedgerRegistration& SeatLedger::keep(LedgerRegistration reg) {
    auto it = m_registrations.find(reg.id);
    if (it != m_registrations.end()) return *it->second;  // the loaded copy may be newer
    std::string id = reg.id;
    return *m_registrations.emplace(id, std::make_unique<LedgerRegistration>(std::move(reg)))
                .first->second;
}

void SeatLedger::loadRegistrations(const std::vector<std::string>& ids) {
    std::vector<std::string> missing;
    for (const auto& id : ids)
        if (!m_registrations.count(id)) missing.push_back(id);
    std::vector<std::string> sessions;
    forChunks(missing, [&](const std::vector<std::string>& chunk) {
        for (const SqlRow& row :
             m_conn.query(fmt::format("SELECT {} FROM registration WHERE id IN ({})", kRegColumns,
                                      sqlPlaceholders(chunk.size())),
                          toParams(chunk)))
            sessions.push_back(keep(regFromRow(row)).sessionId);
    });
    loadSessions(sessions);
}

void SeatLedger::loadLeases(const std::vector<std::string>& ids) {
    std::vector<std::string> missing, sessions;
    for (const auto& id : ids)
        if (!m_leases.count(id)) missing.push_back(id);
    forChunks(missing, [&](const std::vector<std::string>& chunk) {
        for (const SqlRow& row :
             m_conn.query(fmt::format("SELECT {} FROM lease WHERE id IN ({})", kLeaseColumns,
                                      sqlPlaceholders(chunk.size())),
                          toParams(chunk))) {
            LedgerLease l = leaseFromRow(row);
            sessions.push_back(l.sessionId);
            m_leases.emplace(l.id, std::make_unique<LedgerLease>(l));
        }
    });
    loadSessions(sessions);
}

void SeatLedger::loadKioskLeases(const std::string& kioskId) {
    std::vector<std::string> sessions;
    for (const SqlRow& row : m_conn.query(
             "SELECT session_id FROM lease WHERE kiosk_id = $1 AND released_at IS NULL", {kioskId}))
        sessions.push_back(row.text(0));
    loadSessions(sessions);
}

void SeatLedger::loadPeople(const std::vector<std::string>& personKeys) {
    std::vector<std::string> sessions;
    forChunks(personKeys, [&](const std::vector<std::string>& chunk) {
        for (const SqlRow& row : m_conn.query(
                 fmt::format("SELECT {}, person_key FROM registration WHERE status <> 'cancelled' "
                             "AND person_key IN ({})",
                             kRegColumns, sqlPlaceholders(chunk.size())),
                 toParams(chunk))) {
            LedgerRegistration& r = keep(regFromRow(row));
            m_people[{r.sessionId, row.text(8)}] = r.id;
            sessions.push_back(r.sessionId);
        }
    });
    loadSessions(sessions);
}

LedgerSession* SeatLedger::session(const std::string& id) {
    auto it = m_sessions.find(id);
    return it == m_sessions.end() ? nullptr : it->second.get();
}

LedgerRegistration* SeatLedger::registration(const std::string& id) {
    auto it = m_registrations.find(id);
    return it == m_registrations.end() ? nullptr : it->second.get();
}

LedgerLease* SeatLedger::lease(const std::string& id) {
    auto it = m_leases.find(id);
    return it == m_leases.end() ? nullptr : it->second.get();
}

LedgerRegistration* SeatLedger::livePerson(const std::string& sessionId,
                                           const std::string& personKey) {
    auto it = m_people.find(PersonView(sessionId, personKey));
    if (it == m_people.end()) return nullptr;
    LedgerRegistration* r = registration(it->second);
    return r && r->status != "cancelled" ? r : nullptr;
}

std::vector<LedgerLease*> SeatLedger::activeLeasesOf(const std::string& kioskId) {
    std::vector<LedgerLease*> out;
    for (auto& [id, l] : m_leases)
        if (l->kioskId == kioskId && l->active()) out.push_back(l.get());
    return out;
}

// ---------------------------------------------------------------------------------------------
// Counting
// ---------------------------------------------------------------------------------------------

std::int64_t SeatLedger::leasedUnused(const LedgerSession& s) const {
    std::int64_t sum = 0;
    for (const auto& id : s.leases) sum += m_leases.at(id)->unused();
    return sum;
}

std::optional<std::int64_t> SeatLedger::freeSeats(const LedgerSession& s) const {
    if (!s.session.capacity) return std::nullopt;
    return *s.session.capacity - s.taken - leasedUnused(s);
}

wire::SessionCounts SeatLedger::counts(const LedgerSession& s) const {
    return {static_cast<int>(s.taken), static_cast<int>(s.waitlist.size()),
            static_cast<int>(leasedUnused(s))};
}

// ---------------------------------------------------------------------------------------------
// Decisions
// ---------------------------------------------------------------------------------------------

LedgerRegistration& SeatLedger::admit(LedgerRegistration reg, LedgerLease* lease) {
    LedgerSession& s = *m_sessions.at(reg.sessionId);
    reg.isNew = true;
    reg.dirty = true;
    reg.waitlistPos.reset();
    bool fromLease = lease && lease->active() && lease->sessionId == reg.sessionId &&
                     lease->kioskId == reg.kioskId && lease->used < lease->seats;
    auto free = freeSeats(s);
    if (fromLease) {
        ++lease->used;  // the reserved seat becomes taken: free seats are unchanged
        lease->dirty = true;
        reg.status = "confirmed";
    } else if (!free || (*free > 0 && s.waitlist.empty())) {
        reg.status = "confirmed";
    } else {
        reg.status = "waitlisted";
    }
    if (!fromLease) reg.leaseId.reset();
    if (reg.status == "confirmed") ++s.taken;
    std::string id = reg.id;
    m_people[{reg.sessionId, reg.personKey}] = id;
    LedgerRegistration& stored = keep(std::move(reg));
    m_newOrder.push_back(id);
    if (stored.status == "waitlisted") {
        s.waitlist.push_back(id);
        renumber(s);
    }
    s.dirty = true;
    return stored;
}

void SeatLedger::cancel(LedgerRegistration& reg, const std::string& byKiosk) {
    if (reg.status != "confirmed" && reg.status != "waitlisted") return;
    LedgerSession& s = *m_sessions.at(reg.sessionId);
    if (reg.status == "confirmed") {
        --s.taken;
        LedgerLease* l = reg.leaseId ? lease(*reg.leaseId) : nullptr;
        if (l && l->active() && !byKiosk.empty() && l->kioskId == byKiosk && l->used > 0) {
            --l->used;  // back to the kiosk's lease: free seats are unchanged
            l->dirty = true;
        }
    }
    if (reg.status == "waitlisted") std::erase(s.waitlist, reg.id);
    reg.status = "cancelled";
    reg.waitlistPos.reset();
    reg.dirty = true;
    s.dirty = true;
    promote(s);
    renumber(s);
}

void SeatLedger::checkIn(LedgerRegistration& reg) {
    if (reg.status != "confirmed") return;
    reg.status = "attended";
    reg.dirty = true;
}

void SeatLedger::releaseLease(LedgerLease& lease) {
    if (!lease.active()) return;
    lease.releasedAt = m_now;
    lease.dirty = true;
    if (LedgerSession* s = session(lease.sessionId)) {
        std::erase(s->leases, lease.id);
        s->dirty = true;
        promote(*s);
    }
}

LedgerLease* SeatLedger::grantLease(const std::string& kioskId, LedgerSession& s,
                                    std::int64_t wanted, std::int64_t mustKeep) {
    LedgerLease* existing = nullptr;
    for (const auto& id : s.leases)
        if (m_leases.at(id)->kioskId == kioskId) existing = m_leases.at(id).get();
    std::int64_t keepUnused = std::max<std::int64_t>(mustKeep, 0);
    std::int64_t grant = 0;
    if (s.session.status == SessionStatus::Scheduled) {
        grant = std::min<std::int64_t>(wanted, m_options.leaseMaxSeats);
        if (auto free = freeSeats(s)) {
            // Seats this lease already holds count as available to it; people waiting come
            // before any new lease seat.
            std::int64_t pool = *free + (existing ? existing->unused() : 0);
            grant = s.waitlist.empty() ? std::min(grant, pool - keepUnused) : 0;
        }
        grant = std::max<std::int64_t>(grant, 0);
    }
    std::int64_t unused = keepUnused + grant;
    if (unused == 0) {
        if (existing) releaseLease(*existing);
        return nullptr;
    }
    LedgerLease* l = existing;
    bool changed = !l || l->unused() != unused;
    if (!l) {
        auto fresh = std::make_unique<LedgerLease>();
        fresh->id = newUuidV7();
        fresh->kioskId = kioskId;
        fresh->sessionId = s.session.id;
        fresh->grantedAt = m_now;
        fresh->isNew = true;
        l = fresh.get();
        s.leases.push_back(l->id);
        m_leases.emplace(l->id, std::move(fresh));
    }
    l->seats = l->used + unused;
    l->expiresAt = m_now + m_options.leaseTtlSeconds;
    l->dirty = true;
    if (changed) {
        s.dirty = true;  // the session's leased count changed: kiosks will pull it
        promote(s);      // a lease that shrank frees seats
    }
    return l;
}

void SeatLedger::putSession(const Session& next) {
    LedgerSession* s = session(next.id);
    if (!s) {
        auto fresh = std::make_unique<LedgerSession>();
        fresh->isNew = true;
        s = fresh.get();
        m_sessions[next.id] = std::move(fresh);
    } else if (next.capacity) {
        std::int64_t held = s->taken + leasedUnused(*s);
        bool cancelling = next.status == SessionStatus::Cancelled;
        if (!cancelling && *next.capacity < held)
            throw ApiError(409, "capacity_below_taken",
                           fmt::format("session {} has {} seats taken or leased to kiosks; its "
                                       "capacity cannot go below that (leases shrink when "
                                       "kiosks next sync)",
                                       next.id, held));
    }
    s->session = next;
    s->recordChanged = true;
    s->dirty = true;
    if (next.status == SessionStatus::Cancelled) {
        for (const std::string& id : std::vector<std::string>(s->leases))
            releaseLease(*m_leases.at(id));
    }
    promote(*s);
}

void SeatLedger::promote(LedgerSession& s) {
    if (s.session.status == SessionStatus::Cancelled) return;
    bool changed = false;
    while (!s.waitlist.empty()) {
        auto free = freeSeats(s);
        if (free && *free <= 0) break;
        LedgerRegistration& r = *m_registrations.at(s.waitlist.front());
        s.waitlist.erase(s.waitlist.begin());
        r.status = "confirmed";
        r.waitlistPos.reset();
        r.dirty = true;
        ++s.taken;
        changed = true;
    }
    if (changed) {
        s.dirty = true;
        renumber(s);
    }
}

void SeatLedger::renumber(LedgerSession& s) {
    std::int64_t pos = 0;
    for (const auto& id : s.waitlist) {
        LedgerRegistration& r = *m_registrations.at(id);
        if (r.waitlistPos != ++pos) {
            r.waitlistPos = pos;
            r.dirty = true;
        }
    }
}

}  // namespace fadaa::server
