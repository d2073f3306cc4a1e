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
    out.body = "{\"kiosk_id\":" + json(kioskId).dump() + ",\"ops\":[";
    auto& st = db.prepare(
        "SELECT seq, op_id, kind, payload, created_at FROM outbox WHERE state = 'pending' "
        "AND seq > ? ORDER BY seq LIMIT ?");
    st.bindAll(afterSeq, limit);
    std::string payload;
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
        // escapes is not one of them), values as stored.
        const std::vector<std::string>* fields = wireFields(op.kind);
        payload = "{";
        for (const jsonscan::Member& m : *members) {
            if (fields && std::find(fields->begin(), fields->end(), m.key) == fields->end())
                continue;
            if (payload.size() > 1) payload += ',';
            payload += '"';
            payload += m.key;
            payload += "\":";
            payload += m.value;
            if (m.key == "registration_id" && m.value.front() == '"')
                op.registrationId = m.value.find('\\') == std::string_view::npos
                                        ? std::string(m.value.substr(1, m.value.size() - 2))
                                        : json::parse(m.value).get<std::string>();
        }
        payload += '}';
        if (!out.ops.empty()) out.body += ',';
        out.body +=
            fmt::format(R"({{"op_id":{},"seq":{},"kind":{},"created_at":{},"payload":{}}})",
                        json(op.opId).dump(), op.seq, json(op.kind).dump(), op.createdAt, payload);
        out.ops.push_back(std::move(op));
    }
    st.reset();
    out.body += "]}";
    markUnreadable(db, unreadable);
    return out;
}

