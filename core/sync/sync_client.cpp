// core/sync/sync_client.cpp - enrolment and one sync: push, pull, leases.
#include "sync/sync_client.hpp"

#include <fmt/format.h>

#include <array>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <deque>
#include <future>

#include "store/database.hpp"
#include "store/migrations.hpp"
#include "sync/http_client.hpp"
#include "sync/json_fields.hpp"
#include "sync/push_answer.hpp"
#include "sync/sync_apply.hpp"
#include "sync/sync_pull.hpp"
#include "sync/wire.hpp"
#include "util/gzip.hpp"
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

// Push batches at the server at once (each on its own connection, a lane), when pipelined.
// Three, not two: the kiosk sends batch N+3 when N's answer comes and then writes N's
// results, while the server decides N+1 and has N+2 read and waiting. With two, the server
// often finished N+1 before N+2 had been built, sent and read (measured on a 10k push: the
// server idle 2-4 ms between most batches).
constexpr size_t kPushLanes = 3;

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

// True while the op `seq` waits to be pushed (a batch that left its first op pending moved
// nothing: the server answered, but not for it).
bool stillPending(Database& db, std::int64_t seq) {
    auto& st = db.prepare("SELECT 1 FROM outbox WHERE seq = ? AND state = 'pending'").bindAll(seq);
    bool pending = st.step();
    st.reset();
    return pending;
}

std::vector<std::string> schemaHeaders() {
    return {fmt::format("{}: {}", wire::kSchemaHeader, currentSchemaVersion())};
}

// One request's answer, its body parsed (discarded if not JSON), with the kiosk clock around
// it. send() may run on another thread.
struct Sent {
    HttpResponse response;
    json body;  // any answer but a push's 2xx (that one is read by pushAnswer())
    std::chrono::system_clock::time_point t0, t1;
};

// One exchange-level helper around HttpClient: JSON in and out, server clock measurement.
class Exchange {
public:
    Exchange(HttpClientOptions options, SyncReport& report)
        : m_http(options), m_options(std::move(options)), m_report(report) {}

    // Only the request: touches nothing but the HTTP client, so a push can be sent from another
    // thread while this one writes the previous answer into the store.
    // parseBody false: the body is left as text (a pull page is read from its text).
    Sent send(const std::string& method, const std::string& path, const std::string* body,
              bool parseBody = true) {
        Sent s =
            timed([&] { return method == "GET" ? m_http.get(path) : m_http.post(path, *body); });
        if (parseBody) s.body = json::parse(s.response.body, nullptr, false);
        return s;
    }

    // A push of a body encoded ahead (HttpClient::postEncoded). A 2xx answer is left as text
    // for pushAnswer(), so the next push can leave before this answer is read. `lane` (0 to
    // kPushLanes - 1): the connection it goes on; pushes out at once use one each (a client is
    // used by one thread at a time).
    Sent sendPush(int lane, const std::string& path, const std::string& encodedBody) {
        HttpClient& client = this->lane(lane);
        Sent s = timed([&] { return client.postEncoded(path, encodedBody); });
        if (!s.response.ok()) s.body = json::parse(s.response.body, nullptr, false);
        return s;
    }

    // Returns the parsed JSON body of a 2xx answer; any other answer becomes a SyncFailure
    // unless its status is in `passThrough` (then *status tells the caller).
    json finish(Sent&& s, int* status = nullptr, std::initializer_list<long> passThrough = {}) {
        if (passed(s, status, passThrough)) return s.body;
        json parsed = std::move(s.body);
        if (!parsed.is_object())
            throw SyncFailure{"the server's answer is not JSON",
                              static_cast<int>(s.response.status)};
        if (auto it = parsed.find("server_time"); it != parsed.end() && it->is_number_integer())
            measureSkew(s, it->get<std::int64_t>());
        return parsed;
    }

