// server/lib/seat_ledger_write.cpp - SeatLedger::flush(): the rows that changed, written in bulk,
// and the change-log entries kiosks will pull.
#include <fmt/format.h>

#include <algorithm>

#include "seat_ledger.hpp"
#include "server_schema.hpp"
#include "sql.hpp"

namespace fadaa::server {

using nlohmann::json;

void SeatLedger::flush(ChangeBuffer& changes) {
    writeSessions();
    writeSessionCounts();
    writeLeases();
    writeRegistrations();
    for (const auto& [id, r] : m_registrations) {
        if (!r->dirty) continue;
        // Only status and waitlist position of a registration ever change, so comparing them
        // says whether the state told to its kiosk is still the state logged here.
        auto told = m_reported.find(id);
        const bool known = told != m_reported.end() && told->second.status == r->status &&
                           told->second.waitlistPos == r->waitlistPos;
        // A new registration whose state its kiosk got in this push's answer needs no row: no
        // other kiosk pulls it, its own kiosk's incremental pulls would skip it, and a snapshot
        // reads the kiosk's registrations from the registration table (readChanges). A new
        // registration has no older row a pull could bring instead (ids are never reused and
        // registrations never deleted), and any later change writes a row as usual.
        if (known && r->isNew) continue;
        std::string echo = known ? told->second.kioskId : "";
        std::string state = registrationWireText(*r);
        changes.upsertText(wire::kRegistration, id, std::move(state), r->kioskId, std::move(echo));
    }
    for (const auto& [id, s] : m_sessions)
        if (s->dirty)
            changes.upsertText(wire::kSession, id, wire::toWireText(s->session, counts(*s)));
    changes.flush(m_conn, m_now);
    for (auto& [id, r] : m_registrations) r->dirty = r->isNew = false;
    for (auto& [id, l] : m_leases) l->dirty = l->isNew = false;
    for (auto& [id, s] : m_sessions) {
        s->dirty = s->recordChanged = s->isNew = false;
        s->storedTaken = s->taken;
        s->storedWaitlisted = static_cast<std::int64_t>(s->waitlist.size());
    }
    m_newOrder.clear();
    m_reported.clear();
}

void SeatLedger::reported(const LedgerRegistration& r, const std::string& kioskId) {
    m_reported[r.id] = {kioskId, r.status, r.waitlistPos};
}

void SeatLedger::writeSessions() {
    for (const auto& [id, ls] : m_sessions) {
        if (!ls->recordChanged) continue;
        const Session& s = ls->session;
        m_conn.query(
            "INSERT INTO session(id, event_id, venue_id, starts_at, ends_at, capacity, "
            "reg_opens_at, reg_closes_at, status, updated_at) "
            "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (id) DO UPDATE SET "
            "event_id = excluded.event_id, venue_id = excluded.venue_id, "
            "starts_at = excluded.starts_at, ends_at = excluded.ends_at, "
            "capacity = excluded.capacity, reg_opens_at = excluded.reg_opens_at, "
            "reg_closes_at = excluded.reg_closes_at, status = excluded.status, "
            "updated_at = excluded.updated_at",
            {s.id, s.eventId, sqlOpt(s.venueId), s.startsAt, s.endsAt,
             s.capacity ? SqlValue(static_cast<std::int64_t>(*s.capacity)) : sqlNull(),
             sqlOpt(s.regOpensAt), sqlOpt(s.regClosesAt), std::string(toString(s.status)), m_now});
    }
}

// How: measured with callgrind on a 10k push into SQLite (10 pushes of 1000 ops, 200 sessions
// each), one cached "UPDATE session ... WHERE id = $3" per session cost 22.4 M instructions in
// all, a bulk "UPDATE ... FROM (VALUES ...)" 28.5 M (SQLite materialises the VALUES and joins),
// so a connection that keeps statements prepared runs one per session. Elsewhere (PostgreSQL)
// every statement is a round trip and a parse: there the bulk form, a few statements a push
// (measured: 50 transactions of 200 session updates cost the PostgreSQL backend 0.25-0.35 CPU s
// one statement per session, 0.06 s as one bulk statement each).
void SeatLedger::writeSessionCounts() {
    std::vector<SqlParams> rows;
    for (const auto& [id, s] : m_sessions) {
        auto waitlisted = static_cast<std::int64_t>(s->waitlist.size());
        if (s->taken != s->storedTaken || waitlisted != s->storedWaitlisted)
            rows.push_back({id, s->taken, waitlisted});
    }
    if (m_conn.reusesStatements()) {
        for (const SqlParams& row : rows)
            m_conn.query("UPDATE session SET taken = $2, waitlisted = $3 WHERE id = $1", row);
        return;
    }
    constexpr size_t kChunk = 256;  // 768 parameters, as insertRows' ~800
    for (size_t start = 0; start < rows.size(); start += kChunk) {
        size_t n = std::min(kChunk, rows.size() - start);
        // The casts type the VALUES columns (PostgreSQL would take untyped parameters as text).
        std::string sql =
            "UPDATE session SET taken = v.column2, waitlisted = v.column3 FROM (VALUES ";
        for (size_t i = 0; i < n; ++i)
            sql += fmt::format("{}(${}, CAST(${} AS BIGINT), CAST(${} AS BIGINT))", i ? ", " : "",
                               3 * i + 1, 3 * i + 2, 3 * i + 3);
        sql += ") AS v WHERE session.id = v.column1";
        m_conn.queryRows(sql, rows, start, n);
    }
}

void SeatLedger::writeLeases() {
    std::vector<SqlParams> fresh;
    for (const auto& [id, l] : m_leases) {
        if (l->isNew) {
            fresh.push_back({l->id, l->kioskId, l->sessionId, l->seats, l->used, l->grantedAt,
                             l->expiresAt, sqlOpt(l->releasedAt)});
        } else if (l->dirty) {
            m_conn.query(
                "UPDATE lease SET seats = $1, used = $2, expires_at = $3, released_at = $4 "
                "WHERE id = $5",
                {l->seats, l->used, l->expiresAt, sqlOpt(l->releasedAt), l->id});
        }
    }
    insertRows(m_conn, "lease",
               "(id, kiosk_id, session_id, seats, used, granted_at, expires_at, released_at)", 8,
               fresh);
}

void SeatLedger::writeRegistrations() {
    std::vector<SqlParams> fresh;
    if (!m_newOrder.empty()) {
        std::int64_t arrival =
            reserveCounter(m_conn, "arrival", static_cast<std::int64_t>(m_newOrder.size()));
        for (const std::string& id : m_newOrder) {
            LedgerRegistration& r = *m_registrations.at(id);
            r.arrival = arrival++;
            // The personal fields are only kept to be inserted here: moved, not copied.
            fresh.push_back({r.id, r.sessionId, r.kioskId, r.arrival, r.createdAt, m_now, m_now,
                             std::move(r.name), std::move(r.phone), sqlOpt(r.ageBand),
                             std::move(r.answers), r.code, std::move(r.personKey), r.status,
                             sqlOpt(r.waitlistPos), sqlOpt(r.leaseId), std::move(r.localStatus)});
        }
    }
    insertRows(m_conn, "registration",
               "(id, session_id, kiosk_id, arrival, created_at, received_at, updated_at, name, "
               "phone, age_band, answers, code, person_key, status, waitlist_pos, lease_id, "
               "local_status)",
               17, fresh);
    for (const auto& [id, r] : m_registrations) {
        if (r->isNew || !r->dirty) continue;
        m_conn.query(
            "UPDATE registration SET status = $1, waitlist_pos = $2, updated_at = $3 WHERE id = $4",
            {r->status, sqlOpt(r->waitlistPos), m_now, r->id});
    }
}

std::vector<std::string> repairSeatCounts(SqlConnection& conn, const LedgerOptions& options,
                                          Timestamp now) {
    SqlTransaction tx(conn, TxKind::Write);
    std::vector<std::string> repaired;
    for (const SqlRow& row :
         conn.query("SELECT s.id, s.taken, s.waitlisted, "
                    "(SELECT COUNT(*) FROM registration r WHERE r.session_id = s.id "
                    "AND (r.status = 'confirmed' OR r.status = 'attended')), "
                    "(SELECT COUNT(*) FROM registration r WHERE r.session_id = s.id "
                    "AND r.status = 'waitlisted') "
                    "FROM session s")) {
        if (row.integer(1) == row.integer(3) && row.integer(2) == row.integer(4)) continue;
        repaired.push_back(row.text(0));
        conn.query("UPDATE session SET taken = $2, waitlisted = $3 WHERE id = $1",
                   {row.text(0), row.integer(3), row.integer(4)});
    }
    if (repaired.empty()) return repaired;  // nothing written: rolled back
    SeatLedger ledger(conn, options, now);
    ledger.loadSessions(repaired);  // the repaired counts, and the waiting lists
    for (const std::string& id : repaired) {
        if (LedgerSession* s = ledger.session(id)) {
            s->dirty = true;  // kiosks pull the session again, with its true counts
            ledger.promote(*s);
        }
    }
    ChangeBuffer changes;
    ledger.flush(changes);
    tx.commit();
    return repaired;
}

}  // namespace fadaa::server