namespace {

struct PushResult {
    std::string result, effective, reason, message;
    std::optional<wire::RegistrationState> registration;
};

std::string registrationIdOf(const OutboxOp& op) {
    if (!op.registrationId.empty()) return op.registrationId;
    auto it = op.payload.find("registration_id");
    return it != op.payload.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// Registration id -> highest seq of a pending op for it after `afterSeq`. Only ops other than
// 'register' can follow a registration's own 'register' op (ids are unique), which keeps this
// from reading every queued registration's payload.
std::map<std::string, std::int64_t> pendingAfter(Database& db, std::int64_t afterSeq) {
    std::map<std::string, std::int64_t> out;
    auto& st = db.prepare(
        "SELECT json_extract(payload, '$.registration_id'), max(seq) FROM outbox "
        "WHERE state = 'pending' AND seq > ? AND kind <> 'register' GROUP BY 1");
    st.bindAll(afterSeq);
    while (st.step())
        if (!st.isNull(0)) out[st.getText(0)] = st.getInt(1);
    st.reset();
    return out;
}

// A registration's state as a push answer decided it, staged for writeStaged().
void stageRegistration(Database& db, const std::string& id, const std::string& status,
                       std::optional<std::int64_t> waitlistPos, bool dropLease) {
    db.prepare("INSERT OR REPLACE INTO temp.push_registration VALUES (?, ?, ?, ?)")
        .bindAll(id, status, waitlistPos, dropLease ? 1 : 0)
        .exec();
}

// The staged results in one statement per table: per op, only the rows' own writes remain (a
// statement per op also built each table's CHECK (... IN (...)) list again). A registration
// row is rewritten only when its state differs: most answers confirm what the kiosk holds.
void writeStaged(Database& db, Timestamp now) {
    db.prepare(
          "UPDATE outbox SET state = p.state, result = p.result, attempts = attempts + 1, "
          "acked_at = ?, last_error = p.last_error FROM temp.push_outbox AS p "
          "WHERE outbox.seq = p.seq AND outbox.op_id = p.op_id AND outbox.state = 'pending'")
        .bindAll(now)
        .exec();
    db.prepare(
          "UPDATE registration SET status = p.status, waitlist_pos = p.waitlist_pos, "
          "updated_at = ?, lease_id = CASE WHEN p.drop_lease THEN NULL ELSE "
          "registration.lease_id END FROM temp.push_registration AS p "
          "WHERE registration.id = p.id AND (registration.status IS NOT p.status OR "
          "registration.waitlist_pos IS NOT p.waitlist_pos OR "
          "(p.drop_lease AND registration.lease_id IS NOT NULL))")
        .bindAll(now)
        .exec();
    db.prepare("DELETE FROM temp.push_outbox").exec();
    db.prepare("DELETE FROM temp.push_registration").exec();
}

}  // namespace

PushCounts applyPushResults(Database& db, const std::vector<OutboxOp>& sent, const json& response,
                            Timestamp now) {
    JsonFields top(response, "push response", {"results", "server_time"});
    const json& results = requireArray(top.value("results"), "results");
    if (results.size() != sent.size())
        throw WireError("invalid_value", fmt::format("the server answered {} results for {} ops",
                                                     results.size(), sent.size()));
    std::vector<PushResult> parsed;
    for (size_t i = 0; i < results.size(); ++i) {
        std::string path = fmt::format("results[{}]", i);
        JsonFields f(results[i], path,
                     {"op_id", "result", "reason", "message", "registration", "original_result"});
        if (f.text("op_id", 64) != sent[i].opId) f.invalid("op_id", "does not match the op sent");
        PushResult r;
        r.result = f.text("result", 16);
        if (r.result != "applied" && r.result != "duplicate" && r.result != "rejected" &&
            r.result != "remapped")
            f.invalid("result", "unknown result");
        r.effective = r.result == "duplicate" ? f.optText("original_result", 16).value_or("applied")
                                              : r.result;
        r.reason = f.optText("reason", 64).value_or("");
        r.message = f.optText("message", 1024).value_or("");
        if (const json* reg = f.optValue("registration"))
            r.registration = wire::registrationFromWire(*reg, f.pathOf("registration"));
        parsed.push_back(std::move(r));
    }

    PushCounts counts;
    Transaction tx(db);
    db.exec(
        "CREATE TEMP TABLE IF NOT EXISTS push_outbox (seq INTEGER PRIMARY KEY, op_id TEXT, "
        "state TEXT, result TEXT, last_error TEXT);"
        "CREATE TEMP TABLE IF NOT EXISTS push_registration (id TEXT PRIMARY KEY, status TEXT, "
        "waitlist_pos INTEGER, drop_lease INTEGER);");
    std::map<std::string, std::int64_t> later =
        pendingAfter(db, sent.empty() ? 0 : sent.back().seq);
    std::map<std::string, size_t> lastInBatch;  // registration id -> index of its last op here
    for (size_t i = 0; i < sent.size(); ++i) lastInBatch[registrationIdOf(sent[i])] = i;
    for (size_t i = 0; i < sent.size(); ++i) {
        const OutboxOp& op = sent[i];
        const PushResult& r = parsed[i];
        db.prepare("INSERT OR REPLACE INTO temp.push_outbox VALUES (?, ?, ?, ?, ?)")
            .bindAll(op.seq, op.opId, r.result, results[i].dump(),
                     r.result == "rejected"
                         ? std::optional<std::string>(r.reason + ": " + r.message)
                         : std::nullopt)
            .exec();
        if (r.result == "applied")
            ++counts.applied;
        else if (r.result == "duplicate")
            ++counts.duplicates;
        else if (r.result == "rejected")
            ++counts.rejected;
        else
            ++counts.remapped;
        if (op.kind != "register") continue;
        std::string id = registrationIdOf(op);
        // A later op for the same registration (a cancel made meanwhile) has the last word.
        bool overtaken = later.count(id) > 0 || lastInBatch[id] > i;
        if (overtaken || id.empty()) continue;
        if (r.effective == "rejected") {
            stageRegistration(db, id, "cancelled", std::nullopt, false);
        } else if (r.registration) {
            if (r.registration->id == id)
                stageRegistration(db, id, r.registration->status, r.registration->waitlistPosition,
                                  r.reason == "lease_expired");
            else  // the person was already registered (elsewhere): that registration stands
                stageRegistration(db, id, "cancelled", std::nullopt, false);
        }
    }
    writeStaged(db, now);
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