    // True when the answer's status is in `passThrough` (then *status tells which, and s.body
    // holds its JSON, if any); throws a SyncFailure for any other answer that is not 2xx.
    bool passed(const Sent& s, int* status, std::initializer_list<long> passThrough) {
        const HttpResponse& r = s.response;
        if (r.reached()) m_report.reached = true;
        if (status) *status = static_cast<int>(r.status);
        for (long code : passThrough)
            if (r.status == code) return true;
        if (!r.ok()) throw SyncFailure{errorMessage(r), static_cast<int>(r.status)};
        return false;
    }

    // A push's 2xx answer, read (readPushAnswer: throws WireError if it is not one), with the
    // server's clock measured from it.
    PushAnswer pushAnswer(const Sent& s) {
        PushAnswer answer = readPushAnswer(s.response.body);
        if (answer.serverTime) measureSkew(s, *answer.serverTime);
        return answer;
    }

    json call(const std::string& method, const std::string& path, const json* body,
              int* status = nullptr, std::initializer_list<long> passThrough = {}) {
        std::string text = body ? body->dump() : std::string();
        return finish(send(method, path, body ? &text : nullptr), status, passThrough);
    }

    std::optional<std::int64_t> skew() const { return m_skew; }

    // The server's clock (an answer's server_time) against the middle of the exchange on ours.
    void measureSkew(const Sent& s, std::int64_t serverTime) {
        double mid =
            std::chrono::duration<double>((s.t0.time_since_epoch() + s.t1.time_since_epoch()) / 2)
                .count();
        m_skew = serverTime - static_cast<std::int64_t>(std::llround(mid));
        m_report.clockSkew = *m_skew;
    }

private:
    template <typename Request>
    Sent timed(Request request) {
        Sent s;
        s.t0 = kioskClock();
        s.response = request();
        s.t1 = kioskClock();
        return s;
    }

    // Lane 0 is m_http; the others are made when first used (a sync with little to push opens
    // one connection), by the thread sending that lane's first push: a lane carries one push
    // at a time, and each has its own slot.
    HttpClient& lane(int lane) {
        if (lane == 0) return m_http;
        auto& extra = m_lanes.at(static_cast<size_t>(lane - 1));
        if (!extra) extra = std::make_unique<HttpClient>(m_options);
        return *extra;
    }

