// core/sync/sync_client.hpp - the kiosk side of the sync protocol (docs/sync-protocol.md).
//
// SyncClient::syncOnce() runs one sync: push the outbox in seq order, pull the server's changes
// page by page, then renew the seat leases. Every step that changes the store does so in one
// transaction together with its bookkeeping (outbox results; a pulled page with its cursor), so
// a crash at any point leaves either the step done or nothing, and the next sync resumes.
//
// The store's sync_state keys (shared with RegistrationService and the CLI):
//   kiosk_token         the bearer token; its presence means "enrolled"
//   kiosk_id, kiosk_name, server_url
//   cursor              the last pulled cursor ("" = pull everything)
//   snapshot            "1" while a full re-pull is in progress (first sync, or after 410);
//                       "2" if it began on an empty catalogue (no sync_seen bookkeeping)
//   clock_skew_seconds  server time minus this clock, measured at each exchange
//   last_sync_at, last_error
//   counts_seq          the pulled session_counts include the effect of every outbox op up to
//                       this seq (those the server had acknowledged when the last full pull
//                       began); the listing adds this kiosk's later registrations itself
//   lease_clock         the receipt of the last lease answer (registration/lease_clock.hpp)
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <optional>
#include <string>

#include "model/model.hpp"
#include "sync/http_client.hpp"

namespace fadaa {

class Database;

struct SyncOptions {
    std::string serverUrl;      // "" = sync_state's server_url
    std::string caFile;         // extra CA bundle for a self-signed server certificate
    int pushBatch = 1000;       // ops per push request (the server takes up to 1000)
    int pullPage = 1000;        // changes per pull page (the server sends up to 1000)
    int maxPages = 100000;      // bounds one sync's pull loop
    int leaseSeats = 2;         // seats asked per upcoming session
    int leaseHorizonDays = 14;  // sessions starting within this many days get leases
    int maxLeaseSessions = 200;
    long requestTimeoutMs = 60000;
    bool leases = true;
    // Up to three push batches at the server at once, each after the first on the ordered route
    // (decided only after the one before; docs/sync-protocol.md). False: one batch at a time.
    bool pipelinePushes = true;
    // Called after each step with a line of progress ("pushed 500/1200", "pulled 3 pages").
    std::function<void(const std::string&)> progress;
    // When set and true, requests in flight are abandoned (the sync fails at once).
    const std::atomic<bool>* cancel = nullptr;
};

struct SyncReport {
    bool ok = false;
    bool reached = false;  // the server answered at least once
    std::string error;     // plain words when !ok
    int httpStatus = 0;    // of the failing request, when there was one
    int pushed = 0, applied = 0, duplicates = 0, rejected = 0, remapped = 0;
    int pulled = 0, pages = 0;
    bool snapshot = false;  // a full re-pull happened (first sync or 410)
    int leases = 0;
    int pending = 0;             // ops still waiting after this sync
    std::int64_t clockSkew = 0;  // measured this time
};

struct EnrolResult {
    bool ok = false;
    std::string error;
    std::string kioskId, name;
};

class SyncClient {
public:
    SyncClient(Database& db, SyncOptions options = {});

    // Exchanges a one-time code for a token and stores the enrolment in sync_state (server URL,
    // kiosk id, token, clock skew, cursor reset so the first sync pulls everything).
    static EnrolResult enrol(Database& db, const std::string& serverUrl, const std::string& code,
                             const std::string& caFile = "");

    // One sync. Never throws for network, HTTP or protocol problems (they come back in the
    // report and in sync_state's last_error); throws StoreError if the local store fails.
    SyncReport syncOnce();

    const SyncOptions& options() const { return m_options; }
    // How requests to the server are made: its URL, this kiosk's token, the schema header.
    HttpClientOptions httpOptions();

private:
    Database& m_db;
    SyncOptions m_options;
};

// sync_state access (each its own statement; callers hold a transaction where it matters).
std::optional<std::string> syncStateGet(Database& db, std::string_view key);
void syncStateSet(Database& db, std::string_view key, std::string_view value);

// The number of outbox rows waiting to be pushed.
int pendingOps(Database& db);
// The highest outbox seq the server has answered (0 if none).
std::int64_t lastAcknowledgedSeq(Database& db);

// This kiosk's clock, Unix seconds. The environment variable FADAA_CLOCK_OFFSET (seconds)
// shifts it: a testing aid to run a kiosk whose clock is wrong (the sync measures and stores
// the skew against the server, and every decision uses server time).
Timestamp kioskNow();
std::chrono::system_clock::time_point kioskClock();

// True when the store holds a kiosk token (RegistrationService's test, the same key).
bool isEnrolled(Database& db);

}  // namespace fadaa
