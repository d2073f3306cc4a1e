// server/lib/http_api.hpp - fadaa-server's HTTP interface (docs/sync-protocol.md, "Admin API").
//
// HttpServer owns the cpp-httplib server (plain HTTP, or HTTPS with --tls-cert/--tls-key), the
// routes, and a sweeper thread that reclaims expired leases and forgets old op ids and
// tombstones. Every handler answers errors as {"error", "message"} JSON with a 4xx/5xx status
// and changes nothing when it fails.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>

#include "push_order.hpp"
#include "seat_ledger.hpp"

namespace httplib {
class Server;
class Request;
class Response;
class ContentReader;
}  // namespace httplib

namespace fadaa::server {

class SqlBackend;
class SqlConnection;
struct KioskIdentity;

struct ServerOptions {
    std::string host = "127.0.0.1";
    int port = 8080;  // 0: any free port (bind() returns it)
    std::optional<std::string> tlsCert, tlsKey;
    LedgerOptions ledger;
    int opRetentionDays = 30;         // >= the longest time a kiosk may stay offline
    int tombstoneRetentionDays = 30;  // older cursors get 410 and take the snapshot path
    size_t maxBodyBytes = 8u << 20;   // after decompression
    int pullMaxLimit = 1000;
    size_t pushMaxOps = 1000;
    std::string adminTokenHash;  // from --admin-token-file; the database's token works too
    int sweepIntervalSeconds = 60;
    // httplib serves a connection on one thread until it closes, and a syncing kiosk keeps up
    // to three (one per push in flight), one of them often idle while it waits for another's
    // answer. With fewer threads than such connections, kiosks recovering a backlog at once
    // waited for idle connections to time out (measured: 6 kiosks with 3000 ops each took 30-60
    // s with 8 threads, 0.5 s with 32). Threads mostly wait on sockets; a database connection
    // is taken per request, not per thread.
    int threads = 64;
    std::int64_t clockOffsetSeconds = 0;  // testing aid: shifts the server's clock
};

class HttpServer {
public:
    // Throws std::runtime_error when TLS files cannot be loaded.
    HttpServer(SqlBackend& backend, ServerOptions options);
    ~HttpServer();
    HttpServer(const HttpServer&) = delete;
    HttpServer& operator=(const HttpServer&) = delete;

    // Binds the listening socket; returns the port (useful with port 0). Throws on failure.
    int bind();
    // Serves until stop(); runs the sweeper meanwhile.
    void run();
    void stop();
    // One sweep now: reclaim expired leases, purge old op ids and tombstones.
    void sweep();

private:
    // Handlers (http_api.cpp: kiosk side; admin_api.cpp: admin side).
    void installRoutes();
    void installAdminRoutes();
    Timestamp now() const;
    KioskIdentity authenticate(SqlConnection& conn, const httplib::Request& req);
    void requireAdmin(SqlConnection& conn, const httplib::Request& req);
    std::string readBody(const httplib::Request& req, const httplib::ContentReader& reader);
    // A kiosk's POST route: the schema header checked, the body read (bounded), the token
    // authenticated, then `handle` with the kiosk, its connection and the raw body. Errors
    // anywhere become the usual JSON error answer (guarded). A push route (`push`) counts the
    // request among the kiosk's pushes in the server from before its body is read, and hands
    // the handler its PushOrder::Inside; other routes get nullptr.
    using KioskPost =
        std::function<void(const httplib::Request&, httplib::Response&, SqlConnection&,
                           const KioskIdentity&, std::string&, PushOrder::Inside*)>;
    void postFromKiosk(std::string_view path, KioskPost handle, bool push = false);
    // The push routes' handler: `ordered` is the route that waits for the push before it.
    void handlePush(const httplib::Request& req, httplib::Response& res, SqlConnection& conn,
                    const KioskIdentity& kiosk, std::string& raw, PushOrder::Inside& inside,
                    bool ordered);

    SqlBackend& m_backend;
    ServerOptions m_options;
    std::unique_ptr<httplib::Server> m_http;
    int m_listenSocket = -1;  // the listening socket, once bound (see bind())
    std::thread m_sweeper;
    std::mutex m_mutex, m_stopMutex;
    std::condition_variable m_wake;
    bool m_stopping = false;
    PushOrder m_pushOrder;
};

}  // namespace fadaa::server
