// tests/support/fault_proxy.hpp - an in-process HTTP/1.1 proxy on 127.0.0.1 that injects
// network faults between a client (the kiosk's libcurl) and a server (fadaa-server).
//
// The proxy frames HTTP messages (Content-Length, chunked, close-delimited) so that a fault can
// hit one exchange (one request and its response) at a precise point: before the server sees
// the request, or after the server applied it. Each exchange takes the next fault of the
// schedule, in arrival order; after the schedule, a seeded random draw if one is set, else
// pass-through. A fault that breaks the connection closes it; the client then reconnects.
// Everything is bounded: idle connections time out, and stop() (or the destructor) ends all
// threads promptly.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <list>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "support/socket_util.hpp"

namespace fadaa::test {

enum class FaultKind {
    Pass,          // forward the request and the response unchanged
    Drop,          // read the request, close the client connection; nothing reaches the server
    Reset,         // as Drop, but the client gets a TCP RST (SO_LINGER 0)
    Delay,         // forward the request; hold the server's response for `delay`, then send it
    Truncate,      // forward the request; send the response head and part of its body, close
    LoseResponse,  // forward the request, read the server's whole response (the server has
                   // applied it), close the client connection without sending any of it
};

std::string_view toString(FaultKind kind);

struct Fault {
    FaultKind kind = FaultKind::Pass;
    std::chrono::milliseconds delay{0};  // Delay
    double keepFraction = 0.5;           // Truncate: share of the body sent, in [0, 1)
    bool reset = false;                  // Truncate, LoseResponse: close with RST, not FIN

    static Fault pass() { return {}; }
    static Fault drop() { return {FaultKind::Drop}; }
    static Fault resetConnection() { return {FaultKind::Reset}; }
    static Fault delayBy(std::chrono::milliseconds d) { return {FaultKind::Delay, d}; }
    static Fault truncate(double keep = 0.5) { return {FaultKind::Truncate, {}, keep}; }
    static Fault loseResponse(bool withReset = false) {
        return {FaultKind::LoseResponse, {}, 0.5, withReset};
    }
};

// Relative weights of a random draw; a kind with weight 0 never happens.
struct FaultWeights {
    int pass = 0, drop = 0, reset = 0, delay = 0, truncate = 0, loseResponse = 0;
    std::chrono::milliseconds maxDelay{300};  // a Delay is uniform in [0, maxDelay]
};

// What happened to one exchange, for the test's assertions.
struct Exchange {
    std::string method;
    std::string target;  // request target, e.g. "/v1/sync/push"
    FaultKind fault = FaultKind::Pass;
    bool forwarded = false;  // the server received the whole request
    int serverStatus = 0;    // the server's response status; 0 if none was read
};

class FaultProxy {
public:
    // Listens on a free port of 127.0.0.1 and forwards to 127.0.0.1:upstreamPort. Throws
    // std::runtime_error if it cannot listen.
    explicit FaultProxy(std::uint16_t upstreamPort);
    ~FaultProxy();
    FaultProxy(const FaultProxy&) = delete;
    FaultProxy& operator=(const FaultProxy&) = delete;

    std::uint16_t port() const { return m_port; }
    std::string url() const;  // "http://127.0.0.1:PORT"

    // New connections go to this port from now on (a server restarted elsewhere).
    void setUpstreamPort(std::uint16_t port) { m_upstreamPort = port; }

    // Replaces the schedule: the next exchanges get these faults, in order.
    void schedule(std::vector<Fault> faults);
    // Exchanges beyond the schedule draw a fault from `weights` (std::mt19937_64 seeded with
    // seed: the same seed and the same exchanges give the same faults).
    void randomFaults(std::uint64_t seed, const FaultWeights& weights);
    // Clears the schedule and the random draw: everything passes from now on.
    void passAll();
    // Only exchanges whose target starts with prefix take faults; the others pass and consume
    // nothing. Empty (the default): every exchange.
    void onlyTargets(std::string prefix);

    // Every exchange so far, in the order faults were chosen.
    std::vector<Exchange> exchanges() const;
    // How many exchanges got `kind` (after a random draw or from the schedule).
    std::size_t count(FaultKind kind) const;
    // Exchanges of `kind` whose request the server received and answered.
    std::size_t countAppliedByServer(FaultKind kind) const;

    // Stops accepting, breaks every open connection and joins all threads. Idempotent.
    void stop();

private:
    struct Connection {
        std::thread thread;
        std::atomic<bool> done{false};
    };

    void acceptLoop();
    void serve(Fd client);
    Fault nextFault(const std::string& target);
    std::size_t record(const Exchange& exchange);
    void update(std::size_t index, const Exchange& exchange);
    // Sleeps up to d; returns early (false) when the proxy stops.
    bool sleepFor(std::chrono::milliseconds d);

    Fd m_listen;
    std::uint16_t m_port = 0;
    std::atomic<std::uint16_t> m_upstreamPort;
    std::atomic<bool> m_stopping{false};
    std::thread m_acceptor;

    mutable std::mutex m_mutex;  // guards everything below
    std::condition_variable m_wake;
    std::vector<Fault> m_schedule;
    std::size_t m_next = 0;
    std::optional<FaultWeights> m_weights;
    std::mt19937_64 m_rng;
    std::string m_prefix;
    std::vector<Exchange> m_exchanges;
    std::list<Connection> m_connections;
};

}  // namespace fadaa::test
