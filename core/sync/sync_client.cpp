// core/sync/sync_client.cpp - enrolment and one sync: push, pull, leases.
#include "sync/sync_client.hpp"

#include <fmt/format.h>

#include <chrono>
#include <cmath>
#include <cstdlib>

#include "store/database.hpp"
#include "store/migrations.hpp"
#include "sync/http_client.hpp"
#include "sync/json_fields.hpp"
#include "sync/sync_apply.hpp"
#include "sync/wire.hpp"
#include "util/time.hpp"

namespace fadaa {

using nlohmann::json;

std::optional<std::string> syncStateGet(Database& db, std::string_view key) {
    auto& st = db.prepare("SELECT value FROM sync_state WHERE key = ?").bindAll(key);
    std::optional<std::string> value;
    if (st.step()) value = st.getText(0);
    st.reset();
    return value;
}

void syncStateSet(Database& db, std::string_view key, std::string_view value) {
    db.prepare(
          "INSERT INTO sync_state(key, value) VALUES (?, ?) "
          "ON CONFLICT (key) DO UPDATE SET value = excluded.value")
        .bindAll(key, value)
        .exec();
}

int pendingOps(Database& db) {
    auto& st = db.prepare("SELECT count(*) FROM outbox WHERE state = 'pending'");
    st.step();
    int n = static_cast<int>(st.getInt(0));
    st.reset();
    return n;
}

std::chrono::system_clock::time_point kioskClock() {
    static const std::chrono::seconds offset = [] {
        const char* text = std::getenv("FADAA_CLOCK_OFFSET");
        return std::chrono::seconds(text ? std::strtoll(text, nullptr, 10) : 0);
    }();
    return std::chrono::system_clock::now() + offset;
}

Timestamp kioskNow() {
    return std::chrono::duration_cast<std::chrono::seconds>(kioskClock().time_since_epoch())
        .count();
}

std::int64_t lastAcknowledgedSeq(Database& db) {
    auto& st = db.prepare("SELECT coalesce(max(seq), 0) FROM outbox WHERE state <> 'pending'");
    st.step();
    std::int64_t seq = st.getInt(0);
    st.reset();
    return seq;
}

bool isEnrolled(Database& db) {
    return syncStateGet(db, "kiosk_token").has_value();
}

namespace {

// A failed step: stops the sync with a message (and the HTTP status, if any).
struct SyncFailure {
    std::string message;
    int status = 0;
};

std::string errorMessage(const HttpResponse& r) {
    if (!r.reached()) return "server unreachable: " + r.transportError;
    json body = json::parse(r.body, nullptr, false);
    if (body.is_object() && body.contains("message") && body["message"].is_string())
        return fmt::format("server answered {}: {}", r.status, body["message"].get<std::string>());
    return fmt::format("server answered HTTP {}", r.status);
}

std::vector<std::string> schemaHeaders() {
    return {fmt::format("{}: {}", wire::kSchemaHeader, currentSchemaVersion())};
}

// One exchange-level helper around HttpClient: JSON in and out, server clock measurement.
class Exchange {
public:
    Exchange(HttpClientOptions options, SyncReport& report)
        : m_http(std::move(options)), m_report(report) {}

    // Sends and returns the parsed JSON body of a 2xx answer; any other answer becomes a
    // SyncFailure unless its status is in `passThrough` (then *status tells the caller).
    json call(const std::string& method, const std::string& path, const json* body,
              int* status = nullptr, std::initializer_list<long> passThrough = {}) {
        auto t0 = kioskClock();
        HttpResponse r = method == "GET" ? m_http.get(path) : m_http.post(path, body->dump());
        auto t1 = kioskClock();
        if (r.reached()) m_report.reached = true;
        if (status) *status = static_cast<int>(r.status);
        for (long s : passThrough)
            if (r.status == s) return json::parse(r.body, nullptr, false);
        if (!r.ok()) throw SyncFailure{errorMessage(r), static_cast<int>(r.status)};
        json parsed = json::parse(r.body, nullptr, false);
        if (!parsed.is_object())
            throw SyncFailure{"the server's answer is not JSON", static_cast<int>(r.status)};
        if (auto it = parsed.find("server_time"); it != parsed.end() && it->is_number_integer()) {
            // The server's clock against the middle of the exchange on ours.
            double mid =
                std::chrono::duration<double>((t0.time_since_epoch() + t1.time_since_epoch()) / 2)
                    .count();
            m_skew = it->get<std::int64_t>() - static_cast<std::int64_t>(std::llround(mid));
            m_report.clockSkew = *m_skew;
        }
        return parsed;
    }

