// server/lib/push_service.cpp - validating and deciding pushed ops.
#include "push_service.hpp"

#include <fmt/format.h>

#include <map>
#include <unordered_map>

#include "api_error.hpp"
#include "registration/validation.hpp"
#include "server_schema.hpp"
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
    r.code = p.text("code", kPushCodeMax);
    if (!pushcheck::canonicalCode(r.code)) p.invalid("code", "must be a Crockford base32 code");
    r.name = p.text("name", kPushNameMax);
    if (r.name.empty()) p.invalid("name", "is empty");
    r.phone = p.text("phone", kPushPhoneMax);
    if (r.phone.empty()) p.invalid("phone", "is empty");
    r.ageBand = p.optText("age_band", kPushAgeBandMax);
    if (!pushcheck::e164Form(r.phone)) p.invalid("phone", "must be in E.164 form (+212...)");
    // The server derives the person key itself, with the same function kiosks use, so one
    // person is one person whichever kiosk (or kiosk version) they registered at.
    r.personKey = personKey(r.phone, r.name);
    if (const json* answers = p.optValue("answers")) {
        if (auto why = pushcheck::answersProblem(*answers, r.answers)) p.invalid("answers", *why);
    } else {
        r.answers = "{}";
    }
    r.localStatus = p.text("local_status", kPushStatusMax);
    if (!pushcheck::localStatus(r.localStatus))
        p.invalid("local_status", "must be confirmed, provisional or waitlisted");
    if (p.optValue("lease_id")) r.leaseId = p.uuid("lease_id");
    out.registrationId = r.registrationId;
}

}  // namespace

namespace pushcheck {

bool canonicalCode(std::string_view code) {
    return !code.empty() && normalizeHumanCode(code) == code;
}

bool e164Form(std::string_view phone) {
    return !phone.empty() && phone[0] == '+' &&
           phone.find_first_not_of("0123456789", 1) == std::string_view::npos;
}

bool localStatus(std::string_view status) {
    return status == "confirmed" || status == "provisional" || status == "waitlisted";
}

std::optional<std::string> answersProblem(const json& answers, std::string& text) {
    if (!answers.is_object()) return "must be an object";
    for (const auto& [key, v] : answers.items())
        if (!(v.is_string() || v.is_number() || v.is_boolean() || v.is_null()) || key.size() > 64)
            return fmt::format("answer '{}' must be text, a number or true/false", key);
    text = answers.dump();
    if (text.size() > 16384) return "longer than 16 KiB";
    return std::nullopt;
}

}  // namespace pushcheck

