// tests/support/process.hpp - child processes for end-to-end tests: a long-running server
// (fadaa-server serve) started, waited for until it listens, killed with SIGKILL or stopped
// with SIGTERM; and bounded one-shot runs (fadaa sync) that are killed when they overrun.
//
// A child's stdout and stderr go to a file, so a failing test can show what it said. Children
// die with the test: the destructor kills and reaps them, and PR_SET_PDEATHSIG kills them if
// the test process itself dies (spawn from a thread that outlives the child, e.g. the test's).
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace fadaa::test {

struct SpawnOptions {
    std::vector<std::string> argv;           // argv[0] is a path; no shell, no PATH search
    std::map<std::string, std::string> env;  // set in the child on top of our environment
    std::filesystem::path outputFile;        // stdout + stderr, appended; empty: /dev/null
    std::filesystem::path workDir;           // empty: ours
};

// How a child ended.
struct ExitStatus {
    int code = -1;   // exit code, -1 if killed by a signal
    int signal = 0;  // the signal that killed it, 0 if it exited
    bool ok() const { return code == 0; }
    std::string describe() const;  // "exit 0", "killed by signal 9"
};

class ChildProcess {
public:
    // Starts the child. Throws std::runtime_error when it cannot be started (no such program,
    // not executable, output file not writable): the exec error is reported, not a silent 127.
    explicit ChildProcess(SpawnOptions options);
    // Kills (SIGKILL) and reaps the child if it still runs.
    ~ChildProcess();
    ChildProcess(const ChildProcess&) = delete;
    ChildProcess& operator=(const ChildProcess&) = delete;

    pid_t pid() const { return m_pid; }
    // True while the child runs (reaps it, without blocking, once it has ended).
    bool running();
    // How it ended; nullopt while it runs.
    std::optional<ExitStatus> exitStatus() const { return m_status; }

    // Waits until 127.0.0.1:port accepts a connection. False if the child ended or the
    // timeout passed first.
    bool waitListening(std::uint16_t port, std::chrono::milliseconds timeout);
    // Waits until the output file contains `text` at or after byte `from` (output written
    // before this child started can be skipped). False if the child ended without it or the
    // timeout passed.
    bool waitForOutput(std::string_view text, std::chrono::milliseconds timeout,
                       std::size_t from = 0);
    // Waits for the child to end; nullopt if it still runs after `timeout`.
    std::optional<ExitStatus> wait(std::chrono::milliseconds timeout);

    // Sends `signal` and waits for the end (SIGKILL if it is still running after 10 s).
    ExitStatus kill(int signal);
    // SIGTERM, then SIGKILL if it has not ended within `grace`.
    ExitStatus terminate(std::chrono::milliseconds grace = std::chrono::milliseconds(5000));

    // Everything the child wrote so far.
    std::string output() const;
    const std::filesystem::path& outputFile() const { return m_options.outputFile; }

private:
    SpawnOptions m_options;
    pid_t m_pid = -1;
    std::optional<ExitStatus> m_status;
};

// The result of a bounded run.
struct RunResult {
    ExitStatus status;
    bool timedOut = false;  // killed because it ran longer than the timeout
    std::string output;     // stdout + stderr, interleaved
};

// Runs a child to its end, killing it (SIGKILL) if it runs longer than `timeout`. The output
// goes to options.outputFile if set (appended), else to a temporary file that is removed.
RunResult runBounded(SpawnOptions options, std::chrono::milliseconds timeout);

}  // namespace fadaa::test
