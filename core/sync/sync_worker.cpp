// core/sync/sync_worker.cpp - scheduling syncs: timer, outbox, reachability, backoff.
#include "sync/sync_worker.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cmath>
#include <random>

#include "store/database.hpp"
#include "sync/http_client.hpp"
#include "sync/wire.hpp"

namespace fadaa {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

SyncWorker::SyncWorker(std::filesystem::path dbPath, SyncWorkerOptions options)
    : m_dbPath(std::move(dbPath)), m_options(std::move(options)) {}

SyncWorker::~SyncWorker() {
    stop();
}

void SyncWorker::start() {
    std::lock_guard lock(m_mutex);
    if (m_thread.joinable()) return;
    m_stop = false;
    m_thread = std::thread([this] { run(); });
}

void SyncWorker::stop() {
    {
        std::lock_guard lock(m_mutex);
        m_stop = true;
    }
    m_cv.notify_all();
    if (m_thread.joinable()) m_thread.join();
}

void SyncWorker::wake() {
    {
        std::lock_guard lock(m_mutex);
        m_woken = true;
    }
    m_cv.notify_all();
}

SyncStatus SyncWorker::status() const {
    std::lock_guard lock(m_mutex);
    return m_status;
}

void SyncWorker::setOnChange(std::function<void()> callback) {
    std::lock_guard lock(m_mutex);
    m_onChange = std::move(callback);
}

void SyncWorker::publish(const std::function<void(SyncStatus&)>& change) {
    std::function<void()> callback;
    {
        std::lock_guard lock(m_mutex);
        change(m_status);
        callback = m_onChange;
    }
    if (callback) callback();
}

milliseconds SyncWorker::backoffDelay(int failures, milliseconds base, milliseconds max) {
    thread_local std::mt19937 rng{std::random_device{}()};
    double factor = std::uniform_real_distribution<double>(0.5, 1.5)(rng);
    double raw = static_cast<double>(base.count()) * std::pow(2.0, std::clamp(failures - 1, 0, 30));
    double capped = std::min(raw, static_cast<double>(max.count()));
    return milliseconds(static_cast<long long>(capped * factor));
}

bool SyncWorker::probe(const std::string& url, const std::string& caFile) {
    HttpClientOptions options;
    options.baseUrl = url;
    options.caFile = caFile;
    options.connectTimeoutMs = m_options.probeTimeoutMs;
    options.requestTimeoutMs = m_options.probeTimeoutMs;
    HttpClient http(options);
    return http.get(std::string(wire::kStatusPath)).ok();
}

void SyncWorker::run() {
    std::unique_ptr<Database> db;
    try {
        DatabaseOptions dbOptions;
        db = std::make_unique<Database>(m_dbPath, dbOptions);
    } catch (const std::exception& e) {
        publish([&](SyncStatus& s) {
            s.lastError = std::string("cannot open the store: ") + e.what();
        });
        return;
    }
    SyncClient client(*db, m_options.sync);
    Clock::time_point nextSync = Clock::now();  // sync once at start
    Clock::time_point nextPoll = Clock::now();
    bool online = false;
    int failures = 0;
    std::int64_t lastPendingSeq = -1;

    std::unique_lock lock(m_mutex);
    while (!m_stop) {
        Clock::time_point wakeAt = std::min(nextSync, nextPoll);
        m_cv.wait_until(lock, wakeAt, [&] { return m_stop || m_woken; });
        if (m_stop) break;
        bool woken = std::exchange(m_woken, false);
        lock.unlock();
        try {
            auto now = Clock::now();
            bool enrolled = isEnrolled(*db);
            int waiting = pendingOps(*db);
            // New outbox rows: the newest pending seq moved.
            std::int64_t pendingSeq = -1;
            {
                auto& st = db->prepare(
                    "SELECT coalesce(max(seq), -1) FROM outbox WHERE state = 'pending'");
                st.step();
                pendingSeq = st.getInt(0);
                st.reset();
            }
            bool newRows = pendingSeq != lastPendingSeq && pendingSeq >= 0;
            lastPendingSeq = pendingSeq;
            publish([&](SyncStatus& s) {
                s.enrolled = enrolled;
                s.waiting = waiting;
            });
            if (enrolled && (woken || newRows) && online && failures == 0) nextSync = now;
            if (enrolled && !online && now >= nextPoll && now < nextSync) {
                // Offline: is the server back? Then sync at once.
                std::string url = syncStateGet(*db, "server_url").value_or("");
                if (!m_options.sync.serverUrl.empty()) url = m_options.sync.serverUrl;
                if (probe(url, syncStateGet(*db, "server_ca").value_or(m_options.sync.caFile)))
                    nextSync = now;
            }
            nextPoll = Clock::now() +
                       (online ? m_options.outboxPoll
                               : (waiting > 0 ? m_options.probeWaiting : m_options.probeIdle));
            if (enrolled && Clock::now() >= nextSync) {
                publish([](SyncStatus& s) { s.syncing = true; });
                SyncReport report = client.syncOnce();
                online = report.reached;
                failures = report.ok ? 0 : failures + 1;
                auto lastSync = syncStateGet(*db, "last_sync_at");
                publish([&](SyncStatus& s) {
                    s.syncing = false;
                    s.online = report.reached;
                    s.waiting = report.pending;
                    s.lastError = report.error;
                    s.failures = failures;
                    ++s.syncs;
                    if (lastSync && !lastSync->empty()) s.lastSuccess = std::stoll(*lastSync);
                });
                if (report.ok) {
                    nextSync = Clock::now() + m_options.interval;
                    // More ops arrived while syncing: go again soon.
                    if (report.pending > 0) nextSync = Clock::now();
                } else if (report.reached) {
                    nextSync = Clock::now() +
                               backoffDelay(failures, m_options.backoffBase, m_options.backoffMax);
                } else {
                    // Unreachable: probes decide when to try again; a full retry at the backoff
                    // delay still happens in case probes pass through something syncs cannot.
                    nextSync = Clock::now() +
                               backoffDelay(failures, m_options.backoffBase, m_options.backoffMax);
                    nextPoll = Clock::now() +
                               (report.pending > 0 ? m_options.probeWaiting : m_options.probeIdle);
                }
                if (!report.ok) spdlog::warn("sync failed: {}", report.error);
            } else if (!enrolled) {
                nextSync = Clock::now() + m_options.interval;
            }
        } catch (const std::exception& e) {
            ++failures;
            publish([&](SyncStatus& s) {
                s.syncing = false;
                s.lastError = e.what();
                s.failures = failures;
            });
            nextSync =
                Clock::now() + backoffDelay(failures, m_options.backoffBase, m_options.backoffMax);
        }
        lock.lock();
    }
}

}  // namespace fadaa
