// core/sync/push_answer.hpp - reading the server's answer to a push (docs/sync-protocol.md,
// "Push") from its text, without a JSON tree.
//
// Why: the answer to a 1000-op push is about 250 KB of JSON; parsing it into a nlohmann tree,
// reading it through JsonFields and writing each result out again was a fifth of the kiosk's
// push work. The reader here is as strict as that path was (a malformed or hostile answer is
// refused with a WireError naming the field, and nothing is written), and its results are
// plain structs that applyPushResults (sync_apply.hpp) writes.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sync/wire.hpp"

namespace fadaa {

struct OutboxOp;

// One op's result as the server answered it.
struct PushResult {
    std::string opId;
    std::string result;     // applied | duplicate | rejected | remapped
    std::string effective;  // the result that counts: a duplicate's original_result (default
                            // "applied"), else result
    std::string reason, message;
    std::optional<wire::RegistrationState> registration;
};

struct PushAnswer {
    std::vector<PushResult> results;
    std::optional<std::int64_t> serverTime;  // absent or null: not measured
};

// Reads `{"results": [...], "server_time": N}`. Throws WireError: "malformed_json" or
// "invalid_utf8" when the text is not one valid JSON object; "unknown_field", "wrong_type",
// "missing_field", "invalid_value" (a result that is not one of the four, a text longer than
// the protocol allows, a registration status the server does not decide) naming the field's
// path (results[3].registration.status). The checks are those JsonFields and
// wire::registrationFromWire make on a tree.
PushAnswer readPushAnswer(std::string_view text);

// Throws WireError "invalid_value" unless the answer holds exactly one result per op sent, in
// the order sent (each result's op_id is its op's).
void checkAnswersOps(const PushAnswer& answer, const std::vector<OutboxOp>& sent);

}  // namespace fadaa
