// server/lib/lease_service.cpp - granting, renewing, releasing and reclaiming seat leases.
#include "lease_service.hpp"

#include <fmt/format.h>

#include <set>

#include "api_error.hpp"
#include "push_service.hpp"
#include "sql.hpp"
#include "sync/json_fields.hpp"
#include "sync/wire.hpp"

namespace fadaa::server {

using nlohmann::json;

LeaseRequest parseLeaseRequest(const json& body, size_t maxSessions) {
    LeaseRequest req;
    const json& sessions =
        kioskRequestList(body, "sessions", maxSessions, "invalid_value", req.kioskId);
    std::set<std::string> seen;
    for (size_t i = 0; i < sessions.size(); ++i) {
        JsonFields s(sessions[i], fmt::format("sessions[{}]", i),
                     {"session_id", "seats", "lease_id", "used"});
        LeaseWish w;
        w.sessionId = s.text("session_id", 64);
        if (!wire::isValidRecordId(w.sessionId)) s.invalid("session_id", "not a record id");
        if (!seen.insert(w.sessionId).second) s.invalid("session_id", "named twice");
        w.seats = s.integer("seats");
        if (w.seats < 0 || w.seats > 1000) s.invalid("seats", "must be between 0 and 1000");
        if (s.optValue("lease_id")) w.leaseId = s.uuid("lease_id");
        w.used = s.optInteger("used").value_or(0);
        if (w.used < 0) s.invalid("used", "must not be negative");
        req.sessions.push_back(std::move(w));
    }
    return req;
}

namespace {

json leaseToWire(const LedgerLease& l) {
    return {{"lease_id", l.id},
            {"session_id", l.sessionId},
            {"seats", l.seats},
            {"used", l.used},
            {"expires_at", l.expiresAt}};
}

// Whether a kiosk may hold seats of this session now: scheduled, limited, open.
bool leasable(const LedgerSession& s, Timestamp now) {
    const Session& x = s.session;
    return s.registrationRequired && x.status == SessionStatus::Scheduled && x.capacity &&
           now < x.regClosesAt.value_or(x.startsAt);
}

}  // namespace

json processLease(SqlConnection& conn, const KioskIdentity& kiosk, const LeaseRequest& request,
                  const LedgerOptions& options, Timestamp now) {
    if (request.kioskId != kiosk.id)
        throw ApiError(403, "kiosk_mismatch", "kiosk_id is not the kiosk this token belongs to");
    SqlTransaction tx(conn, TxKind::Write);
    SeatLedger ledger(conn, options, now);
    ledger.loadKioskLeases(kiosk.id);
    std::vector<std::string> ids;
    for (const LeaseWish& w : request.sessions) ids.push_back(w.sessionId);
    ledger.loadSessions(ids);

    std::set<std::string> wanted;
    for (const LeaseWish& w : request.sessions) {
        LedgerSession* s = ledger.session(w.sessionId);
        if (!s || !leasable(*s, now)) continue;
        wanted.insert(w.sessionId);
        std::int64_t mustKeep = 0;
        for (LedgerLease* l : ledger.activeLeasesOf(kiosk.id))
            if (l->sessionId == w.sessionId && w.leaseId == l->id) mustKeep = w.used - l->used;
        ledger.grantLease(kiosk.id, *s, w.seats, mustKeep);
    }
    for (LedgerLease* l : ledger.activeLeasesOf(kiosk.id))
        if (!wanted.count(l->sessionId)) ledger.releaseLease(*l);

    json leases = json::array();
    for (LedgerLease* l : ledger.activeLeasesOf(kiosk.id)) leases.push_back(leaseToWire(*l));
    ChangeBuffer changes;
    ledger.flush(changes);
    conn.query("UPDATE kiosk SET last_seen_at = $1 WHERE id = $2", {now, kiosk.id});
    tx.commit();
    return {{"leases", std::move(leases)}, {"server_time", now}};
}

std::int64_t reclaimExpiredLeases(SqlConnection& conn, const LedgerOptions& options,
                                  Timestamp now) {
    SqlTransaction tx(conn, TxKind::Write);
    std::vector<std::string> sessions;
    for (const SqlRow& row : conn.query(
             "SELECT DISTINCT session_id FROM lease WHERE released_at IS NULL AND expires_at <= $1",
             {now - options.leaseGraceSeconds}))
        sessions.push_back(row.text(0));
    if (sessions.empty()) return 0;
    SeatLedger ledger(conn, options, now);
    ledger.loadSessions(sessions);  // loading reclaims what is past expiry + grace
    ChangeBuffer changes;
    ledger.flush(changes);
    tx.commit();
    return static_cast<std::int64_t>(sessions.size());
}

}  // namespace fadaa::server
