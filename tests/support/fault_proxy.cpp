// tests/support/fault_proxy.cpp - the fault-injecting HTTP proxy (see fault_proxy.hpp).
#include "support/fault_proxy.hpp"

#include <poll.h>
#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace fadaa::test {
namespace {

using Clock = std::chrono::steady_clock;

constexpr auto kIdleTimeout = std::chrono::seconds(30);      // client between requests
constexpr auto kResponseTimeout = std::chrono::seconds(60);  // server answering
constexpr std::size_t kMaxHead = 64 * 1024;
constexpr std::size_t kMaxBody = 256 * 1024 * 1024;

enum class ReadStatus { Ok, Eof, Failed };

// Buffered reads from a socket, bounded by a deadline and by the proxy stopping.
class Reader {
public:
    Reader(int fd, const std::atomic<bool>& stopping) : m_fd(fd), m_stopping(&stopping) {}

    // Appends to `out` everything up to and including `delim` (searched within maxBytes).
    ReadStatus until(std::string_view delim, std::size_t maxBytes, Clock::time_point deadline,
                     std::string& out) {
        for (;;) {
            std::size_t at = m_buffer.find(delim);
            if (at != std::string::npos) {
                take(at + delim.size(), out);
                return ReadStatus::Ok;
            }
            if (m_buffer.size() > maxBytes) return ReadStatus::Failed;
            ReadStatus s = fill(deadline);
            if (s != ReadStatus::Ok) return s;
        }
    }

    // Appends exactly n bytes to `out`.
    ReadStatus exact(std::size_t n, Clock::time_point deadline, std::string& out) {
        while (m_buffer.size() < n) {
            ReadStatus s = fill(deadline);
            if (s != ReadStatus::Ok) return s;
        }
        take(n, out);
        return ReadStatus::Ok;
    }

    // Appends everything until the peer closes.
    ReadStatus toEof(Clock::time_point deadline, std::string& out) {
        for (;;) {
            ReadStatus s = fill(deadline);
            if (s == ReadStatus::Eof) break;
            if (s != ReadStatus::Ok) return s;
            if (m_buffer.size() > kMaxBody) return ReadStatus::Failed;
        }
        take(m_buffer.size(), out);
        return ReadStatus::Ok;
    }

    bool buffered() const { return !m_buffer.empty(); }

private:
    ReadStatus fill(Clock::time_point deadline) {
        char chunk[65536];
        for (;;) {
            if (*m_stopping) return ReadStatus::Failed;
            auto left =
                std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
            if (left.count() <= 0) return ReadStatus::Failed;
            pollfd p{m_fd, POLLIN, 0};
            int ready = ::poll(&p, 1, static_cast<int>(std::min<long>(left.count(), 50)));
            if (ready < 0 && errno != EINTR) return ReadStatus::Failed;
            if (ready <= 0) continue;
            ssize_t n = ::recv(m_fd, chunk, sizeof chunk, 0);
            if (n < 0 && errno == EINTR) continue;
            if (n == 0) return ReadStatus::Eof;
            if (n < 0) return ReadStatus::Failed;
            m_buffer.append(chunk, static_cast<std::size_t>(n));
            return ReadStatus::Ok;
        }
    }

    void take(std::size_t n, std::string& out) {
        out.append(m_buffer, 0, n);
        m_buffer.erase(0, n);
    }

    int m_fd;
    const std::atomic<bool>* m_stopping;
    std::string m_buffer;
};

std::string lower(std::string text) {
    std::transform(text.begin(), text.end(), text.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return text;
}

std::string trim(std::string_view text) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r'))
        text.remove_suffix(1);
    return std::string(text);
}

// One HTTP message as it travels: its head verbatim, its body verbatim (chunk framing kept).
struct Message {
    std::string head;  // start line + headers + blank line
    std::string body;
    std::string startLine;
    bool closeAfter = false;  // "Connection: close", or a close-delimited body

    std::optional<std::string> header(std::string_view name) const {
        std::size_t lineStart = head.find("\r\n");
        while (lineStart != std::string::npos) {
            lineStart += 2;
            std::size_t lineEnd = head.find("\r\n", lineStart);
            if (lineEnd == std::string::npos || lineEnd == lineStart) break;
            std::string_view line(head.data() + lineStart, lineEnd - lineStart);
            std::size_t colon = line.find(':');
            if (colon != std::string::npos && lower(std::string(line.substr(0, colon))) == name)
                return trim(line.substr(colon + 1));
            lineStart = lineEnd;
        }
        return std::nullopt;
    }

