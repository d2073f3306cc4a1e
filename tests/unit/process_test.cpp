// tests/unit/process_test.cpp - the child-process helpers the end-to-end tests rely on
// (tests/support/process): output capture, environment, signals, bounded runs.
#include <signal.h>

#include <catch2/catch.hpp>

#include "support/process.hpp"
#include "support/socket_util.hpp"
#include "support/test_support.hpp"

using namespace fadaa::test;
using namespace std::chrono_literals;

TEST_CASE("process: a child's output and exit code are captured, with our environment added") {
    TempDir dir;
    SpawnOptions options;
    options.argv = {"/bin/sh", "-c", "echo out:$FADAA_PROBE; echo err >&2; exit 3"};
    options.env = {{"FADAA_PROBE", "seen"}};
    options.outputFile = dir / "child.log";
    RunResult result = runBounded(options, 10s);
    CHECK_FALSE(result.timedOut);
    CHECK(result.status.code == 3);
    CHECK(result.status.describe() == "exit 3");
    CHECK(result.output.find("out:seen\n") != std::string::npos);
    CHECK(result.output.find("err\n") != std::string::npos);
    CHECK(readFile(dir / "child.log") == result.output);
}

TEST_CASE("process: a program that cannot start is an error, not a silent exit code") {
    SpawnOptions options;
    options.argv = {"/nonexistent/fadaa-server", "serve"};
    CHECK_THROWS_WITH(ChildProcess(options), Catch::Contains("cannot start /nonexistent"));
}

TEST_CASE("process: SIGKILL and SIGTERM end a long-running child and say how") {
    ChildProcess killed(SpawnOptions{{"/bin/sleep", "30"}, {}, {}, {}});
    CHECK(killed.running());
    ExitStatus k = killed.kill(SIGKILL);
    CHECK(k.signal == SIGKILL);
    CHECK_FALSE(killed.running());

    ChildProcess terminated(SpawnOptions{{"/bin/sleep", "30"}, {}, {}, {}});
    CHECK(terminated.terminate(5s).signal == SIGTERM);
}

TEST_CASE("process: a bounded run that overruns is killed") {
    auto start = std::chrono::steady_clock::now();
    RunResult result = runBounded(SpawnOptions{{"/bin/sleep", "30"}, {}, {}, {}}, 300ms);
    CHECK(result.timedOut);
    CHECK(result.status.signal == SIGKILL);
    CHECK(std::chrono::steady_clock::now() - start < 10s);
}

TEST_CASE("process: waiting for output or a port stops when the child ends") {
    TempDir dir;
    ChildProcess child(
        SpawnOptions{{"/bin/sh", "-c", "echo ready; sleep 0.2"}, {}, dir / "log", {}});
    CHECK(child.waitForOutput("ready", 10s));
    CHECK_FALSE(child.waitForOutput("never printed", 10s));
    CHECK_FALSE(child.waitListening(freeTcpPort(), 10s));
    REQUIRE(child.exitStatus());
    CHECK(child.exitStatus()->ok());
}

TEST_CASE("process: waitListening sees a port that accepts connections") {
    Fd listening = listenLoopback(0);
    ChildProcess child(SpawnOptions{{"/bin/sleep", "30"}, {}, {}, {}});
    CHECK(child.waitListening(localPort(listening.get()), 5s));
}

TEST_CASE("process: output from before the child started can be skipped") {
    TempDir dir;
    writeFile(dir / "log", "listening on 8080 (an earlier run)\n");
    std::size_t before = readFile(dir / "log").size();
    ChildProcess quiet(SpawnOptions{{"/bin/sh", "-c", "sleep 0.2"}, {}, dir / "log", {}});
    CHECK_FALSE(quiet.waitForOutput("listening on", 10s, before));
    ChildProcess loud(SpawnOptions{{"/bin/sh", "-c", "echo listening on 9090"}, {}, dir / "log", {}});
    CHECK(loud.waitForOutput("listening on", 10s, before));
}
