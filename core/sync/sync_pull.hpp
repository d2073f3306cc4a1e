// core/sync/sync_pull.hpp - a pull page (docs/sync-protocol.md, "Pull") read from its text into
// records, and applied to the kiosk store.
//
// Reading and applying are separate so the kiosk can read page N+1 on the thread that fetched
// it while page N is written. Reading validates the whole page (a malformed or hostile page
// throws WireError and nothing is applied); applying writes it in ONE transaction with its
// cursor (sync_apply.hpp's applyPullPage() is both steps on a parsed document).
//
// Why not a JSON tree: building one nlohmann tree per record, then reading it field by field,
// was about half the kiosk's work in a 10k-record pull. The common records (sessions, about 90%
// of a catalogue) are read straight from the text by a strict scanner (sync/json_scan.hpp);
// anything it does not recognise as plainly valid (escapes in a string, a decimal number, an
// unknown or repeated key, a value out of range, another entity) is read by the tree-based
// readers of sync/wire.hpp instead, so what is accepted and every error message stay theirs.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/model.hpp"
#include "sync/sync_apply.hpp"
#include "sync/wire.hpp"

namespace fadaa {

// One validated change, with its record already read.
struct PulledChange {
    std::string entity, id;
    bool deleted = false;
    int rank = 0;  // wire::entityRank(entity)
    std::optional<Category> category;
    std::optional<Venue> venue;
    std::optional<Organizer> organizer;
    std::optional<Event> event;
    std::optional<Session> session;
    wire::SessionCounts counts;  // with a session
    std::optional<wire::RegistrationState> registration;
};

// A validated pull page, in the server's order.
struct PullPageData {
    std::vector<PulledChange> changes;
    std::string nextCursor;
    bool hasMore = false;
    std::optional<std::int64_t> serverTime;  // when the page carries an integer server_time
};

// Reads a pull answer. Throws WireError (invalid_utf8, malformed_json, wrong_type,
// unknown_field, missing_field, invalid_value; the message names the field, as
// changes[3].data.ends_at) when the page is not one the protocol allows.
PullPageData readPullPage(std::string_view text);
PullPageData readPullPageDocument(const nlohmann::json& page);  // an already parsed page

// Applies a read page and saves its next_cursor in the same transaction (the contract of
// applyPullPage in sync_apply.hpp). Throws StoreError if the store refuses a record (a
// reference to a record the kiosk does not hold): the transaction is rolled back, nothing of
// the page is applied and the cursor stays.
PulledPage applyPulledPage(Database& db, const PullPageData& page, bool snapshot, Timestamp now);

}  // namespace fadaa
