// core/sync/sync_pull.cpp - applying pulled pages (catalogue through Catalogue, own registration
// statuses, session counts), snapshots, and seat leases. Reading a page: sync_pull_page.cpp.
#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>

#include "catalogue/catalogue.hpp"
#include "catalogue/row_chunks.hpp"
#include "catalogue/search_index.hpp"
#include "store/database.hpp"
#include "sync/json_fields.hpp"
#include "sync/sync_apply.hpp"
#include "sync/sync_client.hpp"
#include "sync/sync_pull.hpp"
#include "sync/wire.hpp"

namespace fadaa {

using nlohmann::json;

namespace {

bool exists(Database& db, std::string_view sql, const std::string& id) {
    auto& st = db.prepare(sql).bindAll(id);
    bool found = st.step();
    st.reset();
    return found;
}

// Removes a catalogue record the server deleted (or a snapshot did not bring). What local
// registrations still refer to is kept: their session is cancelled instead, and its event stays.
void removeLocal(Database& db, Catalogue& catalogue, std::string_view entity,
                 const std::string& id) {
    auto removeSession = [&](const std::string& sid) {
        if (exists(db, "SELECT 1 FROM registration WHERE session_id = ? LIMIT 1", sid)) {
            catalogue.cancelSession(sid, true);
            return false;
        }
        db.prepare("DELETE FROM session_counts WHERE session_id = ?").bindAll(sid).exec();
        db.prepare("DELETE FROM session WHERE id = ?").bindAll(sid).exec();  // leases cascade
        return true;
    };
    if (entity == wire::kSession) {
        auto& st = db.prepare("SELECT event_id FROM session WHERE id = ?").bindAll(id);
        std::optional<std::string> eventId;
        if (st.step()) eventId = st.getText(0);
        st.reset();
        // The event's search text holds its sessions' venues: one may have gone with it.
        if (eventId && removeSession(id)) reindexEvent(db, *eventId);
    } else if (entity == wire::kEvent) {
        std::vector<std::string> sessions;
        auto& st = db.prepare("SELECT id FROM session WHERE event_id = ?").bindAll(id);
        while (st.step()) sessions.push_back(st.getText(0));
        st.reset();
        bool keep = false;
        for (const auto& sid : sessions) keep = !removeSession(sid) || keep;
        if (!keep) {
            // Its search entry first (keyed by event.search_rowid, search_index.hpp).
            db.prepare(
                  "DELETE FROM event_search WHERE rowid = "
                  "(SELECT search_rowid FROM event WHERE id = ?)")
                .bindAll(id)
                .exec();
            db.prepare("DELETE FROM event WHERE id = ?").bindAll(id).exec();
        } else {
            reindexEvent(db, id);  // kept for its registrations, maybe with fewer venues
        }
    } else {
        static const std::map<std::string_view, const char*> kUnused = {
            {wire::kCategory,
             "DELETE FROM category WHERE id = ?1 AND NOT EXISTS "
             "(SELECT 1 FROM event WHERE category_id = ?1)"},
            {wire::kVenue,
             "DELETE FROM venue WHERE id = ?1 AND NOT EXISTS "
             "(SELECT 1 FROM session WHERE venue_id = ?1)"},
            {wire::kOrganizer,
             "DELETE FROM organizer WHERE id = ?1 AND NOT EXISTS "
             "(SELECT 1 FROM event WHERE organizer_id = ?1)"},
        };
        auto it = kUnused.find(entity);
        if (it != kUnused.end()) db.prepare(it->second).bindAll(id).exec();
    }
}

// The snapshot state ("snapshot" in sync_state) of a snapshot begun on an empty catalogue.
constexpr std::string_view kFreshSnapshot = "2";

void finishSnapshot(Database& db, Catalogue& catalogue, bool fresh) {
    // Children first, so a parent is unused by the time its turn comes. A fresh snapshot has
    // nothing to remove: every record was written by one of its pages.
    for (std::string_view entity :
         {wire::kSession, wire::kEvent, wire::kOrganizer, wire::kVenue, wire::kCategory}) {
        if (fresh) break;
        std::vector<std::string> stale;
        auto& st = db.prepare(fmt::format(
            "SELECT id FROM {0} WHERE id NOT IN (SELECT id FROM sync_seen WHERE entity = '{0}')",
            entity));
        while (st.step()) stale.push_back(st.getText(0));
        st.reset();
        for (const auto& id : stale) removeLocal(db, catalogue, entity, id);
    }
    db.exec("DELETE FROM sync_seen");
    syncStateSet(db, "snapshot", "0");
}

std::set<std::string> registrationsWithPendingOps(Database& db) {
    std::set<std::string> out;
    auto& st = db.prepare(
        "SELECT DISTINCT json_extract(payload, '$.registration_id') FROM outbox "
        "WHERE state = 'pending'");
    while (st.step())
        if (!st.isNull(0)) out.insert(st.getText(0));
    st.reset();
    return out;
}

}  // namespace

void beginSnapshot(Database& db) {
    Transaction tx(db);
    db.exec("DELETE FROM sync_seen");
    syncStateSet(db, "cursor", "");
    // On an empty catalogue (a kiosk's first sync) there is nothing a snapshot could leave
    // behind, so it keeps no sync_seen rows: they were 7% of a 10k first pull's instructions.
    auto& st = db.prepare(
        "SELECT EXISTS (SELECT 1 FROM category) OR EXISTS (SELECT 1 FROM venue) OR "
        "EXISTS (SELECT 1 FROM organizer) OR EXISTS (SELECT 1 FROM event) OR "
        "EXISTS (SELECT 1 FROM session)");
    st.step();
    const bool empty = st.getInt(0) == 0;
    st.reset();
    syncStateSet(db, "snapshot", empty ? std::string(kFreshSnapshot) : "1");
    tx.commit();
}

bool snapshotInProgress(Database& db) {
    std::string state = syncStateGet(db, "snapshot").value_or("0");
    return state == "1" || state == kFreshSnapshot;
}

namespace {

// A page's session upserts, all at once: the sessions, their server counts, and when `seen`
// (a snapshot that keeps bookkeeping) the ids seen (multi-row statements, row_chunks.hpp).
void applySessions(Database& db, Catalogue& catalogue, const std::vector<const PulledChange*>& run,
                   bool seen, Timestamp now) {
    if (run.empty()) return;
    std::vector<const Session*> sessions;
    sessions.reserve(run.size());
    for (const PulledChange* c : run) sessions.push_back(&*c->session);
    catalogue.upsertSessions(sessions);
    forRowChunks(
        db, "INSERT INTO session_counts(session_id, taken, waitlisted, leased, updated_at) VALUES ",
        5,
        " ON CONFLICT (session_id) DO UPDATE SET taken = excluded.taken, "
        "waitlisted = excluded.waitlisted, leased = excluded.leased, "
        "updated_at = excluded.updated_at",
        run.size(), [&](Statement& st, int at, size_t i) {
            const PulledChange& c = *run[i];
            st.bind(at, c.id)
                .bind(at + 1, c.counts.taken)
                .bind(at + 2, c.counts.waitlisted)
                .bind(at + 3, c.counts.leased)
                .bind(at + 4, now);
        });
    if (seen)
        forRowChunks(db, "INSERT OR IGNORE INTO sync_seen(entity, id) VALUES ", 2, "", run.size(),
                     [&](Statement& st, int at, size_t i) {
                         st.bind(at, run[i]->entity).bind(at + 1, run[i]->id);
                     });
}

}  // namespace

PulledPage applyPullPage(Database& db, const json& page, bool snapshot, Timestamp now) {
    return applyPulledPage(db, readPullPageDocument(page), snapshot, now);
}

PulledPage applyPulledPage(Database& db, const PullPageData& page, bool snapshot, Timestamp now) {
    PulledPage out;
    out.nextCursor = page.nextCursor;
    out.hasMore = page.hasMore;
    out.changes = static_cast<int>(page.changes.size());
    // Parents before children for upserts, then deletes children first.
    std::vector<const PulledChange*> changes;
    changes.reserve(page.changes.size());
    for (const PulledChange& c : page.changes) changes.push_back(&c);
    auto key = [](const PulledChange* c) {
        return std::make_pair(c->deleted ? 1 : 0, c->deleted ? -c->rank : c->rank);
    };
    std::stable_sort(changes.begin(), changes.end(),
                     [&](const PulledChange* a, const PulledChange* b) { return key(a) < key(b); });

    Transaction tx(db);
    // A snapshot remembers what it delivered, unless it began on an empty catalogue.
    const bool fresh = snapshot && syncStateGet(db, "snapshot") == kFreshSnapshot;
    const bool seen = snapshot && !fresh;
    Catalogue catalogue(db);
    // Each event of the page is re-indexed for search once, not once per session.
    catalogue.beginBatch();
    std::set<std::string> pending = registrationsWithPendingOps(db);
    // Session upserts are contiguous in this order (one rank): written together when the run
    // ends, before anything of a higher rank or any delete.
    std::vector<const PulledChange*> sessionRun;
    for (const PulledChange* c : changes) {
        if (!c->deleted && c->session) {
            sessionRun.push_back(c);
            continue;
        }
        applySessions(db, catalogue, sessionRun, seen, now);
        sessionRun.clear();
        if (c->deleted) {
            removeLocal(db, catalogue, c->entity, c->id);
            continue;
        }
        if (c->category)
            catalogue.upsertCategory(*c->category, true);
        else if (c->venue)
            catalogue.upsertVenue(*c->venue, true);
        else if (c->organizer)
            catalogue.upsertOrganizer(*c->organizer, true);
        else if (c->event)
            catalogue.upsertEvent(*c->event, true);
        else if (!pending.count(c->id)) {
            // This kiosk's registration as the server decided it (a promotion, a waitlist
            // position); one with an op still to push keeps its local state until then.
            db.prepare(
                  "UPDATE registration SET status = ?, waitlist_pos = ?, updated_at = ? "
                  "WHERE id = ? AND (status <> ? OR waitlist_pos IS NOT ?)")
                .bindAll(c->registration->status, c->registration->waitlistPosition, now, c->id,
                         c->registration->status, c->registration->waitlistPosition)
                .exec();
        }
        if (seen && c->rank < wire::entityRank(wire::kRegistration))
            db.prepare("INSERT OR IGNORE INTO sync_seen(entity, id) VALUES (?, ?)")
                .bindAll(c->entity, c->id)
                .exec();
    }
    applySessions(db, catalogue, sessionRun, seen, now);
    catalogue.endBatch();
    syncStateSet(db, "cursor", out.nextCursor);
    if (snapshot && !out.hasMore) {
        finishSnapshot(db, catalogue, fresh);
        out.snapshotFinished = true;
    }
    tx.commit();
    return out;
}

// ---------------------------------------------------------------------------------------------
// Leases
// ---------------------------------------------------------------------------------------------

json leaseRequest(Database& db, const std::string& kioskId, Timestamp now, int seats,
                  int horizonDays, int maxSessions) {
    json sessions = json::array();
    auto& st = db.prepare(
        "SELECT s.id, l.lease_id, l.used FROM session s JOIN event e ON e.id = s.event_id "
        "LEFT JOIN seat_lease l ON l.session_id = s.id "
        "WHERE s.status = 'scheduled' AND s.capacity IS NOT NULL AND e.registration_required = 1 "
        "AND s.starts_at > ?1 AND s.starts_at < ?2 AND coalesce(s.reg_closes_at, s.starts_at) > ?1 "
        "AND (s.reg_opens_at IS NULL OR s.reg_opens_at <= ?2) "
        "ORDER BY s.starts_at, s.id LIMIT ?3");
    st.bindAll(now, now + static_cast<Timestamp>(horizonDays) * 86400, maxSessions);
    while (st.step()) {
        json w = {{"session_id", st.getText(0)}, {"seats", seats}};
        if (!st.isNull(1)) {
            w["lease_id"] = st.getText(1);
            w["used"] = st.getInt(2);
        }
        sessions.push_back(std::move(w));
    }
    st.reset();
    return {{"kiosk_id", kioskId}, {"sessions", std::move(sessions)}};
}

int applyLeases(Database& db, const json& response, const std::optional<ClockReading>& sentAt) {
    const ClockReading sent = sentAt ? *sentAt : readClocks();
    JsonFields top(response, "lease response", {"leases", "server_time"});
    const Timestamp serverTime = top.integer("server_time");
    const json& list = requireArray(top.value("leases"), "leases");
    struct Lease {
        std::string id, sessionId;
        std::int64_t seats, used, expiresAt;
    };
    std::vector<Lease> leases;
    for (size_t i = 0; i < list.size(); ++i) {
        JsonFields f(list[i], fmt::format("leases[{}]", i),
                     {"lease_id", "session_id", "seats", "used", "expires_at"});
        Lease l{f.text("lease_id", 64), f.text("session_id", 64), f.integer("seats"),
                f.integer("used"), f.integer("expires_at")};
        if (l.seats < 0 || l.used < 0) f.invalid("seats", "must not be negative");
        leases.push_back(std::move(l));
    }
    Transaction tx(db);
    std::map<std::string, std::int64_t> unpushed;
    auto& st = db.prepare(
        "SELECT json_extract(payload, '$.lease_id'), count(*) FROM outbox WHERE state = 'pending' "
        "AND kind = 'register' AND json_extract(payload, '$.local_status') = 'confirmed' GROUP BY "
        "1");
    while (st.step())
        if (!st.isNull(0)) unpushed[st.getText(0)] = st.getInt(1);
    st.reset();
    // The seats each old lease held unused, as the server counted them at the last pull (the
    // outbox is empty when leases are renewed, so the server has seen every local use).
    std::map<std::string, std::int64_t> leaseDelta;  // session id -> change in unused seats
    auto& old = db.prepare("SELECT session_id, seats - used FROM seat_lease");
    while (old.step()) leaseDelta[old.getText(0)] -= old.getInt(1);
    old.reset();
    db.exec("DELETE FROM seat_lease");
    int stored = 0;
    for (const Lease& l : leases) {
        if (!exists(db, "SELECT 1 FROM session WHERE id = ?", l.sessionId)) continue;
        std::int64_t used = l.used + (unpushed.count(l.id) ? unpushed[l.id] : 0);
        db.prepare(
              "INSERT INTO seat_lease(session_id, lease_id, seats, used, expires_at) "
              "VALUES (?, ?, ?, ?, ?)")
            .bindAll(l.sessionId, l.id, std::max(l.seats, used), used, l.expiresAt)
            .exec();
        leaseDelta[l.sessionId] += std::max<std::int64_t>(0, l.seats - l.used);
        ++stored;
    }
    for (const auto& [sessionId, delta] : leaseDelta)
        if (delta != 0)
            db.prepare("UPDATE session_counts SET leased = max(0, leased + ?) WHERE session_id = ?")
                .bindAll(delta, sessionId)
                .exec();
    recordLeaseReceipt(db, serverTime, sent);
    tx.commit();
    return stored;
}

}  // namespace fadaa