    std::optional<std::int64_t> skew() const { return m_skew; }

private:
    HttpClient m_http;
    SyncReport& m_report;
    std::optional<std::int64_t> m_skew;
};

}  // namespace

SyncClient::SyncClient(Database& db, SyncOptions options)
    : m_db(db), m_options(std::move(options)) {}

EnrolResult SyncClient::enrol(Database& db, const std::string& serverUrl, const std::string& code,
                              const std::string& caFile) {
    EnrolResult result;
    SyncReport report;
    HttpClientOptions http;
    http.baseUrl = serverUrl;
    http.caFile = caFile;
    http.headers = schemaHeaders();
    try {
        Exchange ex(http, report);
        json body = {{"code", code}};
        json answer = ex.call("POST", std::string(wire::kEnrolPath), &body);
        JsonFields f(answer, "enrol response", {"kiosk_id", "name", "token", "server_time"});
        result.kioskId = f.text("kiosk_id", 64);
        result.name = f.text("name", 64);
        std::string token = f.text("token", 256);
        Transaction tx(db);
        syncStateSet(db, "server_url", serverUrl);
        syncStateSet(db, "kiosk_id", result.kioskId);
        syncStateSet(db, "kiosk_name", result.name);
        syncStateSet(db, "kiosk_token", token);
        syncStateSet(db, "cursor", "");
        syncStateSet(db, "snapshot", "1");  // the first pull replaces the local catalogue
        if (ex.skew()) syncStateSet(db, "clock_skew_seconds", std::to_string(*ex.skew()));
        if (!caFile.empty()) syncStateSet(db, "server_ca", caFile);
        tx.commit();
        result.ok = true;
    } catch (const SyncFailure& e) {
        result.error = e.message;
    } catch (const WireError& e) {
        result.error = std::string("unexpected answer from the server: ") + e.what();
    }
    return result;
}

HttpClientOptions SyncClient::httpOptions() {
    HttpClientOptions http;
    http.baseUrl = m_options.serverUrl.empty() ? syncStateGet(m_db, "server_url").value_or("")
                                               : m_options.serverUrl;
    http.bearerToken = syncStateGet(m_db, "kiosk_token").value_or("");
    http.caFile =
        m_options.caFile.empty() ? syncStateGet(m_db, "server_ca").value_or("") : m_options.caFile;
    http.requestTimeoutMs = m_options.requestTimeoutMs;
    http.headers = schemaHeaders();
    http.cancel = m_options.cancel;
    return http;
}

SyncReport SyncClient::syncOnce() {
    SyncReport report;
    auto token = syncStateGet(m_db, "kiosk_token");
    if (!token) {
        report.error = "this kiosk is not enrolled (fadaa enrol --server URL --code CODE)";
        return report;
    }
    std::string kioskId = syncStateGet(m_db, "kiosk_id").value_or("");
    HttpClientOptions http = httpOptions();
    auto say = [&](const std::string& line) {
        if (m_options.progress) m_options.progress(line);
    };
    auto serverNow = [&](Exchange& ex) { return kioskNow() + ex.skew().value_or(0); };

    Exchange ex(http, report);
    try {
        // 1. Push, oldest first. A batch the server refuses as malformed is split until the
        //    bad op is alone; that op is rejected locally so it never blocks the rest.
        int batch = std::max(1, m_options.pushBatch);
        for (int rounds = 0; rounds < 100000; ++rounds) {
            std::vector<OutboxOp> ops = pendingOutbox(m_db, batch);
            if (ops.empty()) break;
            json body = {{"kiosk_id", kioskId}, {"ops", json::array()}};
            for (const OutboxOp& op : ops) body["ops"].push_back(opToWire(op));
            int status = 0;
            json answer = ex.call("POST", std::string(wire::kPushPath), &body, &status, {400, 413});
            if (status == 400 || status == 413) {
                if (ops.size() > 1) {
                    batch = static_cast<int>(ops.size() / 2);
                    continue;
                }
                std::string why = answer.is_object() && answer.contains("message")
                                      ? answer["message"].dump()
                                      : std::string("refused");
                rejectLocally(m_db, ops[0],
                              fmt::format("server refused the op ({}): {}", status, why));
                ++report.rejected;
                batch = std::max(1, m_options.pushBatch);
                continue;
            }
            PushCounts c = applyPushResults(m_db, ops, answer, serverNow(ex));
            report.pushed += static_cast<int>(ops.size());
            report.applied += c.applied;
            report.duplicates += c.duplicates;
            report.rejected += c.rejected;
            report.remapped += c.remapped;
            say(fmt::format("pushed {} ops", report.pushed));
            std::vector<OutboxOp> again = pendingOutbox(m_db, 1);
            if (!again.empty() && again[0].seq == ops[0].seq)
                throw SyncFailure{"push made no progress (the same op is still pending)"};
        }

        // 2. Pull page by page; each page and its cursor commit together.
        bool snapshot = syncStateGet(m_db, "snapshot").value_or("0") == "1" ||
                        syncStateGet(m_db, "cursor").value_or("").empty();
        if (snapshot && syncStateGet(m_db, "snapshot").value_or("0") != "1") beginSnapshot(m_db);
        report.snapshot = snapshot;
        const std::int64_t ackedBeforePull = lastAcknowledgedSeq(m_db);
        for (int pages = 0;; ++pages) {
            if (pages >= m_options.maxPages)
                throw SyncFailure{"pull did not finish within the page limit"};
            std::string cursor = syncStateGet(m_db, "cursor").value_or("");
            int status = 0;
            json page = ex.call("GET",
                                fmt::format("{}?since={}&limit={}", wire::kPullPath,
                                            urlEncode(cursor), m_options.pullPage),
                                nullptr, &status, {410});
            if (status == 410) {
                // The server no longer has the deletions since our cursor: take a snapshot. The
                // outbox is untouched: anything not yet acknowledged is pushed as usual.
                if (cursor.empty())
                    throw SyncFailure{"the server refused even a full pull (410)", 410};
                beginSnapshot(m_db);
                snapshot = report.snapshot = true;
                say("cursor expired on the server: taking a snapshot");
                continue;
            }
            PulledPage applied = applyPullPage(m_db, page, snapshot, serverNow(ex));
            report.pulled += applied.changes;
            ++report.pages;
            say(fmt::format("pulled {} changes", report.pulled));
            if (!applied.hasMore) break;
            if (applied.nextCursor == cursor)
                throw SyncFailure{"pull made no progress (the server returned the same cursor)"};
        }
        // The pulled counts now include every op the server had acknowledged before the pull.
        syncStateSet(m_db, "counts_seq", std::to_string(ackedBeforePull));

        // 3. Leases, once everything this kiosk confirmed has reached the server.
        if (m_options.leases && pendingOps(m_db) == 0) {
            json body = leaseRequest(m_db, kioskId, serverNow(ex), m_options.leaseSeats,
                                     m_options.leaseHorizonDays, m_options.maxLeaseSessions);
            ClockReading sentAt = readClocks();  // before the server grants: see lease_clock
            report.leases =
                applyLeases(m_db, ex.call("POST", std::string(wire::kLeasePath), &body), sentAt);
        }

        report.ok = true;
    } catch (const SyncFailure& e) {
        report.error = e.message;
        report.httpStatus = e.status;
    } catch (const WireError& e) {
        report.error = std::string("unexpected answer from the server: ") + e.what();
    } catch (const std::invalid_argument& e) {
        report.error = std::string("could not store the server's data: ") + e.what();
    }
    {
        Transaction tx(m_db);
        if (ex.skew()) syncStateSet(m_db, "clock_skew_seconds", std::to_string(*ex.skew()));
        if (report.ok) syncStateSet(m_db, "last_sync_at", std::to_string(serverNow(ex)));
        syncStateSet(m_db, "last_error", report.error);
        tx.commit();
    }
    report.pending = pendingOps(m_db);
    return report;
}

}  // namespace fadaa