const json& kioskRequestList(const json& body, std::string_view listKey, size_t maxItems,
                             std::string_view tooMany, std::string& kioskId) {
    JsonFields f(body, "", {"kiosk_id", listKey});
    kioskId = f.text("kiosk_id", kPushKioskIdMax);
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

// One op's outcome. `reason` and the message of a rejection are fixed per reason (the message
// of unknown_kind names the op's kind), so a stored outcome can be written out again exactly.
// The views are valid until the next decision (a reason may be the registration's status).
struct Decision {
    std::string_view result;  // applied | duplicate | rejected | remapped
    std::string_view reason;  // "" when none
    const LedgerRegistration* registration = nullptr;
};

std::string rejectionMessage(std::string_view reason, std::string_view kind) {
    static const std::map<std::string_view, std::string_view> kMessages = {
        {"unknown_session", "the server has no such session"},
        {"session_cancelled", "the session was cancelled"},
        {"registration_not_required", "this event takes no registrations"},
        {"registration_not_open", "registration had not opened yet"},
        {"registration_closed", "registration had closed"},
        {"unknown_registration", "the server has no such registration"},
        {"already_attended", "the person has already attended"},
        {"not_confirmed", "only a confirmed registration can be checked in"}};
    if (reason == "unknown_kind") return fmt::format("this server does not know '{}' ops", kind);
    auto it = kMessages.find(reason);
    return it == kMessages.end() ? std::string("the op was rejected") : std::string(it->second);
}

// The result as JSON text, keys sorted as nlohmann writes them. `original` is the stored
// result of a replayed op ("" for a new decision, which then reports d.result).
void appendResultText(std::string& out, const PushOp& op, const Decision& d,
                      std::string_view original) {
    out += '{';
    if (d.result == "rejected") {
        out += "\"message\":";
        wire::appendQuoted(out, rejectionMessage(d.reason, op.kind));
        out += ',';
    }
    out += "\"op_id\":";
    wire::appendQuoted(out, op.opId);
    if (!original.empty()) {
        out += ",\"original_result\":";
        wire::appendQuoted(out, original);
    }
    if (!d.reason.empty()) {
        out += ",\"reason\":";
        wire::appendQuoted(out, d.reason);
    }
    if (d.registration) {
        out += ",\"registration\":";
        appendRegistrationWireText(out, *d.registration);
    }
    out += ",\"result\":";
    wire::appendQuoted(out, original.empty() ? d.result : std::string_view("duplicate"));
    out += '}';
}

// What applied_op.result keeps: "<result>[:<reason>[:<registration id>]]". The registration
// id is written only when the result reports another registration than the op's own
// (already_registered); a replay reports the registration's state at the time of the replay.
std::string compactResult(const PushOp& op, const Decision& d) {
    std::string out(d.result);
    if (!d.reason.empty()) {
        out += ':';
        out += d.reason;
    }
    if (d.registration && d.registration->id != op.registrationId) {
        out += ':';
        out += d.registration->id;
    }
    return out;
}

struct StoredResult {
    std::string_view result, reason, registrationId;
};

StoredResult splitCompact(std::string_view stored) {
    StoredResult r;
    auto colon = stored.find(':');
    r.result = stored.substr(0, colon);
    if (colon == std::string_view::npos) return r;
    std::string_view rest = stored.substr(colon + 1);
    colon = rest.find(':');
    r.reason = rest.substr(0, colon);
    if (colon != std::string_view::npos) r.registrationId = rest.substr(colon + 1);
    return r;
}

// A replayed op's answer. Rows written before schema v2 hold the whole result as JSON text.
void appendReplay(std::string& out, SeatLedger& ledger, const PushOp& op,
                  const std::string& stored) {
    if (!stored.empty() && stored[0] == '{') {
        json old = json::parse(stored);
        old["original_result"] = old["result"];
        old["result"] = "duplicate";
        out += old.dump();
        return;
    }
    StoredResult s = splitCompact(stored);
    Decision d{s.result, s.reason, nullptr};
    if (s.result != "rejected")
        d.registration = ledger.registration(
            s.registrationId.empty() ? op.registrationId : std::string(s.registrationId));
    appendResultText(out, op, d, s.result);
}

Decision rejected(std::string_view reason) {
    return {"rejected", reason, nullptr};
}

// Moves the personal fields (name, phone, person key, answers, age band) out of op.reg into
// the new registration; op.reg is not read again once a registration is admitted.
Decision decideRegister(SeatLedger& ledger, const KioskIdentity& kiosk, PushOp& op) {
    RegisterIntent& in = op.reg;
    if (LedgerRegistration* known = ledger.registration(in.registrationId))
        return {"duplicate", "", known};  // same registration, new op id
    LedgerSession* s = ledger.session(in.sessionId);
    if (!s) return rejected("unknown_session");
    if (s->session.status == SessionStatus::Cancelled) return rejected("session_cancelled");
    if (!s->registrationRequired) return rejected("registration_not_required");
    // The kiosk's time, never later than now: a kiosk clock running ahead cannot get around a
    // window, and one registered offline before the close is honoured after it.
    Timestamp at = std::min(op.createdAt, ledger.now());
    if (s->session.regOpensAt && at < *s->session.regOpensAt)
        return rejected("registration_not_open");
    if (at >= s->session.regClosesAt.value_or(s->session.startsAt))
        return rejected("registration_closed");
    if (LedgerRegistration* same = ledger.livePerson(in.sessionId, in.personKey))
        return {"remapped", "already_registered", same};
    LedgerRegistration reg;
    reg.id = in.registrationId;
    reg.sessionId = in.sessionId;
    reg.kioskId = kiosk.id;
    reg.code = in.code;
    reg.leaseId = in.leaseId;
    reg.createdAt = at;
    reg.name = std::move(in.name);
    reg.phone = std::move(in.phone);
    reg.personKey = std::move(in.personKey);
    reg.answers = std::move(in.answers);
    reg.ageBand = std::move(in.ageBand);
    reg.localStatus = in.localStatus;
    bool fromLease = in.localStatus == "confirmed" && in.leaseId;
    LedgerLease* lease = fromLease ? ledger.lease(*in.leaseId) : nullptr;
    LedgerRegistration& stored = ledger.admit(std::move(reg), lease);
    if (stored.status == in.localStatus) return {"applied", "", &stored};
    // Both arms are views: with a literal and a std::string the conditional would be a
    // temporary std::string, and the reason would point into it after this statement.
    std::string_view reason = fromLease && !stored.leaseId ? std::string_view("lease_expired")
                                                           : std::string_view(stored.status);
    return {"remapped", reason, &stored};
}

Decision decide(SeatLedger& ledger, const KioskIdentity& kiosk, PushOp& op) {
    if (op.kind == "register") return decideRegister(ledger, kiosk, op);
    if (op.kind != "cancel" && op.kind != "check_in") return rejected("unknown_kind");
    LedgerRegistration* r = ledger.registration(op.registrationId);
    if (!r) return rejected("unknown_registration");
    if (op.kind == "cancel") {
        if (r->status == "attended") return rejected("already_attended");
        ledger.cancel(*r, kiosk.id);
        return {"applied", "", r};
    }
    if (r->status != "confirmed" && r->status != "attended") return rejected("not_confirmed");
    ledger.checkIn(*r);
    return {"applied", "", r};
}

}  // namespace