    HttpClient m_http;  // every request; lane 0 of the pushes
    HttpClientOptions m_options;
    std::array<std::unique_ptr<HttpClient>, kPushLanes - 1> m_lanes;  // the other pushes out
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
        // Commits of what the server can give again do not wait for the disk while `relaxed` lives
        // (synchronous=NORMAL; the store is in WAL mode). Why it is safe: after a power cut a WAL
        // store is consistent and may only lack its last commits, never an earlier commit while a
        // later one stands. Lost push results leave their ops pending, so they are pushed again and
        // answered `duplicate` with the registration's current state; a lost pull page takes its
        // cursor with it and is pulled again. Why: a push wrote and synced the WAL once per batch
        // and a pull once per page. Registrations made here and lease answers (a released lease
        // must never come back) are written outside it, with the connection's own setting; the
        // sync's last commit restores that setting first, so with FULL the whole sync is on disk
        // when syncOnce returns.
        std::optional<ScopedPragma> relaxed(std::in_place, m_db, "synchronous", 1);
        // Pull requests (step 2): a page is fetched and read on another thread.
        auto pullPath = [&](const std::string& since) {
            return fmt::format("{}?since={}&limit={}", wire::kPullPath, urlEncode(since),
                               m_options.pullPage);
        };
        struct Fetched {
            Sent sent;
            std::optional<PullPageData> page;  // read when the answer is 2xx
            std::exception_ptr unreadable;     // ... and could not be read
        };
        auto fetch = [&ex](const std::string& path) {
            Fetched f;
            f.sent = ex.send("GET", path, nullptr, false);
            if (f.sent.response.ok()) {
                try {
                    f.page = readPullPage(f.sent.response.body);
                } catch (...) {
                    f.unreadable = std::current_exception();
                }
            }
            return f;
        };
        // 1. Push, oldest first. A batch the server refuses as malformed is split until the
        //    bad op is alone; that op is rejected locally so it never blocks the rest.
        //    kPushLanes batches at the server at once: batch N+1 is read, compressed and sent
        //    while N is at the server, on the ordered route naming N's last op, so the server
        //    reads it meanwhile and decides it right after N (server/lib/push_order.hpp); N+2
        //    likewise after N+1. N's results are written here while the server decides N+1,
        //    once N+3 has left. If the server does not take an ordered push (404: an older
        //    server; 409: the one before was not decided), or refuses a batch, the rest goes one
        //    batch at a time from the oldest op still pending: ops are decided in seq order
        //    either way.
        struct Flight {
            std::vector<OutboxOp> ops;
            std::future<Sent> answer;
            bool ordered = false;
            int lane = 0;  // which of the exchange's connections carries it
        };
        // A push still out when this block is left is waited for there (a std::async
        // future's destructor waits; the requests use `ex`). An answer not read is lost: the
        // next sync sends its ops again (answered duplicate).
        std::deque<Flight> flights;
        bool pipelined = m_options.pipelinePushes;
        const int fullBatch = std::max(1, m_options.pushBatch);
        int batch = fullBatch;
        // The pull's first page, fetched while the last push answer is written (the server
        // has decided every push by then; a pull changes nothing there). Dropped, and fetched
        // again later, if a push leaves after it (ops queued meanwhile); it uses the exchange's
        // first connection, so that push waits for it first.
        std::future<Fetched> early;
        // The last op sent in this chain of batches: the next batch starts after it. 0 when
        // the push begins and when a chain breaks off (then from the oldest op still pending).
        std::int64_t chainEnd = 0;
        std::string chainEndOp;
        // Sends the batches that may be out now. One sent while another is out goes on the
        // ordered route; ops queued since the push began come after chainEnd and go too.
        auto topUp = [&] {
            while (flights.size() < (pipelined ? kPushLanes : 1u)) {
                PushBatch b = nextPushBatch(m_db, kioskId, batch, chainEnd);
                if (b.ops.empty()) return;
                if (early.valid()) early = {};  // waits for it (std::async), then drops it
                Flight f;
                f.ordered = !flights.empty();
                f.lane = f.ordered ? (flights.back().lane + 1) % static_cast<int>(kPushLanes) : 0;
                std::string path =
                    f.ordered ? fmt::format("{}?after={}", wire::kOrderedPushPath, chainEndOp)
                              : std::string(wire::kPushPath);
                chainEnd = b.ops.back().seq;
                chainEndOp = b.ops.back().opId;
                f.ops = std::move(b.ops);
                f.answer = std::async(
                    std::launch::async,
                    [&ex, lane = f.lane, path = std::move(path),
                     body = http.gzipRequests ? gzipCompress(b.body) : std::move(b.body)] {
                        return ex.sendPush(lane, path, body);
                    });
                flights.push_back(std::move(f));
            }
        };
        LaterOps later;  // ops queued behind each batch, read once for the whole push
        auto writeResults = [&](const std::vector<OutboxOp>& ops, const Sent& answered) {
            PushAnswer answer = ex.pushAnswer(answered);
            PushCounts c = applyPushResults(m_db, ops, answer, serverNow(ex), &later);
            report.pushed += static_cast<int>(ops.size());
            report.applied += c.applied;
            report.duplicates += c.duplicates;
            report.rejected += c.rejected;
            report.remapped += c.remapped;
            say(fmt::format("pushed {} ops", report.pushed));
            if (stillPending(m_db, ops[0].seq))
                throw SyncFailure{"push made no progress (the same op is still pending)"};
        };
        // After a batch the server did not decide: the ones behind it were refused too (they
        // wait for it), unless the op they name had been decided before; those decided have
        // their results written. The rest of the push goes one batch at a time.
        auto drain = [&] {
            while (!flights.empty()) {
                Flight f = std::move(flights.front());
                flights.pop_front();
                Sent s = f.answer.get();
                if (s.response.ok()) writeResults(f.ops, s);
            }
            pipelined = false;
            chainEnd = 0;
        };
        topUp();
        for (int rounds = 0; !flights.empty() && rounds < 100000; ++rounds) {
            Flight current = std::move(flights.front());
            flights.pop_front();
            Sent answered = current.answer.get();
            int status = 0;
            bool refused = current.ordered ? ex.passed(answered, &status, {400, 404, 409, 413})
                                           : ex.passed(answered, &status, {400, 413});
            if (refused && (status == 404 || status == 409)) {
                drain();  // not decided: its ops are still pending and go again, one at a time
            } else if (refused) {
                drain();
                if (current.ops.size() > 1) {
                    batch = static_cast<int>(current.ops.size() / 2);
                } else {
                    const json& refusal = answered.body;
                    std::string why = refusal.is_object() && refusal.contains("message")
                                          ? refusal["message"].dump()
                                          : std::string("refused");
                    rejectLocally(m_db, current.ops[0],
                                  fmt::format("server refused the op ({}): {}", status, why));
                    ++report.rejected;
                    batch = fullBatch;
                }
            } else {
                topUp();  // the next batch leaves before this answer is written
                if (flights.empty() && !early.valid())
                    early = std::async(std::launch::async, fetch,
                                       pullPath(syncStateGet(m_db, "cursor").value_or("")));
                writeResults(current.ops, answered);
            }
            topUp();
        }

