// server/lib/push_service.cpp - validating and deciding pushed ops.
#include "push_service.hpp"

#include <fmt/format.h>

#include <map>
#include <set>

#include "api_error.hpp"
#include "registration/validation.hpp"
#include "sql.hpp"
#include "sync/json_fields.hpp"
#include "sync/wire.hpp"
#include "util/ids.hpp"

namespace fadaa::server {

using nlohmann::json;

// ---------------------------------------------------------------------------------------------
// Validation
// ---------------------------------------------------------------------------------------------

namespace {

void parseRegister(const JsonFields& op, PushOp& out) {
    JsonFields p(op.value("payload"), op.pathOf("payload"),
                 {"registration_id", "session_id", "code", "name", "phone", "age_band", "answers",
                  "local_status", "lease_id"});
    RegisterIntent& r = out.reg;
    r.registrationId = p.uuid("registration_id");
    r.sessionId = p.text("session_id", 64);
    if (!wire::isValidRecordId(r.sessionId)) p.invalid("session_id", "not a record id");
    r.code = p.text("code", 16);
    if (r.code.empty() || normalizeHumanCode(r.code) != r.code)
        p.invalid("code", "must be a Crockford base32 code");
    r.name = p.text("name", 400);
    if (r.name.empty()) p.invalid("name", "is empty");
    r.phone = p.text("phone", 32);
    if (r.phone.empty()) p.invalid("phone", "is empty");
    r.ageBand = p.optText("age_band", 32);
    if (r.phone[0] != '+' || r.phone.find_first_not_of("0123456789", 1) != std::string::npos)
        p.invalid("phone", "must be in E.164 form (+212...)");
    // The server derives the person key itself, with the same function kiosks use, so one
    // person is one person whichever kiosk (or kiosk version) they registered at.
    r.personKey = personKey(r.phone, r.name);
    if (const json* answers = p.optValue("answers")) {
        if (!answers->is_object()) p.invalid("answers", "must be an object");
        for (const auto& [key, v] : answers->items())
            if (!(v.is_string() || v.is_number() || v.is_boolean() || v.is_null()) ||
                key.size() > 64)
                p.invalid("answers",
                          fmt::format("answer '{}' must be text, a number or true/false", key));
        r.answers = answers->dump();
        if (r.answers.size() > 16384) p.invalid("answers", "longer than 16 KiB");
    } else {
        r.answers = "{}";
    }
    r.localStatus = p.text("local_status", 16);
    if (r.localStatus != "confirmed" && r.localStatus != "provisional" &&
        r.localStatus != "waitlisted")
        p.invalid("local_status", "must be confirmed, provisional or waitlisted");
    if (p.optValue("lease_id")) r.leaseId = p.uuid("lease_id");
    out.registrationId = r.registrationId;
}

}  // namespace

const json& kioskRequestList(const json& body, std::string_view listKey, size_t maxItems,
                             std::string_view tooMany, std::string& kioskId) {
    JsonFields f(body, "", {"kiosk_id", listKey});
    kioskId = f.text("kiosk_id", 64);
    const json& list = requireArray(f.value(listKey), std::string(listKey));
    if (list.size() > maxItems)
        throw WireError(std::string(tooMany), fmt::format("at most {} {} per request, got {}",
                                                          maxItems, listKey, list.size()));
    return list;
}

PushRequest parsePushRequest(const json& body, size_t maxOps) {
    PushRequest req;
    const json& ops = kioskRequestList(body, "ops", maxOps, "too_many_ops", req.kioskId);
    std::int64_t lastSeq = 0;
    for (size_t i = 0; i < ops.size(); ++i) {
        JsonFields op(ops[i], fmt::format("ops[{}]", i),
                      {"op_id", "seq", "kind", "created_at", "payload"});
        PushOp out;
        out.opId = op.uuid("op_id");
        out.seq = op.integer("seq");
        if (out.seq <= lastSeq && i > 0) op.invalid("seq", "ops must be in rising seq order");
        lastSeq = out.seq;
        out.kind = op.text("kind", 32);
        out.createdAt = op.integer("created_at");
        if (out.kind == "register") {
            parseRegister(op, out);
        } else if (out.kind == "cancel" || out.kind == "check_in") {
            JsonFields p(op.value("payload"), op.pathOf("payload"), {"registration_id"});
            out.registrationId = p.uuid("registration_id");
        } else if (!op.value("payload").is_object()) {
            op.invalid("payload", "must be an object");
        }
        req.ops.push_back(std::move(out));
    }
    return req;
}

// ---------------------------------------------------------------------------------------------
// Deciding
// ---------------------------------------------------------------------------------------------

namespace {

// One op's result as JSON text (keys sorted, as nlohmann writes them), and the registration
// it reports, if any (its state as of this decision is in the text).
struct Decision {
    std::string text;
    const LedgerRegistration* registration = nullptr;
};

Decision rejected(const PushOp& op, std::string_view reason, std::string_view message) {
    std::string t = "{\"message\":";
    wire::appendQuoted(t, message);
    t += ",\"op_id\":";
    wire::appendQuoted(t, op.opId);
    t += ",\"reason\":";
    wire::appendQuoted(t, reason);
    t += ",\"result\":\"rejected\"}";
    return {std::move(t), nullptr};
}

Decision withRegistration(const PushOp& op, std::string_view result, const LedgerRegistration& r,
                          std::string_view reason = {}) {
    std::string t = "{\"op_id\":";
    wire::appendQuoted(t, op.opId);
    if (!reason.empty()) {
        t += ",\"reason\":";
        wire::appendQuoted(t, reason);
    }
    t += ",\"registration\":";
    t += registrationWireText(r);
    t += ",\"result\":";
    wire::appendQuoted(t, result);
    t += '}';
    return {std::move(t), &r};
}

Decision decideRegister(SeatLedger& ledger, const KioskIdentity& kiosk, const PushOp& op) {
    const RegisterIntent& in = op.reg;
    if (LedgerRegistration* known = ledger.registration(in.registrationId))
        return withRegistration(op, "duplicate", *known);  // same registration, new op id
    LedgerSession* s = ledger.session(in.sessionId);
    if (!s) return rejected(op, "unknown_session", "the server has no such session");
    if (s->session.status == SessionStatus::Cancelled)
        return rejected(op, "session_cancelled", "the session was cancelled");
    if (!s->registrationRequired)
        return rejected(op, "registration_not_required", "this event takes no registrations");
    // The kiosk's time, never later than now: a kiosk clock running ahead cannot get around a
    // window, and one registered offline before the close is honoured after it.
    Timestamp at = std::min(op.createdAt, ledger.now());
    if (s->session.regOpensAt && at < *s->session.regOpensAt)
        return rejected(op, "registration_not_open", "registration had not opened yet");
    if (at >= s->session.regClosesAt.value_or(s->session.startsAt))
        return rejected(op, "registration_closed", "registration had closed");
    if (LedgerRegistration* same = ledger.livePerson(in.sessionId, in.personKey))
        return withRegistration(op, "remapped", *same, "already_registered");
    LedgerRegistration reg;
    reg.id = in.registrationId;
    reg.sessionId = in.sessionId;
    reg.kioskId = kiosk.id;
    reg.code = in.code;
    reg.leaseId = in.leaseId;
    reg.createdAt = at;
    reg.name = in.name;
    reg.phone = in.phone;
    reg.personKey = in.personKey;
    reg.answers = in.answers;
    reg.ageBand = in.ageBand;
    reg.localStatus = in.localStatus;
    bool fromLease = in.localStatus == "confirmed" && in.leaseId;
    LedgerLease* lease = fromLease ? ledger.lease(*in.leaseId) : nullptr;
    LedgerRegistration& stored = ledger.admit(std::move(reg), lease);
    if (stored.status == in.localStatus) return withRegistration(op, "applied", stored);
    return withRegistration(op, "remapped", stored,
                            fromLease && !stored.leaseId ? "lease_expired" : stored.status);
}

Decision decide(SeatLedger& ledger, const KioskIdentity& kiosk, const PushOp& op) {
    if (op.kind == "register") return decideRegister(ledger, kiosk, op);
    if (op.kind != "cancel" && op.kind != "check_in")
        return rejected(op, "unknown_kind",
                        fmt::format("this server does not know '{}' ops", op.kind));
    LedgerRegistration* r = ledger.registration(op.registrationId);
    if (!r) return rejected(op, "unknown_registration", "the server has no such registration");
    if (op.kind == "cancel") {
        if (r->status == "attended")
            return rejected(op, "already_attended", "the person has already attended");
        ledger.cancel(*r, kiosk.id);
        return withRegistration(op, "applied", *r);
    }
    if (r->status != "confirmed" && r->status != "attended")
        return rejected(op, "not_confirmed", "only a confirmed registration can be checked in");
    ledger.checkIn(*r);
    return withRegistration(op, "applied", *r);
}

}  // namespace

std::string processPush(SqlConnection& conn, const KioskIdentity& kiosk, const PushRequest& request,
                        const LedgerOptions& options, Timestamp now) {
    if (request.kioskId != kiosk.id)
        throw ApiError(403, "kiosk_mismatch", "kiosk_id is not the kiosk this token belongs to");
    SqlTransaction tx(conn, TxKind::Write);
    std::map<std::string, std::string> seen;  // op id -> stored result (JSON text)
    std::vector<std::string> opIds, regIds, sessionIds, leaseIds, people;
    for (const PushOp& op : request.ops) {
        opIds.push_back(op.opId);
        if (!op.registrationId.empty()) regIds.push_back(op.registrationId);
        if (op.kind == "register") {
            sessionIds.push_back(op.reg.sessionId);
            people.push_back(op.reg.personKey);
            if (op.reg.leaseId) leaseIds.push_back(*op.reg.leaseId);
        }
    }
    for (size_t start = 0; start < opIds.size(); start += 400) {
        size_t n = std::min<size_t>(400, opIds.size() - start);
        SqlParams params(opIds.begin() + static_cast<std::ptrdiff_t>(start),
                         opIds.begin() + static_cast<std::ptrdiff_t>(start + n));
        for (const SqlRow& row : conn.query(
                 "SELECT op_id, result FROM applied_op WHERE op_id IN (" + sqlPlaceholders(n) + ")",
                 params))
            seen[row.text(0)] = row.text(1);
    }
    SeatLedger ledger(conn, options, now);
    ledger.loadRegistrations(regIds);
    ledger.loadSessions(sessionIds);
    ledger.loadLeases(leaseIds);
    ledger.loadPeople(people);

    std::string body = "{\"results\":[";
    std::vector<SqlParams> applied;
    for (size_t i = 0; i < request.ops.size(); ++i) {
        const PushOp& op = request.ops[i];
        if (i) body += ',';
        auto it = seen.find(op.opId);
        if (it != seen.end()) {
            json out = json::parse(it->second);
            out["original_result"] = out["result"];
            out["result"] = "duplicate";
            body += out.dump();
            continue;
        }
        Decision d = decide(ledger, kiosk, op);
        if (d.registration && d.registration->kioskId == kiosk.id)
            ledger.reported(*d.registration, kiosk.id);
        body += d.text;
        seen[op.opId] = d.text;
        applied.push_back({op.opId, kiosk.id, op.kind, now, std::move(d.text)});
    }
    body += fmt::format("],\"server_time\":{}}}", now);
    ChangeBuffer changes;
    ledger.flush(changes);
    insertRows(conn, "applied_op", "(op_id, kiosk_id, kind, received_at, result)", 5, applied);
    conn.query("UPDATE kiosk SET last_seen_at = $1 WHERE id = $2", {now, kiosk.id});
    tx.commit();
    return body;
}

std::int64_t purgeAppliedOps(SqlConnection& conn, Timestamp before) {
    return static_cast<std::int64_t>(
        conn.query("DELETE FROM applied_op WHERE received_at < $1 RETURNING op_id", {before})
            .size());
}

}  // namespace fadaa::server
