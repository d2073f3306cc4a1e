// server/lib/http_api.cpp - the HTTP server, error handling, and the kiosk-facing routes.
#include "http_api.hpp"

#include <httplib.h>
#include <spdlog/spdlog.h>
#include <sys/socket.h>

#include <cerrno>
#include <charconv>
#include <cstdlib>
#include <cstring>

#include "api_error.hpp"
#include "change_log.hpp"
#include "http_support.hpp"
#include "kiosk_registry.hpp"
#include "lease_service.hpp"
#include "push_service.hpp"
#include "server_schema.hpp"
#include "sql.hpp"
#include "store/migrations.hpp"
#include "sync/json_fields.hpp"
#include "sync/wire.hpp"
#include "util/gzip.hpp"
#include "util/ids.hpp"
#include "util/time.hpp"

namespace fadaa::server {

using nlohmann::json;

namespace {

// Where a request's Content-Encoding waits for readBody() (see takeBodyEncoding).
constexpr const char* kBodyEncoding = "X-Fadaa-Body-Encoding";

// Runs before httplib reads a body. httplib would inflate a gzip body itself, through zlib in
// 16 KiB steps, and for routes that take no ContentReader with no bound on the inflated size.
// With the header moved aside it hands every body over as it came; readBody() inflates it in
// one libdeflate call capped at the body limit. A client's own kBodyEncoding is dropped first.
void takeBodyEncoding(const httplib::Request& constReq) {
    // httplib passes its own, non-const Request as const; changing its headers is allowed and
    // is what keeps httplib's decoder out.
    httplib::Headers& headers = const_cast<httplib::Request&>(constReq).headers;
    headers.erase(kBodyEncoding);
    auto [first, last] = headers.equal_range("Content-Encoding");
    if (first == last) return;
    std::string encoding;
    for (auto it = first; it != last; ++it) encoding += (encoding.empty() ? "" : ", ") + it->second;
    headers.erase(first, last);
    headers.emplace(kBodyEncoding, encoding);
}

}  // namespace

HttpServer::HttpServer(SqlBackend& backend, ServerOptions options)
    : m_backend(backend), m_options(std::move(options)) {
    if (m_options.tlsCert || m_options.tlsKey) {
        if (!m_options.tlsCert || !m_options.tlsKey)
            throw std::runtime_error("--tls-cert and --tls-key go together");
        auto tls = std::make_unique<httplib::SSLServer>(m_options.tlsCert->c_str(),
                                                        m_options.tlsKey->c_str());
        if (!tls->is_valid())
            throw std::runtime_error("cannot load the TLS certificate " + *m_options.tlsCert +
                                     " or key " + *m_options.tlsKey);
        m_http = std::move(tls);
    } else {
        m_http = std::make_unique<httplib::Server>();
    }
    int threads = m_options.threads;
    m_http->new_task_queue = [threads] {
        return new httplib::ThreadPool(static_cast<size_t>(threads));
    };
    m_http->set_payload_max_length(m_options.maxBodyBytes * 4);  // see readBody()
    m_http->set_pre_routing_handler([](const httplib::Request& req, httplib::Response&) {
        takeBodyEncoding(req);
        return httplib::Server::HandlerResponse::Unhandled;
    });
    m_http->set_read_timeout(30);
    m_http->set_write_timeout(30);
    // A kiosk's requests in one sync follow each other within milliseconds; an idle connection
    // holds a worker thread (see ServerOptions::threads), so it is closed after 5 s, not 30.
    m_http->set_keep_alive_timeout(5);
    // Without it, an answer written in two pieces (headers, then body) waits for the kiosk's
    // delayed ACK: measured 35-50 ms per pull page on loopback, more than the page's work.
    m_http->set_tcp_nodelay(true);
    // httplib's own options for the listening socket (address reuse), and its descriptor kept
    // for bind().
    m_http->set_socket_options([this](socket_t sock) {
        httplib::default_socket_options(sock);
        m_listenSocket = sock;
    });
    m_http->set_error_handler(
        httplib::Server::HandlerWithResponse([](const httplib::Request&, httplib::Response& res) {
            if (!res.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
            switch (res.status) {
                case 404:
                    sendError(res, 404, "not_found", "no such endpoint");
                    break;
                case 405:
                    sendError(res, 405, "method_not_allowed", "method not allowed here");
                    break;
                case 413:
                    sendError(res, 413, "payload_too_large", "the request body is too large");
                    break;
                case 415:
                    sendError(res, 415, "unsupported_encoding", "use gzip or no Content-Encoding");
                    break;
                default:
                    sendError(res, res.status, "bad_request", "the request could not be read");
            }
            return httplib::Server::HandlerResponse::Handled;
        }));
    m_http->set_exception_handler(
        [](const httplib::Request&, httplib::Response& res, std::exception_ptr) {
            sendError(res, 500, "internal", "the server failed; see its log");
        });
    installRoutes();
    installAdminRoutes();
}

HttpServer::~HttpServer() {
    stop();
}

Timestamp HttpServer::now() const {
    return nowUtc() + m_options.clockOffsetSeconds;
}

namespace {
constexpr int kListenBacklog = 1024;
}  // namespace

int HttpServer::bind() {
    int port = m_options.port;
    if (port == 0) {
        port = m_http->bind_to_any_port(m_options.host);
        if (port < 0) throw std::runtime_error("cannot listen on " + m_options.host);
    } else if (!m_http->bind_to_port(m_options.host, port)) {
        throw std::runtime_error(
            fmt::format("cannot listen on {}:{} (in use?)", m_options.host, port));
    }
    // Debian's libcpp-httplib listens with a backlog of 5 connections not yet accepted. When
    // kiosks connect at once (a fleet after an outage, each with up to three push lanes) the
    // kernel drops the SYNs past it and each of those kiosks waits a second before trying again
    // (measured: 20 kiosks syncing at once took 1.1 s instead of 0.3 s in about one run in four,
    // with TcpExtListenOverflows rising). listen() again on the bound socket raises the backlog
    // (the kernel caps it at net.core.somaxconn).
    if (m_listenSocket >= 0 && ::listen(m_listenSocket, kListenBacklog) != 0)
        spdlog::warn("could not raise the listen backlog: {}", std::strerror(errno));
    return port;
}

void HttpServer::run() {
    m_sweeper = std::thread([this] {
        std::unique_lock lock(m_mutex);
        while (!m_stopping) {
            m_wake.wait_for(lock, std::chrono::seconds(m_options.sweepIntervalSeconds));
            if (m_stopping) break;
            lock.unlock();
            try {
                sweep();
            } catch (const std::exception& e) {
                spdlog::warn("sweep failed: {}", e.what());
            }
            lock.lock();
        }
    });
    m_http->listen_after_bind();
    stop();
}

void HttpServer::stop() {
    std::lock_guard stopping(m_stopMutex);  // run()'s end and a signal may both stop
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    m_wake.notify_all();
    if (m_http) m_http->stop();
    if (m_sweeper.joinable() && m_sweeper.get_id() != std::this_thread::get_id()) m_sweeper.join();
}

void HttpServer::sweep() {
    auto conn = m_backend.acquire();
    Timestamp t = now();
    std::int64_t leases = reclaimExpiredLeases(*conn, m_options.ledger, t);
    SqlTransaction tx(*conn, TxKind::Write);
    std::int64_t ops = purgeAppliedOps(*conn, t - m_options.opRetentionDays * 86400LL);
    std::int64_t tombstones =
        purgeTombstones(*conn, t - m_options.tombstoneRetentionDays * 86400LL);
    tx.commit();
    if (leases || ops || tombstones)
        spdlog::info("sweep: {} sessions with expired leases, {} op ids and {} tombstones purged",
                     leases, ops, tombstones);
}

// ---------------------------------------------------------------------------------------------
// Request helpers
// ---------------------------------------------------------------------------------------------

std::string HttpServer::readBody(const httplib::Request& req,
                                 const httplib::ContentReader& reader) {
    std::string encoding = req.get_header_value(kBodyEncoding);
    const bool compressed = encoding == "gzip" || encoding == "deflate";
    if (!compressed && !encoding.empty() && encoding != "identity")
        throw ApiError(415, "unsupported_encoding", "use Content-Encoding gzip, or none");
    const size_t limit = m_options.maxBodyBytes;
    auto tooLarge = [&] {
        return ApiError(413, "payload_too_large",
                        fmt::format("the request body is over {} bytes", limit));
    };
    // Over the limit, the body is still read (and dropped) up to a hard cap, so the client,
    // which is still sending, gets to read the 413 instead of a reset connection.
    const size_t hardCap = limit * 4;
    std::string declared = req.get_header_value("Content-Length");
    if (!declared.empty() && std::strtoull(declared.c_str(), nullptr, 10) > hardCap)
        throw tooLarge();
    // The limit applies to the inflated body. A compressed body longer than any gzip or zlib
    // encoder makes of `limit` bytes would inflate past it, so it is not even kept.
    const size_t keep = compressed ? gzipCompressBound(limit) : limit;
    std::string body;
    size_t received = 0;
    bool ok = reader([&](const char* data, size_t len) {
        received += len;
        if (received <= keep) body.append(data, len);
        return received <= hardCap;
    });
    if (received > keep) throw tooLarge();
    if (!ok) throw ApiError(400, "unreadable_body", "the request body could not be read");
    if (!compressed) return body;
    // Inflated into at most `limit` bytes, so a small gzip bomb cannot fill memory.
    Inflated inflated = gzipDecompress(body, limit);
    if (inflated.status == InflateStatus::TooLarge) throw tooLarge();
    if (inflated.status != InflateStatus::Ok)
        throw ApiError(
            400, "unreadable_body",
            fmt::format("the request body is not valid {} data (corrupt or cut short)", encoding));
    return std::move(inflated.bytes);
}

KioskIdentity HttpServer::authenticate(SqlConnection& conn, const httplib::Request& req) {
    return authenticateKiosk(conn, bearerToken(req));
}

namespace {

// Every kiosk request states its store's schema version; peers on different schemas never
// exchange data (the outbox stays on the kiosk until it is upgraded).
void checkSchema(const httplib::Request& req) {
    std::string header = req.get_header_value(std::string(wire::kSchemaHeader));
    int version = 0;
    auto [ptr, ec] = std::from_chars(header.data(), header.data() + header.size(), version);
    if (header.empty() || ec != std::errc() || ptr != header.data() + header.size())
        throw ApiError(400, "missing_schema",
                       fmt::format("every request must carry {}: <kiosk schema version>",
                                   wire::kSchemaHeader));
    if (version != currentSchemaVersion())
        throw ApiError(409, "schema_mismatch",
                       fmt::format("the kiosk's store has schema {} but this server speaks schema "
                                   "{}; upgrade the {} first (the kiosk keeps its outbox)",
                                   version, currentSchemaVersion(),
                                   version < currentSchemaVersion() ? "kiosk" : "server"),
                       {{"server_schema", currentSchemaVersion()}});
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Kiosk routes
// ---------------------------------------------------------------------------------------------

void HttpServer::postFromKiosk(std::string_view path, KioskPost handle, bool push) {
    m_http->Post(std::string(path), [this, push, handle = std::move(handle)](
                                        const httplib::Request& req, httplib::Response& res,
                                        const httplib::ContentReader& reader) {
        guarded(res, [&] {
            checkSchema(req);
            std::optional<PushOrder::Inside> inside;
            if (push) inside.emplace(m_pushOrder, bearerToken(req));
            std::string raw = readBody(req, reader);
            auto conn = m_backend.acquire();
            KioskIdentity kiosk = authenticate(*conn, req);
            handle(req, res, *conn, kiosk, raw, inside ? &*inside : nullptr);
        });
    });
}

void HttpServer::handlePush(const httplib::Request& req, httplib::Response& res,
                            SqlConnection& conn, const KioskIdentity& kiosk, std::string& raw,
                            PushOrder::Inside& inside, bool ordered) {
    std::string after;
    if (ordered) {
        requireOnlyParams(req, {"after"});
        after = req.get_param_value("after");
        if (!isUuid(after))
            throw ApiError(400, "invalid_request", "after must be the op id of the push before");
    }
    PushRequest push = readPushRequest(raw, m_options.pushMaxOps);
    if (ordered) {
        // Decided: the op is in applied_op (for this kiosk), from the push before or earlier.
        auto decided = [&] {
            return !conn.query("SELECT 1 FROM applied_op WHERE op_id = $1 AND kiosk_id = $2",
                               {after, kiosk.id})
                        .empty();
        };
        if (!inside.waitFor(decided, std::chrono::seconds(20)))
            throw ApiError(409, "out_of_order",
                           "the push before this one has not been decided; send this one again "
                           "after it");
    }
    // Group commit: the kiosk's next push is decided while this one's commit goes to disk;
    // the answer leaves only once it is there (SqlConnection::deferCommitSync).
    struct Deferred {
        SqlConnection& conn;
        explicit Deferred(SqlConnection& c) : conn(c) { conn.deferCommitSync(true); }
        ~Deferred() {
            try {
                conn.deferCommitSync(false);
            } catch (...) {
                // The connection marks itself unhealthy; the pool drops it.
            }
        }
    };
    std::string answer;
    {
        Deferred deferred(conn);
        answer = processPush(conn, kiosk, std::move(push), m_options.ledger, now());
        inside.decided();
        conn.syncCommitted();
    }
    // Level 1: the largest answers a server writes, for kiosks on a LAN.
    sendJsonText(req, res, std::move(answer), 1);
}

void HttpServer::installRoutes() {
    httplib::Server& http = *m_http;
    http.Get(std::string(wire::kStatusPath),
             [this](const httplib::Request&, httplib::Response& res) {
                 sendJson(res, 200,
                          {{"status", "ok"},
                           {"server_time", now()},
                           {"schema", currentSchemaVersion()},
                           {"backend", m_backend.describe()}});
             });

    http.Post(std::string(wire::kEnrolPath),
              [this](const httplib::Request& req, httplib::Response& res,
                     const httplib::ContentReader& reader) {
                  guarded(res, [&] {
                      checkSchema(req);
                      json body = parseJson(readBody(req, reader));
                      JsonFields f(body, "", {"code"});
                      std::string code = f.text("code", 64);
                      auto conn = m_backend.acquire();
                      SqlTransaction tx(*conn, TxKind::Write);
                      Enrolment e = enrolKiosk(*conn, code, now());
                      tx.commit();
                      spdlog::info("kiosk '{}' enrolled", e.name);
                      sendJson(res, 200,
                               {{"kiosk_id", e.kioskId},
                                {"name", e.name},
                                {"token", e.token},
                                {"server_time", now()}});
                  });
              });

    for (bool ordered : {false, true})
        postFromKiosk(
            ordered ? wire::kOrderedPushPath : wire::kPushPath,
            [this, ordered](const httplib::Request& req, httplib::Response& res,
                            SqlConnection& conn, const KioskIdentity& kiosk, std::string& raw,
                            PushOrder::Inside* inside) {
                handlePush(req, res, conn, kiosk, raw, *inside, ordered);
            },
            /*push=*/true);

    http.Get(
        std::string(wire::kPullPath), [this](const httplib::Request& req, httplib::Response& res) {
            guarded(res, [&] {
                checkSchema(req);
                requireOnlyParams(req, {"since", "limit"});
                int limit = intParam(req, "limit", 500, 1, m_options.pullMaxLimit);
                auto conn = m_backend.acquire();
                KioskIdentity kiosk = authenticate(*conn, req);
                SqlTransaction tx(*conn, TxKind::Read);
                PullPage page = readChanges(*conn, kiosk.id, req.get_param_value("since"), limit);
                tx.commit();
                // Records are stored as JSON text: spliced in as they are, not parsed and
                // re-written.
                std::string body = "{\"changes\":[";
                for (size_t i = 0; i < page.changes.size(); ++i) {
                    const Change& c = page.changes[i];
                    if (i) body += ',';
                    body += fmt::format(R"({{"seq":{},"entity":{},"id":{},"op":"{}","data":{}}})",
                                        c.seq, json(c.entity).dump(), json(c.id).dump(),
                                        c.deleted ? "delete" : "upsert", c.data);
                }
                body += fmt::format(R"(],"next_cursor":{},"has_more":{},"server_time":{}}})",
                                    json(page.nextCursor).dump(), page.hasMore ? "true" : "false",
                                    now());
                // Level 6: as small as zlib's default made pages (which may cross a slow
                // link), for about half of zlib's CPU.
                sendJsonText(req, res, std::move(body), 6);
            });
        });

    postFromKiosk(wire::kLeasePath,
                  [this](const httplib::Request&, httplib::Response& res, SqlConnection& conn,
                         const KioskIdentity& kiosk, std::string& raw, PushOrder::Inside*) {
                      LeaseRequest lease = parseLeaseRequest(parseJson(raw), 1000);
                      sendJson(res, 200, processLease(conn, kiosk, lease, m_options.ledger, now()));
                  });

    http.Get(std::string(wire::kChecksumsPath), [this](const httplib::Request& req,
                                                       httplib::Response& res) {
        guarded(res, [&] {
            checkSchema(req);
            requireOnlyParams(req, {});
            auto conn = m_backend.acquire();
            KioskIdentity kiosk = authenticate(*conn, req);
            SqlTransaction tx(*conn, TxKind::Read);
            json tables = json::object();
            auto add = [&](std::string_view name, const SqlRows& rows,
                           const std::vector<size_t>& jsonColumns) {
                std::vector<wire::ChecksumRow> values;
                values.reserve(rows.size());
                for (const SqlRow& r : rows) values.push_back(r.values());
                wire::Checksum sum = wire::checksumRows(std::move(values), jsonColumns);
                tables[std::string(name)] = {{"rows", sum.rows}, {"sha256", sum.sha256}};
            };
            for (const wire::ChecksumTable& t : wire::catalogueChecksumTables())
                add(t.name, conn->query(t.sql), t.jsonColumns);
            add(wire::kRegistrationChecksum,
                conn->query("SELECT id, session_id, status, waitlist_pos FROM registration "
                            "WHERE kiosk_id = $1",
                            {kiosk.id}),
                {});
            tx.commit();
            sendJson(res, 200, {{"tables", std::move(tables)}, {"server_time", now()}});
        });
    });
}

}  // namespace fadaa::server