        // 2. Pull page by page; each page and its cursor commit together.
        const bool fromStart = syncStateGet(m_db, "cursor").value_or("").empty();
        bool snapshot = fromStart || snapshotInProgress(m_db);
        if (fromStart) beginSnapshot(m_db);  // nothing of it applied yet (enrolment, first sync)
        report.snapshot = snapshot;
        const std::int64_t ackedBeforePull = lastAcknowledgedSeq(m_db);
        // Prefetched: the first page was fetched while the last push answer was written
        // (`early`, unless a push left after it, which dropped it); while a page is written here,
        // the next one (its cursor is in the page) is already being fetched and read on another
        // thread. Pulling changes nothing on the server, and the pages are still applied in order,
        // each with its cursor; a page fetched after a failure is dropped.
        std::string cursor = syncStateGet(m_db, "cursor").value_or("");
        Fetched fetched = early.valid() ? early.get() : fetch(pullPath(cursor));
        for (int pages = 0;; ++pages) {
            if (pages >= m_options.maxPages)
                throw SyncFailure{"pull did not finish within the page limit"};
            int status = 0;
            ex.passed(fetched.sent, &status, {410});  // throws for anything else not 2xx
            if (status == 410) {
                // The server no longer has the deletions since our cursor: take a snapshot. The
                // outbox is untouched: anything not yet acknowledged is pushed as usual.
                if (cursor.empty())
                    throw SyncFailure{"the server refused even a full pull (410)", 410};
                beginSnapshot(m_db);
                snapshot = report.snapshot = true;
                say("cursor expired on the server: taking a snapshot");
                cursor.clear();
                fetched = fetch(pullPath(cursor));
                continue;
            }
            if (fetched.unreadable) std::rethrow_exception(fetched.unreadable);
            const PullPageData& page = *fetched.page;
            if (page.serverTime) ex.measureSkew(fetched.sent, *page.serverTime);
            std::future<Fetched> ahead;
            if (page.hasMore && page.nextCursor != cursor && pages + 1 < m_options.maxPages)
                ahead = std::async(std::launch::async, fetch, pullPath(page.nextCursor));
            PulledPage applied;
            try {
                applied = applyPulledPage(m_db, page, snapshot, serverNow(ex));
            } catch (...) {
                if (ahead.valid()) ahead.wait();
                throw;
            }
            report.pulled += applied.changes;
            ++report.pages;
            say(fmt::format("pulled {} changes", report.pulled));
            if (!applied.hasMore || applied.nextCursor == cursor) {
                if (ahead.valid()) ahead.wait();
                if (!applied.hasMore) break;
                throw SyncFailure{"pull made no progress (the server returned the same cursor)"};
            }
            cursor = applied.nextCursor;
            fetched = ahead.valid() ? ahead.get() : fetch(pullPath(cursor));
        }
        // The pulled counts now include every op the server had acknowledged before the pull.
        syncStateSet(m_db, "counts_seq", std::to_string(ackedBeforePull));

        relaxed.reset();
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
