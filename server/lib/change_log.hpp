// server/lib/change_log.hpp - the change log kiosks pull, and the cursor over it.
//
// Writers buffer changes in a ChangeBuffer during their transaction and flush() it before
// commit: each (entity, id, audience) keeps only its newest row, which gets the next sequence
// number, so the log holds the live records plus tombstones and a kiosk pulling from the start
// gets a full snapshot. Tombstones older than the retention are purged; the highest purged
// number becomes the lowest cursor still served (older ones get 410 and take the snapshot path).
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "model/model.hpp"

namespace fadaa::server {

class SqlConnection;

// One change as a kiosk receives it.
struct Change {
    std::int64_t seq = 0;
    std::string entity;
    std::string id;
    bool deleted = false;
    std::string data;  // the record as JSON text; "null" for a delete
};

class ChangeBuffer {
public:
    // audience "" = every kiosk; a kiosk id = only that kiosk (its own registrations).
    // echo: the kiosk that already knows this state (see change_log's schema), or "".
    void upsert(std::string_view entity, std::string id, nlohmann::json data,
                std::string audience = "", std::string echo = "");
    // The same with the record already written as JSON text (stored as it is).
    void upsertText(std::string_view entity, std::string id, std::string dataText,
                    std::string audience = "", std::string echo = "");
    void remove(std::string_view entity, std::string id, std::string audience = "");
    bool empty() const { return m_entries.empty(); }

    // Writes the buffered changes (parents before children) with fresh sequence numbers and
    // clears the buffer. Call inside the write transaction that made the changes.
    void flush(SqlConnection& conn, Timestamp now);

private:
    struct Entry {
        std::string entity, id, audience, echo;
        bool deleted = false;
        nlohmann::json data;
        std::optional<std::string> text;  // data as text, when given so
        size_t order = 0;
    };
    std::map<std::tuple<std::string, std::string, std::string>, Entry> m_entries;
    size_t m_next = 0;
};

// A cursor is "<epoch>.<seq>" (an incremental pull); "" or "0" begins a snapshot, which goes
// on with "<epoch>.<seq>.s" through the catalogue and "<epoch>.<seq>.r<id>" through the
// kiosk's own registrations.
struct Cursor {
    enum class Part { Incremental, Catalogue, Registrations };
    std::string epoch;
    std::int64_t seq = 0;
    Part part = Part::Incremental;
    std::string afterId;  // Registrations: the last registration id sent ("" = none yet)
};
std::string formatCursor(const std::string& epoch, std::int64_t seq);

struct PullPage {
    std::vector<Change> changes;  // records this page depends on first, then the page in order
    std::string nextCursor;
    bool hasMore = false;
};

// Reads one page for `kioskId` after `cursor` (at most `limit` log rows, plus copies of the
// parent records those rows refer to that a later page would bring, so every page applies on
// its own). An incremental pull walks the log: the catalogue and this kiosk's registrations,
// without the rows whose state the kiosk got as its own push's answer. A snapshot walks the
// catalogue's rows, then this kiosk's registrations as the registration table holds them now
// (a registration new in a push and unchanged since has no log row). Throws ApiError 410
// "cursor_expired" when the cursor is from another database, ahead of this one, or older than the
// tombstone retention; 400 when it is malformed.
PullPage readChanges(SqlConnection& conn, const std::string& kioskId, const std::string& cursor,
                     int limit);

// Deletes tombstones older than `before` and raises the lowest cursor served. Returns how many
// were purged. Call in a write transaction.
std::int64_t purgeTombstones(SqlConnection& conn, Timestamp before);

}  // namespace fadaa::server