    // Removes every header line called `name` (lower-case).
    void removeHeader(std::string_view name) {
        std::string kept = startLine + "\r\n";
        std::size_t lineStart = head.find("\r\n") + 2;
        for (;;) {
            std::size_t lineEnd = head.find("\r\n", lineStart);
            if (lineEnd == std::string::npos || lineEnd == lineStart) break;
            std::string line = head.substr(lineStart, lineEnd - lineStart);
            std::size_t colon = line.find(':');
            if (colon == std::string::npos || lower(line.substr(0, colon)) != name)
                kept += line + "\r\n";
            lineStart = lineEnd + 2;
        }
        head = kept + "\r\n";
    }
};

enum class BodyKind { None, Length, Chunked, UntilClose };

ReadStatus readHead(Reader& in, Clock::time_point deadline, Message& msg) {
    ReadStatus s = in.until("\r\n\r\n", kMaxHead, deadline, msg.head);
    if (s != ReadStatus::Ok) return s;
    msg.startLine = msg.head.substr(0, msg.head.find("\r\n"));
    auto connection = msg.header("connection");
    msg.closeAfter = connection && lower(*connection).find("close") != std::string::npos;
    return ReadStatus::Ok;
}

BodyKind bodyKind(const Message& msg, bool isResponse, std::size_t& length) {
    auto te = msg.header("transfer-encoding");
    if (te && lower(*te).find("chunked") != std::string::npos) return BodyKind::Chunked;
    if (auto cl = msg.header("content-length")) {
        try {
            length = std::stoull(*cl);
        } catch (const std::exception&) {
            length = kMaxBody + 1;
        }
        return BodyKind::Length;
    }
    return isResponse ? BodyKind::UntilClose : BodyKind::None;
}

ReadStatus readBody(Reader& in, BodyKind kind, std::size_t length, Clock::time_point deadline,
                    Message& msg) {
    switch (kind) {
        case BodyKind::None:
            return ReadStatus::Ok;
        case BodyKind::Length:
            if (length > kMaxBody) return ReadStatus::Failed;
            return in.exact(length, deadline, msg.body);
        case BodyKind::UntilClose:
            msg.closeAfter = true;
            return in.toEof(deadline, msg.body);
        case BodyKind::Chunked:
            for (;;) {
                std::size_t lineStart = msg.body.size();
                ReadStatus s = in.until("\r\n", kMaxHead, deadline, msg.body);
                if (s != ReadStatus::Ok) return s;
                std::size_t size = 0;
                try {
                    size = std::stoull(msg.body.substr(lineStart), nullptr, 16);
                } catch (const std::exception&) {
                    return ReadStatus::Failed;
                }
                if (size == 0) {  // trailers, then a blank line
                    for (;;) {
                        std::size_t trailerStart = msg.body.size();
                        s = in.until("\r\n", kMaxHead, deadline, msg.body);
                        if (s != ReadStatus::Ok) return s;
                        if (msg.body.size() - trailerStart == 2) return ReadStatus::Ok;
                    }
                }
                if (msg.body.size() + size > kMaxBody) return ReadStatus::Failed;
                s = in.exact(size + 2, deadline, msg.body);
                if (s != ReadStatus::Ok) return s;
            }
    }
    return ReadStatus::Failed;
}

int statusOf(const Message& response) {
    // "HTTP/1.1 200 OK"
    std::size_t space = response.startLine.find(' ');
    if (space == std::string::npos) return 0;
    try {
        return std::stoi(response.startLine.substr(space + 1, 3));
    } catch (const std::exception&) {
        return 0;
    }
}

// True when the peer has closed its side (an idle keep-alive connection the server ended).
bool peerClosed(int fd) {
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, 0) != 1) return false;
    char byte;
    return ::recv(fd, &byte, 1, MSG_PEEK | MSG_DONTWAIT) <= 0;
}

void closeClient(Fd& fd, bool withReset) {
    if (withReset) {
        closeWithReset(fd);
    } else if (fd) {
        ::shutdown(fd.get(), SHUT_RDWR);
        fd.reset();
    }
}

}  // namespace

std::string_view toString(FaultKind kind) {
    switch (kind) {
        case FaultKind::Pass:
            return "pass";
        case FaultKind::Drop:
            return "drop";
        case FaultKind::Reset:
            return "reset";
        case FaultKind::Delay:
            return "delay";
        case FaultKind::Truncate:
            return "truncate";
        case FaultKind::LoseResponse:
            return "lose-response";
    }
    return "?";
}

FaultProxy::FaultProxy(std::uint16_t upstreamPort)
    : m_listen(listenLoopback(0)), m_port(localPort(m_listen.get())), m_upstreamPort(upstreamPort) {
    m_acceptor = std::thread([this] { acceptLoop(); });
}

