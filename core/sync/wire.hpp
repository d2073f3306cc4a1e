// core/sync/wire.hpp - what kiosks and the city server say to each other (docs/sync-protocol.md):
// paths and headers, the JSON form of catalogue records, and per-table checksums.
//
// Both sides link this file, so a record is written and read by the same code: the server turns
// its rows into model structs and sends toWire(); the kiosk reads fromWire() and stores the
// struct through Catalogue. Checksums are computed from the same column lists on both sides.
#pragma once

#include <nlohmann/json.hpp>

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/model.hpp"

namespace fadaa::wire {

// Endpoints (all under the server's base URL) and headers.
inline constexpr std::string_view kEnrolPath = "/v1/enrol";
inline constexpr std::string_view kPushPath = "/v1/sync/push";
// A push sent before the answer to the one before it: `?after=<that push's last op id>`; decided
// only after that op (server/lib/push_order.hpp). A server without it answers 404.
inline constexpr std::string_view kOrderedPushPath = "/v1/sync/push/ordered";
inline constexpr std::string_view kPullPath = "/v1/sync/pull";
inline constexpr std::string_view kLeasePath = "/v1/seats/lease";
inline constexpr std::string_view kChecksumsPath = "/v1/sync/checksums";
inline constexpr std::string_view kStatusPath = "/v1/status";
inline constexpr std::string_view kSchemaHeader = "X-Fadaa-Schema";

// Entity names in the change log.
inline constexpr std::string_view kCategory = "category";
inline constexpr std::string_view kVenue = "venue";
inline constexpr std::string_view kOrganizer = "organizer";
inline constexpr std::string_view kEvent = "event";
inline constexpr std::string_view kSession = "session";
inline constexpr std::string_view kRegistration = "registration";

// Dependency rank: a record may refer only to records of a lower rank (an event to its
// category, a session to its event and venue). Upserts apply in rising rank, deletes in falling
// rank; -1 for an unknown entity.
int entityRank(std::string_view entity);

// Record ids: letters, digits, '-', '_', '.'; 1 to 64 characters (docs/catalogue-format.md).
bool isValidRecordId(std::string_view id);

// The server's counts for a session, sent with it on pull.
struct SessionCounts {
    int taken = 0;  // confirmed + attended
    int waitlisted = 0;
    int leased = 0;  // seats leased to kiosks and not yet used
};

// A registration as its kiosk learns it from the server (push results, pulls): never any
// personal data. status is never "provisional" (the server decides).
struct RegistrationState {
    std::string id, sessionId, status, code;
    std::optional<std::int64_t> waitlistPosition;
};

// A registration's state as views of text held elsewhere (the server's ledger), for writing it
// without copying its fields into a RegistrationState first.
struct RegistrationStateView {
    std::string_view id, sessionId, status, code;
    std::optional<std::int64_t> waitlistPosition;
};

nlohmann::json toWire(const RegistrationState& r);
// toWire(r).dump(), written directly (the server writes one per pushed op, three times).
std::string toWireText(const RegistrationState& r);
// The same text appended to out.
void appendWireText(std::string& out, const RegistrationStateView& r);
// A JSON string literal for text, as nlohmann's dump() writes it (UTF-8 kept as it is).
void appendQuoted(std::string& out, std::string_view text);
nlohmann::json toWire(const Category& c);
nlohmann::json toWire(const Venue& v);
nlohmann::json toWire(const Organizer& o);
nlohmann::json toWire(const Event& e);
nlohmann::json toWire(const Session& s);
nlohmann::json toWire(const Session& s, const SessionCounts& counts);
// toWire(s, counts).dump(), written directly (the server writes one per session a push touched).
std::string toWireText(const Session& s, const SessionCounts& counts);

// Strict readers: throw WireError (sync/json_fields.hpp) naming the field. `path` prefixes the
// field names in messages. A session's counts are accepted (and returned through `counts`)
// only when counts is not null.
Category categoryFromWire(const nlohmann::json& j, const std::string& path);
Venue venueFromWire(const nlohmann::json& j, const std::string& path);
Organizer organizerFromWire(const nlohmann::json& j, const std::string& path);
Event eventFromWire(const nlohmann::json& j, const std::string& path);
Session sessionFromWire(const nlohmann::json& j, const std::string& path,
                        SessionCounts* counts = nullptr);
LocalizedText localizedFromWire(const nlohmann::json& j, const std::string& path);
RegistrationState registrationFromWire(const nlohmann::json& j, const std::string& path);

// The rules for a registration's state (kRegistrationStateKeys), whichever reader holds its
// fields: JsonFields over a tree (registrationFromWire) or push_answer's reader over the answer's
// text. Fields has text(key, maxBytes), optInteger(key) and invalid(key, why) (throws).
inline const std::initializer_list<std::string_view> kRegistrationStateKeys = {
    "id", "session_id", "status", "waitlist_position", "code"};
template <typename Fields>
RegistrationState registrationStateFrom(Fields& f) {
    RegistrationState r;
    r.id = f.text("id", 64);
    r.sessionId = f.text("session_id", 64);
    r.status = f.text("status", 16);
    if (!registrationStatusFromString(r.status) || r.status == "provisional")
        f.invalid("status", "not a status the server decides");
    r.code = f.text("code", 16);
    r.waitlistPosition = f.optInteger("waitlist_position");
    return r;
}

// Per-table checksums (nightly `fadaa sync --full`). A table's checksum is the SHA-256 of its
// rows' canonical lines sorted bytewise, so row order and JSON key order do not matter.
struct ChecksumTable {
    std::string_view name;
    std::string_view sql;             // the same SELECT runs on the kiosk and the server
    std::vector<size_t> jsonColumns;  // compared as parsed JSON, not as text
};
const std::vector<ChecksumTable>& catalogueChecksumTables();
// A kiosk's own registrations: id, session_id, status, waitlist_pos (SQL differs per side).
inline constexpr std::string_view kRegistrationChecksum = "registration";

using ChecksumRow = std::vector<std::optional<std::string>>;
struct Checksum {
    std::int64_t rows = 0;
    std::string sha256;  // lower-case hex
    bool operator==(const Checksum&) const = default;
};
Checksum checksumRows(std::vector<ChecksumRow> rows, const std::vector<size_t>& jsonColumns);

// SHA-256 of bytes as lower-case hex (tokens and enrolment codes are stored this way).
std::string sha256Hex(std::string_view bytes);

}  // namespace fadaa::wire
