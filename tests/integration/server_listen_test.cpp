// tests/integration/server_listen_test.cpp - the server's listening socket takes a burst of
// kiosks connecting at once: its backlog is raised past the 5 Debian's libcpp-httplib asks for
// (HttpServer::bind), so the kernel does not drop their connection attempts for a second.
#include <catch2/catch.hpp>

#include <fmt/format.h>

#include <sstream>

#include "server_process.hpp"
#include "support/process.hpp"
#include "support/test_support.hpp"

using namespace fadaa;
using namespace fadaa::test;

TEST_CASE("server [sqlite]: the listening socket has a backlog for a fleet connecting at once") {
    TempDir dir;
    ServerProcess server(dir.path(), Backend::Sqlite);
    server.start();
    // ss (iproute2) shows a listening socket's backlog in its Send-Q column.
    SpawnOptions ss;
    ss.argv = {"/bin/ss", "-ltnH", fmt::format("sport = :{}", server.port())};
    RunResult r = runBounded(ss, std::chrono::seconds(10));
    INFO(r.output);
    REQUIRE(r.status.ok());
    std::istringstream line(r.output);
    std::string state;
    long recvQ = -1, backlog = -1;
    line >> state >> recvQ >> backlog;
    CHECK(state == "LISTEN");
    // 20 kiosks with three push connections each, and room to spare; the kernel caps the
    // server's 1024 at net.core.somaxconn (4096 on Debian 12).
    CHECK(backlog >= 128);
    server.stop();
}
