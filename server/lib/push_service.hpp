// server/lib/push_service.hpp - POST /v1/sync/push: a kiosk's intents, decided in arrival order.
//
// The whole request is validated before anything is written (a malformed op is a 400 for the
// request, and nothing is applied); then every op is decided in one write transaction and gets
// exactly one result, in order: applied | duplicate | rejected | remapped. A rejected op never
// stops the ops after it. Op ids are remembered with their result for the retention period, so
// a push repeated after a lost response replays the stored results instead of applying twice.
#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "kiosk_registry.hpp"
#include "seat_ledger.hpp"

namespace fadaa::server {

class SqlConnection;

struct RegisterIntent {
    std::string registrationId, sessionId, code, name, phone, personKey, localStatus, answers;
    std::optional<std::string> ageBand, leaseId;
};

struct PushOp {
    std::string opId;
    std::int64_t seq = 0;
    std::string kind;            // register | cancel | check_in (others are rejected, not refused)
    Timestamp createdAt = 0;     // kiosk clock corrected by its measured skew
    RegisterIntent reg;          // kind register
    std::string registrationId;  // every known kind
};

struct PushRequest {
    std::string kioskId;
    std::vector<PushOp> ops;
};

// The envelope of a kiosk request, {"kiosk_id": ..., <listKey>: [...]}: returns the list (at
// most maxItems, else WireError `tooMany`) and sets kioskId. Throws WireError.
const nlohmann::json& kioskRequestList(const nlohmann::json& body, std::string_view listKey,
                                       size_t maxItems, std::string_view tooMany,
                                       std::string& kioskId);

// Validates a push body. Throws WireError (400) naming the first problem; ops beyond maxOps
// are refused as a whole (400 "too_many_ops").
PushRequest parsePushRequest(const nlohmann::json& body, size_t maxOps);

// The same request parsePushRequest(parseJson(body), maxOps) returns, read in one pass without
// a JSON tree, for a body in the form kiosks write (strings without escapes, integers without
// fractions, no repeated keys, every value valid, known kinds); nullopt for anything else,
// including every body the strict reader refuses (push_scan.cpp).
std::optional<PushRequest> scanPushRequest(std::string_view body, size_t maxOps);

// Reads a push body: scanPushRequest, else the strict reader, which names the problem.
// Throws WireError (400), as parsePushRequest and parseJson do.
PushRequest readPushRequest(std::string_view body, size_t maxOps);

// Limits and checks of push fields, shared by the strict reader and the scanner so both accept
// exactly the same values.
inline constexpr size_t kPushKioskIdMax = 64, kPushCodeMax = 16, kPushNameMax = 400,
                        kPushPhoneMax = 32, kPushAgeBandMax = 32, kPushStatusMax = 16;
namespace pushcheck {
bool canonicalCode(std::string_view code);  // not empty, as normalizeHumanCode writes it
bool e164Form(std::string_view phone);      // "+" then digits
bool localStatus(std::string_view status);  // confirmed | provisional | waitlisted
// Sets `text` to the answers as stored (nlohmann's dump) and returns nullopt, or returns the
// problem in words: not an object, a value that is not a scalar, a key over 64 bytes, over 16 KiB.
std::optional<std::string> answersProblem(const nlohmann::json& answers, std::string& text);
}  // namespace pushcheck

// Decides and stores every op; returns the answer's JSON text, {"results": [...],
// "server_time"}, each result written as text; applied_op keeps a compact form of it, and a
// replayed op id is answered "duplicate" with its original result and the current state of
// the registration it reported.
// The caller holds no transaction: this opens its own write transaction and commits it.
// Taken by value: the personal fields of new registrations are moved into the rows written.
std::string processPush(SqlConnection& conn, const KioskIdentity& kiosk, PushRequest request,
                        const LedgerOptions& options, Timestamp now);

// Forgets op ids older than `before`, scanning the table at most once per hour of `before`
// (a call within the hour after the last scan forgets nothing). Returns how many. Call in a
// write transaction.
std::int64_t purgeAppliedOps(SqlConnection& conn, Timestamp before);

}  // namespace fadaa::server
