// core/sync/sync_apply.cpp - push results, pulled pages and leases into the kiosk store.
#include "sync/sync_apply.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>

#include "catalogue/catalogue.hpp"
#include "catalogue/search_index.hpp"
#include "store/database.hpp"
#include "sync/json_fields.hpp"
#include "sync/json_scan.hpp"
#include "sync/push_answer.hpp"
#include "sync/sync_client.hpp"
#include "sync/wire.hpp"

namespace fadaa {

using nlohmann::json;

// ---------------------------------------------------------------------------------------------
// Push
// ---------------------------------------------------------------------------------------------

namespace {

// The payload fields the protocol defines for an op kind; nullptr: an unknown kind, sent whole.
const std::vector<std::string>* wireFields(std::string_view kind) {
    static const std::map<std::string, std::vector<std::string>, std::less<>> kFields = {
        {"register",
         {"registration_id", "session_id", "code", "name", "phone", "age_band", "answers",
          "local_status", "lease_id"}},
        {"cancel", {"registration_id"}},
        {"check_in", {"registration_id"}},
    };
    auto it = kFields.find(kind);
    return it == kFields.end() ? nullptr : &it->second;
}

void markUnreadable(Database& db, const std::vector<std::int64_t>& seqs) {
    if (seqs.empty()) return;
    Transaction tx(db);
    for (std::int64_t seq : seqs)
        db.prepare(
              "UPDATE outbox SET state = 'rejected', last_error = 'unreadable payload' "
              "WHERE seq = ?")
            .bindAll(seq)
            .exec();
    tx.commit();
}

}  // namespace

std::vector<OutboxOp> pendingOutbox(Database& db, int limit) {
    std::vector<OutboxOp> out;
    std::vector<std::int64_t> unreadable;
    auto& st = db.prepare(
        "SELECT seq, op_id, kind, payload, created_at FROM outbox WHERE state = 'pending' "
        "ORDER BY seq LIMIT ?");
    st.bindAll(limit);
    while (st.step()) {
        OutboxOp op;
        op.seq = st.getInt(0);
        op.opId = st.getText(1);
        op.kind = st.getText(2);
        op.payload = json::parse(st.getText(3), nullptr, false);
        op.createdAt = st.getInt(4);
        if (op.payload.is_object())
            out.push_back(std::move(op));
        else
            unreadable.push_back(op.seq);
    }
    st.reset();
    markUnreadable(db, unreadable);
    return out;
}

json opToWire(const OutboxOp& op) {
    json payload = op.payload;
    if (const std::vector<std::string>* fields = wireFields(op.kind)) {
        payload = json::object();
        for (const std::string& key : *fields)
            if (op.payload.contains(key)) payload[key] = op.payload[key];
    }
    return {{"op_id", op.opId},
            {"seq", op.seq},
            {"kind", op.kind},
            {"created_at", op.createdAt},
            {"payload", std::move(payload)}};
}

PushBatch nextPushBatch(Database& db, const std::string& kioskId, int limit,
                        std::int64_t afterSeq) {
    PushBatch out;
    std::vector<std::int64_t> unreadable;
    out.body = "{\"kiosk_id\":";
    wire::appendQuoted(out.body, kioskId);
    out.body += ",\"ops\":[";
    auto& st = db.prepare(
        "SELECT seq, op_id, kind, payload, created_at FROM outbox WHERE state = 'pending' "
        "AND seq > ? ORDER BY seq LIMIT ?");
    st.bindAll(afterSeq, limit);
    while (st.step()) {
        OutboxOp op;
        op.seq = st.getInt(0);
        std::string stored = st.getText(3);
        auto members = jsonscan::objectMembers(stored);
        if (!members) {
            unreadable.push_back(op.seq);
            continue;
        }
        op.opId = st.getText(1);
        op.kind = st.getText(2);
        op.createdAt = st.getInt(4);
        // The payload as opToWire() sends it: the kind's fields only (a key written with
        // escapes is not one of them), values as stored. Most payloads hold nothing else, and
        // go as stored.
        const std::vector<std::string>* fields = wireFields(op.kind);
        bool asStored = true;
        for (const jsonscan::Member& m : *members) {
            if (fields && std::find(fields->begin(), fields->end(), m.key) == fields->end())
                asStored = false;
            if (m.key == "registration_id" && m.value.front() == '"')
                op.registrationId = m.value.find('\\') == std::string_view::npos
                                        ? std::string(m.value.substr(1, m.value.size() - 2))
                                        : json::parse(m.value).get<std::string>();
        }
        if (!out.ops.empty()) out.body += ',';
        out.body += "{\"op_id\":";
        wire::appendQuoted(out.body, op.opId);
        out.body += ",\"seq\":";
        out.body += std::to_string(op.seq);
        out.body += ",\"kind\":";
        wire::appendQuoted(out.body, op.kind);
        out.body += ",\"created_at\":";
        out.body += std::to_string(op.createdAt);
        out.body += ",\"payload\":";
        if (asStored) {
            out.body += stored;
        } else {
            out.body += '{';
            bool first = true;
            for (const jsonscan::Member& m : *members) {
                if (std::find(fields->begin(), fields->end(), m.key) == fields->end()) continue;
                if (!first) out.body += ',';
                first = false;
                out.body += '"';
                out.body += m.key;
                out.body += "\":";
                out.body += m.value;
            }
            out.body += '}';
        }
        out.body += '}';
        out.ops.push_back(std::move(op));
    }
    st.reset();
    out.body += "]}";
    markUnreadable(db, unreadable);
    return out;
}

namespace {

std::string registrationIdOf(const OutboxOp& op) {
    if (!op.registrationId.empty()) return op.registrationId;
    auto it = op.payload.find("registration_id");
    return it != op.payload.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// A registration's state as a push answer decided it. The row is rewritten only when its state
// differs: with a lease most answers confirm what the kiosk holds.
void writeRegistration(Database& db, const std::string& id, const std::string& status,
                       std::optional<std::int64_t> waitlistPos, bool dropLease, Timestamp now) {
    db.prepare(
          "UPDATE registration SET status = ?1, waitlist_pos = ?2, updated_at = ?3, "
          "lease_id = CASE WHEN ?4 THEN NULL ELSE lease_id END "
          "WHERE id = ?5 AND (status IS NOT ?1 OR waitlist_pos IS NOT ?2 OR "
          "(?4 AND lease_id IS NOT NULL))")
        .bindAll(status, waitlistPos, now, dropLease ? 1 : 0, id)
        .exec();
}

// The values the outbox and registration CHECK constraints allow for what a push answer writes
// (migrations.cpp): tested here, once per row, because the constraints are off while the
// answer is written (applyPushResults).
bool isOutboxState(std::string_view s) {
    return s == "applied" || s == "duplicate" || s == "rejected" || s == "remapped";
}
bool isDecidedStatus(std::string_view s) {
    return s == "confirmed" || s == "waitlisted" || s == "cancelled" || s == "attended";
}

// What outbox.result keeps of an answer: only what is read later. Full sync's registration
// checksum (core/sync/full_sync.cpp) asks whether the server holds a register op's registration
// under the op's own id: NULL says it does (or, for other kinds, that nothing is kept), the
// other registration's id or `{}` (none) says it does not. Storing whole answers made each
// acknowledged row twice as wide to rewrite, and a row per op to write.
std::optional<std::string> storedResult(const OutboxOp& op, const std::string& registrationId,
                                        const PushResult& r) {
    if (op.kind != "register") return std::nullopt;
    if (!r.registration) return std::string("{}");
    if (r.registration->id == registrationId) return std::nullopt;
    std::string out = "{\"registration\":{\"id\":";
    wire::appendQuoted(out, r.registration->id);
    out += "}}";
    return out;
}

// Acknowledged ops that keep nothing but their state are written a run of seqs at a time: the
// rows of a batch are consecutive among the pending ones (nextPushBatch), and no op is added
// below the last seq (AUTOINCREMENT), so `seq BETWEEN` meets only them. Checked all the same:
// more rows than the run fails the batch (rolled back; the next sync resends it). Fewer is a
// row no longer pending, left alone as the row-by-row write leaves it. (`+state`: walk the
// rows by seq; through the state index, which the update changes, SQLite collects them first.)
void writeOutboxRun(Database& db, const std::vector<OutboxOp>& sent, size_t from, size_t to,
                    std::string_view state, Timestamp now) {
    db.prepare(
          "UPDATE outbox SET state = ?, result = NULL, attempts = attempts + 1, acked_at = ? "
          "WHERE seq BETWEEN ? AND ? AND +state = 'pending'")
        .bindAll(state, now, sent[from].seq, sent[to - 1].seq)
        .exec();
    if (db.changes() > static_cast<int>(to - from))
        throw StoreError(SQLITE_ERROR, fmt::format("outbox rows {}..{} changed during the push",
                                                   sent[from].seq, sent[to - 1].seq));
}

// Registrations decided alike (a status, no waitlist position, the lease kept) are written
// kBulk ids per statement: a statement per row cost about as much again as the row's own
// writes (cursors opened and closed, the id looked up alone).
constexpr int kBulk = 64;

void writeRegistrations(Database& db, const std::string& status,
                        const std::vector<std::string>& ids, Timestamp now) {
    static const std::string kSql = [] {
        std::string sql =
            "UPDATE registration SET status = ?1, waitlist_pos = NULL, updated_at = ?2 "
            "WHERE (status IS NOT ?1 OR waitlist_pos IS NOT NULL) AND id IN (";
        for (int k = 0; k < kBulk; ++k) sql += fmt::format("{}?{}", k ? ", " : "", k + 3);
        return sql + ")";
    }();
    for (size_t at = 0; at < ids.size(); at += kBulk) {
        Statement& st = db.prepare(kSql);
        st.bind(1, status).bind(2, now);
        // A short last chunk repeats its last id: IN lists ignore repeats.
        for (size_t k = 0; k < kBulk; ++k)
            st.bind(static_cast<int>(k + 3), ids[std::min(at + k, ids.size() - 1)]);
        st.exec();
    }
}

}  // namespace

void LaterOps::refresh(Database& db, std::int64_t afterSeq) {
    if (m_from < 0 || afterSeq < m_from) {  // first use, or a batch resent from further back
        m_seqs.clear();
        m_from = m_readTo = afterSeq;
    }
    auto& top = db.prepare("SELECT coalesce(max(seq), 0) FROM outbox");
    top.step();
    std::int64_t last = top.getInt(0);
    top.reset();
    if (last <= m_readTo) return;
    // Only ops other than 'register' can follow a registration's own 'register' op (ids are
    // unique), which keeps this from reading every queued registration's payload.
    auto& st = db.prepare(
        "SELECT json_extract(payload, '$.registration_id'), seq FROM outbox "
        "WHERE state = 'pending' AND seq > ? AND seq <= ? AND kind <> 'register'");
    st.bindAll(m_readTo, last);
    while (st.step())
        if (!st.isNull(0)) m_seqs[st.getText(0)].push_back(st.getInt(1));
    st.reset();
    m_readTo = last;
}

bool LaterOps::pendingAfter(Database& db, const std::string& registrationId,
                            std::int64_t afterSeq) {
    auto it = m_seqs.find(registrationId);
    if (it == m_seqs.end()) return false;
    for (std::int64_t seq : it->second) {
        if (seq <= afterSeq) continue;
        // Known pending when read; since then it may have been answered or rejected locally.
        auto& st =
            db.prepare("SELECT 1 FROM outbox WHERE seq = ? AND state = 'pending'").bindAll(seq);
        bool pending = st.step();
        st.reset();
        if (pending) return true;
    }
    return false;
}

PushCounts applyPushResults(Database& db, const std::vector<OutboxOp>& sent, const json& response,
                            Timestamp now) {
    return applyPushResults(db, sent, readPushAnswer(response.dump()), now);
}

PushCounts applyPushResults(Database& db, const std::vector<OutboxOp>& sent,
                            const PushAnswer& answer, Timestamp now, LaterOps* later) {
    checkAnswersOps(answer, sent);
    for (size_t i = 0; i < sent.size(); ++i) {
        const PushResult& r = answer.results[i];
        if (!isOutboxState(r.result) ||
            (r.registration && !isDecidedStatus(r.registration->status)))
            throw WireError("invalid_value", fmt::format("results[{}]: not a result or status "
                                                         "the kiosk stores",
                                                         i));
    }
    PushCounts counts;
    // CHECK constraints are not evaluated while the answer is written. Why: SQLite evaluates
    // `state IN ('pending', ...)` by building a temporary b-tree for the list on every row it
    // writes; for a push answer that was a third of the kiosk's push work (two rows per op;
    // callgrind, 10k ops: 2.13 G instructions with the checks, 1.47 G without). What the answer
    // writes was tested against the same lists above, so the store holds nothing a CHECK would
    // refuse; NOT NULL, UNIQUE and foreign keys are still enforced. Toggling the pragma makes
    // SQLite re-prepare cached statements once, cheap next to the rows. It outlives the
    // transaction: the checks come back after its end.
    ScopedPragma checksOff(db, "ignore_check_constraints", 1);
    Transaction tx(db);
    LaterOps own;
    if (!later) later = &own;
    const std::int64_t lastSent = sent.empty() ? 0 : sent.back().seq;
    later->refresh(db, lastSent);
    std::map<std::string, size_t> lastInBatch;  // registration id -> index of its last op here
    for (size_t i = 0; i < sent.size(); ++i) lastInBatch[registrationIdOf(sent[i])] = i;
    std::map<std::string, std::vector<std::string>> alike;  // status -> registration ids
    // A run: ops [runStart, i) that keep nothing but their state, the same for all.
    bool inRun = false;
    size_t runStart = 0;
    auto endRun = [&](size_t end) {
        if (inRun) writeOutboxRun(db, sent, runStart, end, answer.results[runStart].result, now);
        inRun = false;
    };
    for (size_t i = 0; i < sent.size(); ++i) {
        const OutboxOp& op = sent[i];
        const PushResult& r = answer.results[i];
        std::string id = registrationIdOf(op);
        std::optional<std::string> stored = storedResult(op, id, r);
        bool plain = !stored && r.result != "rejected";
        if (inRun && (!plain || r.result != answer.results[runStart].result)) endRun(i);
        if (plain) {
            if (!inRun) runStart = i;
            inRun = true;
        } else {
            db.prepare(
                  "UPDATE outbox SET state = ?, result = ?, attempts = attempts + 1, "
                  "acked_at = ?, last_error = ? WHERE seq = ? AND op_id = ? AND state = 'pending'")
                .bindAll(r.result, stored, now,
                         r.result == "rejected"
                             ? std::optional<std::string>(r.reason + ": " + r.message)
                             : std::nullopt,
                         op.seq, op.opId)
                .exec();
        }
        if (r.result == "applied")
            ++counts.applied;
        else if (r.result == "duplicate")
            ++counts.duplicates;
        else if (r.result == "rejected")
            ++counts.rejected;
        else
            ++counts.remapped;
        if (op.kind != "register") continue;
        // A later op for the same registration (a cancel made meanwhile) has the last word.
        bool overtaken = lastInBatch[id] > i || later->pendingAfter(db, id, lastSent);
        if (overtaken || id.empty()) continue;
        if (r.effective == "rejected") {
            alike["cancelled"].push_back(id);
        } else if (r.registration) {
            bool dropLease = r.reason == "lease_expired";
            if (r.registration->id != id)  // already registered (elsewhere): that one stands
                alike["cancelled"].push_back(id);
            else if (!r.registration->waitlistPosition && !dropLease)
                alike[r.registration->status].push_back(id);
            else
                writeRegistration(db, id, r.registration->status, r.registration->waitlistPosition,
                                  dropLease, now);
        }
    }
    endRun(sent.size());
    for (const auto& [status, ids] : alike) writeRegistrations(db, status, ids, now);
    tx.commit();
    return counts;
}

void rejectLocally(Database& db, const OutboxOp& op, const std::string& reason) {
    Transaction tx(db);
    db.prepare(
          "UPDATE outbox SET state = 'rejected', attempts = attempts + 1, last_error = ? "
          "WHERE op_id = ? AND state = 'pending'")
        .bindAll(reason, op.opId)
        .exec();
    tx.commit();
}

}  // namespace fadaa