FaultProxy::~FaultProxy() {
    stop();
}

std::string FaultProxy::url() const {
    return "http://127.0.0.1:" + std::to_string(m_port);
}

void FaultProxy::schedule(std::vector<Fault> faults) {
    std::lock_guard lock(m_mutex);
    m_schedule = std::move(faults);
    m_next = 0;
}

void FaultProxy::randomFaults(std::uint64_t seed, const FaultWeights& weights) {
    std::lock_guard lock(m_mutex);
    m_rng.seed(seed);
    m_weights = weights;
}

void FaultProxy::passAll() {
    std::lock_guard lock(m_mutex);
    m_schedule.clear();
    m_next = 0;
    m_weights.reset();
}

void FaultProxy::onlyTargets(std::string prefix) {
    std::lock_guard lock(m_mutex);
    m_prefix = std::move(prefix);
}

std::vector<Exchange> FaultProxy::exchanges() const {
    std::lock_guard lock(m_mutex);
    return m_exchanges;
}

std::size_t FaultProxy::count(FaultKind kind) const {
    std::lock_guard lock(m_mutex);
    return static_cast<std::size_t>(
        std::count_if(m_exchanges.begin(), m_exchanges.end(),
                      [&](const Exchange& e) { return e.fault == kind; }));
}

std::size_t FaultProxy::countAppliedByServer(FaultKind kind) const {
    std::lock_guard lock(m_mutex);
    return static_cast<std::size_t>(std::count_if(
        m_exchanges.begin(), m_exchanges.end(),
        [&](const Exchange& e) { return e.fault == kind && e.forwarded && e.serverStatus != 0; }));
}

void FaultProxy::stop() {
    if (m_stopping.exchange(true)) return;
    {
        std::lock_guard lock(m_mutex);  // a sleeper between its check and its wait sees it
    }
    m_wake.notify_all();
    if (m_acceptor.joinable()) m_acceptor.join();
    // No new connections now; each connection thread notices m_stopping within ~50 ms.
    for (auto& connection : m_connections)
        if (connection.thread.joinable()) connection.thread.join();
    m_connections.clear();
    m_listen.reset();
}

bool FaultProxy::sleepFor(std::chrono::milliseconds d) {
    std::unique_lock lock(m_mutex);
    return !m_wake.wait_for(lock, d, [this] { return m_stopping.load(); });
}

Fault FaultProxy::nextFault(const std::string& target) {
    std::lock_guard lock(m_mutex);
    if (!m_prefix.empty() && target.rfind(m_prefix, 0) != 0) return Fault::pass();
    if (m_next < m_schedule.size()) return m_schedule[m_next++];
    if (!m_weights) return Fault::pass();
    const FaultWeights& w = *m_weights;
    std::discrete_distribution<int> pick({double(w.pass), double(w.drop), double(w.reset),
                                          double(w.delay), double(w.truncate),
                                          double(w.loseResponse)});
    Fault fault;
    fault.kind = static_cast<FaultKind>(pick(m_rng));
    if (fault.kind == FaultKind::Delay) {
        std::uniform_int_distribution<long> ms(0, w.maxDelay.count());
        fault.delay = std::chrono::milliseconds(ms(m_rng));
    }
    if (fault.kind == FaultKind::Truncate)
        fault.keepFraction = std::uniform_real_distribution<double>(0.0, 1.0)(m_rng);
    if (fault.kind == FaultKind::Truncate || fault.kind == FaultKind::LoseResponse)
        fault.reset = std::bernoulli_distribution(0.5)(m_rng);
    return fault;
}

std::size_t FaultProxy::record(const Exchange& exchange) {
    std::lock_guard lock(m_mutex);
    m_exchanges.push_back(exchange);
    return m_exchanges.size() - 1;
}

void FaultProxy::update(std::size_t index, const Exchange& exchange) {
    std::lock_guard lock(m_mutex);
    m_exchanges[index] = exchange;
}

void FaultProxy::acceptLoop() {
    while (!m_stopping) {
        pollfd p{m_listen.get(), POLLIN, 0};
        if (::poll(&p, 1, 50) != 1) continue;
        Fd client(::accept4(m_listen.get(), nullptr, nullptr, SOCK_CLOEXEC));
        if (!client) continue;
        std::lock_guard lock(m_mutex);
        // Join connections that ended, so a long test does not pile up threads.
        for (auto it = m_connections.begin(); it != m_connections.end();) {
            if (it->done) {
                it->thread.join();
                it = m_connections.erase(it);
            } else {
                ++it;
            }
        }
        Connection& connection = m_connections.emplace_back();
        connection.thread = std::thread([this, &connection, fd = client.release()] {
            serve(Fd(fd));
            connection.done = true;
        });
    }
}

