// tests/support/socket_util.hpp - small TCP helpers for loopback tests: an owned descriptor,
// listening and connecting on 127.0.0.1, free ports, writing fully, closing with a reset.
#pragma once

#include <chrono>
#include <cstdint>
#include <string_view>

namespace fadaa::test {

// An owned file descriptor, closed on destruction.
class Fd {
public:
    Fd() = default;
    explicit Fd(int fd) : m_fd(fd) {}
    ~Fd() { reset(); }
    Fd(Fd&& other) noexcept : m_fd(other.release()) {}
    Fd& operator=(Fd&& other) noexcept;
    Fd(const Fd&) = delete;
    Fd& operator=(const Fd&) = delete;

    int get() const { return m_fd; }
    explicit operator bool() const { return m_fd >= 0; }
    // Gives up ownership without closing.
    int release();
    // Closes the current descriptor (if any) and owns fd instead.
    void reset(int fd = -1);

private:
    int m_fd = -1;
};

// A socket listening on 127.0.0.1:port (0 = a free port chosen by the kernel), close-on-exec.
// Throws std::runtime_error when the port cannot be bound.
Fd listenLoopback(std::uint16_t port = 0);

// The local port a socket is bound to.
std::uint16_t localPort(int fd);

// A port that was free a moment ago (bound, then released). Another process may take it before
// the caller binds it; a caller that can listen itself should use listenLoopback(0) instead.
std::uint16_t freeTcpPort();

// Connects to 127.0.0.1:port. An empty Fd when refused or not connected within `timeout`.
Fd connectLoopback(std::uint16_t port,
                   std::chrono::milliseconds timeout = std::chrono::milliseconds(2000));

// True when something accepts connections on 127.0.0.1:port right now.
bool isListening(std::uint16_t port);

// Writes all of data (MSG_NOSIGNAL: a vanished peer is false, never SIGPIPE).
bool sendAll(int fd, std::string_view data);

// Closes fd so that the peer sees a TCP RST (SO_LINGER, zero timeout) instead of a FIN.
void closeWithReset(Fd& fd);

}  // namespace fadaa::test