std::string processPush(SqlConnection& conn, const KioskIdentity& kiosk, PushRequest request,
                        const LedgerOptions& options, Timestamp now) {
    if (request.kioskId != kiosk.id)
        throw ApiError(403, "kiosk_mismatch", "kiosk_id is not the kiosk this token belongs to");
    // Every registration this writes names a session the ledger loaded in this transaction
    // (decideRegister rejects unknown ones), so the database need not check the reference.
    SqlTransaction tx(conn, TxKind::WriteRefsVerified);
    std::unordered_map<std::string, std::string> seen;  // op id -> stored result
    std::vector<std::string> opIds, regIds, sessionIds, leaseIds, people;
    opIds.reserve(request.ops.size());
    regIds.reserve(request.ops.size());
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
                 params)) {
            // A replayed remap reports the registration it was remapped to: load that too.
            const std::string& text = row.text(1);
            if (!text.empty() && text[0] != '{') {
                StoredResult stored = splitCompact(text);
                if (!stored.registrationId.empty()) regIds.emplace_back(stored.registrationId);
            }
            seen[row.text(0)] = row.text(1);
        }
    }
    SeatLedger ledger(conn, options, now);
    ledger.loadRegistrations(regIds);
    ledger.loadSessions(sessionIds);
    ledger.loadLeases(leaseIds);
    ledger.loadPeople(people);

    std::string body = "{\"results\":[";
    body.reserve(request.ops.size() * 200);
    std::vector<SqlParams> applied;
    applied.reserve(request.ops.size());
    for (size_t i = 0; i < request.ops.size(); ++i) {
        PushOp& op = request.ops[i];
        if (i) body += ',';
        auto it = seen.find(op.opId);
        if (it != seen.end()) {
            appendReplay(body, ledger, op, it->second);
            continue;
        }
        Decision d = decide(ledger, kiosk, op);
        if (d.registration && d.registration->kioskId == kiosk.id)
            ledger.reported(*d.registration, kiosk.id);
        appendResultText(body, op, d, "");
        std::string stored = compactResult(op, d);
        seen.emplace(op.opId, stored);
        applied.push_back({op.opId, kiosk.id, op.kind, now, std::move(stored)});
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
    // Since schema v3 nothing indexes received_at (a push wrote an entry per op for this alone),
    // so the purge scans the table: at most once an hour of `before`, so an op id is kept at
    // least the retention and at most an hour longer. A clock set back purges at once.
    constexpr Timestamp kEvery = 3600;
    if (auto last = metaGet(conn, "op_purge_before")) {
        Timestamp since = std::stoll(*last);
        if (before >= since && before < since + kEvery) return 0;
    }
    metaSet(conn, "op_purge_before", std::to_string(before));
    return static_cast<std::int64_t>(
        conn.query("DELETE FROM applied_op WHERE received_at < $1 RETURNING op_id", {before})
            .size());
}

}  // namespace fadaa::server