void FaultProxy::serve(Fd client) {
    // Connect upstream first: with the server down the client sees its connection refused
    // (reset), as it would without the proxy, rather than a half-open connection.
    Fd upstream = connectLoopback(m_upstreamPort.load());
    if (!upstream) {
        closeWithReset(client);
        return;
    }
    Reader fromClient(client.get(), m_stopping);
    Reader fromServer(upstream.get(), m_stopping);
    while (!m_stopping) {
        Message request;
        if (readHead(fromClient, Clock::now() + kIdleTimeout, request) != ReadStatus::Ok) return;
        std::size_t length = 0;
        BodyKind kind = bodyKind(request, false, length);
        auto expect = request.header("expect");
        if (expect && lower(*expect) == "100-continue") {
            // Answer the client's Expect ourselves so the body comes at once; the request we
            // forward carries no Expect, so the server answers only once.
            request.removeHeader("expect");
            if (!sendAll(client.get(), "HTTP/1.1 100 Continue\r\n\r\n")) return;
        }
        if (readBody(fromClient, kind, length, Clock::now() + kResponseTimeout, request) !=
            ReadStatus::Ok)
            return;

        Exchange exchange;
        std::size_t firstSpace = request.startLine.find(' ');
        std::size_t secondSpace = request.startLine.find(' ', firstSpace + 1);
        exchange.method = request.startLine.substr(0, firstSpace);
        if (firstSpace != std::string::npos)
            exchange.target =
                request.startLine.substr(firstSpace + 1, secondSpace - firstSpace - 1);
        Fault fault = nextFault(exchange.target);
        exchange.fault = fault.kind;
        std::size_t index = record(exchange);

        if (fault.kind == FaultKind::Drop || fault.kind == FaultKind::Reset) {
            closeClient(client, fault.kind == FaultKind::Reset);
            return;
        }
        if (!fromServer.buffered() && peerClosed(upstream.get())) {
            // The server closed an idle keep-alive connection; a client talking to it directly
            // would have opened a new one.
            upstream = connectLoopback(m_upstreamPort.load());
            fromServer = Reader(upstream.get(), m_stopping);
            if (!upstream) {
                closeClient(client, true);
                return;
            }
        }
        if (!sendAll(upstream.get(), request.head) || !sendAll(upstream.get(), request.body)) {
            closeClient(client, false);
            return;
        }
        exchange.forwarded = true;
        update(index, exchange);

        Message response;
        auto deadline = Clock::now() + kResponseTimeout;
        for (;;) {  // skip interim 1xx responses: the client's 100 Continue came from us
            response = Message{};
            if (readHead(fromServer, deadline, response) != ReadStatus::Ok) {
                closeClient(client, false);
                return;
            }
            int status = statusOf(response);
            if (status < 100 || status >= 200 || status == 101) break;
        }
        exchange.serverStatus = statusOf(response);
        std::size_t responseLength = 0;
        BodyKind responseKind = bodyKind(response, true, responseLength);
        if (exchange.method == "HEAD" || exchange.serverStatus == 204 ||
            exchange.serverStatus == 304)
            responseKind = BodyKind::None;
        if (readBody(fromServer, responseKind, responseLength, deadline, response) !=
            ReadStatus::Ok) {
            closeClient(client, false);
            return;
        }
        update(index, exchange);

        switch (fault.kind) {
            case FaultKind::LoseResponse:
                closeClient(client, fault.reset);
                return;
            case FaultKind::Truncate: {
                double keep = std::clamp(fault.keepFraction, 0.0, 1.0);
                if (response.body.empty()) {  // nothing to cut but the head itself
                    sendAll(client.get(),
                            std::string_view(response.head)
                                .substr(0, static_cast<std::size_t>(keep * response.head.size())));
                } else {
                    std::size_t kept = std::min(
                        response.body.size() - 1,
                        static_cast<std::size_t>(keep * static_cast<double>(response.body.size())));
                    sendAll(client.get(), response.head);
                    sendAll(client.get(), std::string_view(response.body).substr(0, kept));
                }
                closeClient(client, fault.reset);
                return;
            }
            case FaultKind::Delay:
                if (!sleepFor(fault.delay)) return;
                break;
            default:
                break;
        }
        if (!sendAll(client.get(), response.head) || !sendAll(client.get(), response.body)) return;
        if (request.closeAfter || response.closeAfter) {
            closeClient(client, false);
            return;
        }
    }
}

}  // namespace fadaa::test
