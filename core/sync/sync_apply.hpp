// core/sync/sync_apply.hpp - writing what the server answered into the kiosk store.
//
// Each function validates the whole answer first (a malformed answer throws WireError and
// writes nothing), then applies it in ONE transaction together with its bookkeeping: push
// results with their outbox rows, a pulled page with the cursor that follows it, leases with
// the seat counts. Used by SyncClient; separate so the protocol's effects can be tested alone.
#pragma once

#include <nlohmann/json.hpp>

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "model/model.hpp"
#include "registration/lease_clock.hpp"
#include "sync/push_answer.hpp"

namespace fadaa {

class Database;

// One outbox row as sent in a push.
struct OutboxOp {
    std::int64_t seq = 0;
    std::string opId, kind;
    nlohmann::json payload;  // empty in a PushBatch (registrationId says what is needed)
    Timestamp createdAt = 0;
    std::string registrationId;  // the payload's registration_id ("" if none); if empty, read
                                 // from payload
};

struct PushCounts {
    int applied = 0, duplicates = 0, rejected = 0, remapped = 0;
};

// The pending outbox rows, oldest first, at most `limit`. Rows whose payload is not a JSON
// object cannot ever be sent: they are marked rejected ("unreadable payload") here, so a damaged
// row never blocks the queue.
std::vector<OutboxOp> pendingOutbox(Database& db, int limit);

// The JSON op a push sends for a row (only the payload fields the protocol defines).
nlohmann::json opToWire(const OutboxOp& op);

// The next push request: up to `limit` pending rows with seq > afterSeq, oldest first, and the
// request body {"kiosk_id", "ops"} with each op as opToWire() makes it, written by SQLite from
// the stored text (no JSON tree per op). afterSeq lets the next batch be sent while the rows
// of the one before are still pending (pipelining). Rows whose payload is not a JSON object
// are marked rejected ("unreadable payload"), as pendingOutbox() does.
struct PushBatch {
    std::vector<OutboxOp> ops;  // payload left empty; registrationId filled
    std::string body;
};
PushBatch nextPushBatch(Database& db, const std::string& kioskId, int limit,
                        std::int64_t afterSeq = 0);

// Which registrations have an op (other than their register op) still pending after a given
// seq: such a registration keeps its local status when a push answers its register op (a
// cancel made meanwhile has the last word). Read once per sync: asked per batch, the query
// walked every pending row behind the batch (5 M instructions per 1000-op batch of a 10k push,
// callgrind); now a batch reads only the rows queued since the last one, and checks the few
// candidates it finds are still pending. Use one per sync, from one thread.
class LaterOps {
public:
    // True when an op for `registrationId` other than 'register' with seq > afterSeq is
    // pending. Call within the transaction that writes the answer, so nothing is queued
    // unseen between the check and the write.
    bool pendingAfter(Database& db, const std::string& registrationId, std::int64_t afterSeq);
    // Brings the ops known up to date (called by pendingAfter; cheap when nothing is new).
    void refresh(Database& db, std::int64_t afterSeq);

private:
    std::map<std::string, std::vector<std::int64_t>, std::less<>> m_seqs;
    std::int64_t m_from = -1;  // ops with seq > m_from up to m_readTo are in m_seqs
    std::int64_t m_readTo = -1;
};

// Applies a push response to the rows that were sent: outbox state/result/acked_at, and each
// registration's status as the server decided it (a registration rejected or merged into the
// person's existing one becomes cancelled here). A registration with a later op still pending
// keeps its local status. `now` is server time (kiosk clock + skew). outbox.result keeps only
// what full sync reads: for a register op, NULL when the server holds the registration under
// the op's own id, else {"registration":{"id"}} (the one it holds) or {} (none); NULL for
// other kinds.
// Throws WireError (nothing written) when the answer does not answer `sent`, in order.
// `later`: the sync's LaterOps (nullptr: one for this call alone).
PushCounts applyPushResults(Database& db, const std::vector<OutboxOp>& sent,
                            const PushAnswer& answer, Timestamp now, LaterOps* later = nullptr);
// The same from a tree (read as readPushAnswer reads the text: the same checks).
PushCounts applyPushResults(Database& db, const std::vector<OutboxOp>& sent,
                            const nlohmann::json& response, Timestamp now);

// Marks one op rejected locally (the server refused it as malformed, 400: it can never pass).
void rejectLocally(Database& db, const OutboxOp& op, const std::string& reason);

struct PulledPage {
    int changes = 0;
    std::string nextCursor;
    bool hasMore = false;
    bool snapshotFinished = false;
};

// Applies one pull page and saves its next_cursor in the same transaction. In snapshot mode
// the records seen are remembered (unless the snapshot began on an empty catalogue), and on
// the last page local catalogue records the snapshot did not bring are removed (a session or
// event still holding local registrations is cancelled instead of deleted).
PulledPage applyPullPage(Database& db, const nlohmann::json& page, bool snapshot, Timestamp now);

// Starts a snapshot (after 410 or on the first sync): cursor reset, snapshot flag set. A
// snapshot begun on an empty catalogue (no category, venue, organizer, event or session) keeps
// no record of what it delivered (sync_seen), since it has nothing to remove at its end; a
// catalogue written locally while it is unfinished is kept (the nightly full sync's checksums
// would find and repair such a difference).
void beginSnapshot(Database& db);

// True while a snapshot begun by beginSnapshot() (or enrolment) has not finished.
bool snapshotInProgress(Database& db);

// Replaces the seat_lease table with the server's leases. A lease's local `used` is the
// server's plus this kiosk's register ops still pending for it (seats confirmed offline the
// server has not seen yet). Records the lease receipt (registration/lease_clock.hpp) from the
// answer's server_time and `sentAt`, the clocks read before the request left (default: now).
// The pulled session_counts.leased of each session moves by what the lease on it changed, so
// the counts stay those of the server after the renewal (the listing adds the kiosk's own
// lease seats to them: core/catalogue/listing.cpp).
int applyLeases(Database& db, const nlohmann::json& response,
                const std::optional<ClockReading>& sentAt = std::nullopt);

// The lease request body: upcoming sessions this kiosk may take registrations for.
nlohmann::json leaseRequest(Database& db, const std::string& kioskId, Timestamp now, int seats,
                            int horizonDays, int maxSessions);

}  // namespace fadaa
