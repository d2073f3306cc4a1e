// core/sync/sync_worker.hpp - the kiosk's background sync thread and the status the UI shows.
//
// SyncWorker runs SyncClient::syncOnce() on its own thread and its own store connection:
// - on a timer (every `interval` while all is well);
// - soon after new outbox rows appear (wake(), or seen by polling the outbox) when online;
// - when the server becomes reachable again: while offline it probes GET /v1/status often
//   (a refused connection costs nothing), so queued registrations leave within about a second
//   of the server coming back;
// - after a failure where the server answered (5xx, a sync that made no progress, a schema
//   mismatch) it backs off exponentially with jitter, so a fleet of kiosks does not hammer a
//   struggling server in step.
// status() is safe to call from any thread; onChange fires (on the worker thread) whenever the
// status changes, e.g. to post an empty GLFW event so the UI redraws "online / 3 waiting".
#pragma once

#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "model/model.hpp"
#include "sync/sync_client.hpp"

namespace fadaa {

struct SyncStatus {
    bool enrolled = false;
    bool online = false;  // the last exchange reached the server
    bool syncing = false;
    std::optional<Timestamp> lastSuccess;  // server time
    int waiting = 0;                       // outbox ops not yet acknowledged
    std::string lastError;                 // "" after a successful sync
    int failures = 0;                      // consecutive failed syncs
    int syncs = 0;                         // completed syncOnce() calls since start
};

struct SyncWorkerOptions {
    SyncOptions sync;
    std::chrono::milliseconds interval{60000};     // between syncs while all is well
    std::chrono::milliseconds outboxPoll{500};     // how often new outbox rows are looked for
    std::chrono::milliseconds probeWaiting{500};   // offline with ops waiting: probe this often
    std::chrono::milliseconds probeIdle{5000};     // offline with nothing waiting
    std::chrono::milliseconds backoffBase{2000};   // first delay after a failure
    std::chrono::milliseconds backoffMax{300000};  // delays never exceed this
    long probeTimeoutMs = 2000;
};

class SyncWorker {
public:
    SyncWorker(std::filesystem::path dbPath, SyncWorkerOptions options = {});
    ~SyncWorker();  // stops and joins
    SyncWorker(const SyncWorker&) = delete;
    SyncWorker& operator=(const SyncWorker&) = delete;

    void start();
    void stop();
    // Sync soon (e.g. right after a registration was written). Cheap; callable from any thread.
    void wake();
    SyncStatus status() const;
    void setOnChange(std::function<void()> callback);

    // The delay after `failures` consecutive failures: min(max, base * 2^(failures-1)) scaled by
    // a random factor in [0.5, 1.5). Exposed for tests.
    static std::chrono::milliseconds backoffDelay(int failures, std::chrono::milliseconds base,
                                                  std::chrono::milliseconds max);

private:
    void run();
    bool probe(const std::string& url, const std::string& caFile);
    void publish(const std::function<void(SyncStatus&)>& change);

    std::filesystem::path m_dbPath;
    SyncWorkerOptions m_options;
    mutable std::mutex m_mutex;
    std::condition_variable m_cv;
    bool m_stop = false, m_woken = false;
    SyncStatus m_status;
    std::function<void()> m_onChange;
    std::thread m_thread;
};

}  // namespace fadaa
