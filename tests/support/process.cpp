// tests/support/process.cpp - spawning, waiting for and killing child processes.
#include "support/process.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <thread>

#include "support/socket_util.hpp"
#include "support/test_support.hpp"

extern char** environ;

namespace fadaa::test {
namespace {

using Clock = std::chrono::steady_clock;
constexpr auto kPollInterval = std::chrono::milliseconds(10);

ExitStatus fromWaitStatus(int status) {
    ExitStatus result;
    if (WIFEXITED(status)) result.code = WEXITSTATUS(status);
    if (WIFSIGNALED(status)) result.signal = WTERMSIG(status);
    return result;
}

// Our environment with `overrides` applied, as "KEY=VALUE" strings.
std::vector<std::string> childEnvironment(const std::map<std::string, std::string>& overrides) {
    std::vector<std::string> env;
    for (char** entry = environ; *entry; ++entry) {
        std::string_view text(*entry);
        std::string key(text.substr(0, text.find('=')));
        if (!overrides.count(key)) env.emplace_back(text);
    }
    for (const auto& [key, value] : overrides) env.push_back(key + "=" + value);
    return env;
}

std::vector<char*> pointers(std::vector<std::string>& strings) {
    std::vector<char*> result;
    for (auto& s : strings) result.push_back(s.data());
    result.push_back(nullptr);
    return result;
}

}  // namespace

std::string ExitStatus::describe() const {
    if (signal != 0) return "killed by signal " + std::to_string(signal);
    return "exit " + std::to_string(code);
}

ChildProcess::ChildProcess(SpawnOptions options) : m_options(std::move(options)) {
    if (m_options.argv.empty()) throw std::invalid_argument("ChildProcess: empty argv");
    // Everything the child needs is prepared before fork(): between fork and exec a
    // multi-threaded parent's child may only make async-signal-safe calls.
    std::vector<std::string> argStrings = m_options.argv;
    std::vector<std::string> envStrings = childEnvironment(m_options.env);
    std::vector<char*> argv = pointers(argStrings);
    std::vector<char*> envp = pointers(envStrings);
    std::string outPath =
        m_options.outputFile.empty() ? "/dev/null" : m_options.outputFile.string();
    std::string workDir = m_options.workDir.string();

    Fd out(::open(outPath.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644));
    if (!out) throw std::runtime_error("cannot open " + outPath + ": " + std::strerror(errno));
    int errorPipe[2];  // the child writes errno here if exec fails; exec closes it otherwise
    if (::pipe2(errorPipe, O_CLOEXEC) != 0) throw std::runtime_error("pipe failed");
    Fd errorRead(errorPipe[0]), errorWrite(errorPipe[1]);
    pid_t parent = ::getpid();

    m_pid = ::fork();
    if (m_pid < 0) throw std::runtime_error(std::string("fork failed: ") + std::strerror(errno));
    if (m_pid == 0) {
        ::prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (::getppid() != parent) ::_exit(126);  // the test died before prctl
        int devNull = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
        ::dup2(devNull, 0);
        ::dup2(out.get(), 1);
        ::dup2(out.get(), 2);
        if (!workDir.empty() && ::chdir(workDir.c_str()) != 0) {
            int error = errno;
            [[maybe_unused]] auto n = ::write(errorPipe[1], &error, sizeof error);
            ::_exit(127);
        }
        ::execve(argv[0], argv.data(), envp.data());
        int error = errno;
        [[maybe_unused]] auto n = ::write(errorPipe[1], &error, sizeof error);
        ::_exit(127);
    }
    errorWrite.reset();
    int childError = 0;
    ssize_t n;
    do {
        n = ::read(errorRead.get(), &childError, sizeof childError);
    } while (n < 0 && errno == EINTR);
    if (n > 0) {
        int status = 0;
        ::waitpid(m_pid, &status, 0);
        m_status = fromWaitStatus(status);
        throw std::runtime_error("cannot start " + m_options.argv[0] + ": " +
                                 std::strerror(childError));
    }
}

ChildProcess::~ChildProcess() {
    if (m_pid > 0 && !m_status) {
        ::kill(m_pid, SIGKILL);
        int status = 0;
        while (::waitpid(m_pid, &status, 0) < 0 && errno == EINTR) {
        }
    }
}

bool ChildProcess::running() {
    if (m_status) return false;
    int status = 0;
    pid_t r = ::waitpid(m_pid, &status, WNOHANG);
    if (r == m_pid) {
        m_status = fromWaitStatus(status);
        return false;
    }
    return true;
}

bool ChildProcess::waitListening(std::uint16_t port, std::chrono::milliseconds timeout) {
    auto deadline = Clock::now() + timeout;
    while (running()) {
        if (connectLoopback(port, std::chrono::milliseconds(200))) return true;
        if (Clock::now() >= deadline) return false;
        std::this_thread::sleep_for(kPollInterval);
    }
    return false;
}

bool ChildProcess::waitForOutput(std::string_view text, std::chrono::milliseconds timeout,
                                 std::size_t from) {
    auto deadline = Clock::now() + timeout;
    for (;;) {
        bool alive = running();  // read after checking, so a last line is not missed
        std::string out = output();
        if (out.size() > from && out.find(text, from) != std::string::npos) return true;
        if (!alive || Clock::now() >= deadline) return false;
        std::this_thread::sleep_for(kPollInterval);
    }
}

std::optional<ExitStatus> ChildProcess::wait(std::chrono::milliseconds timeout) {
    auto deadline = Clock::now() + timeout;
    while (running()) {
        if (Clock::now() >= deadline) return std::nullopt;
        std::this_thread::sleep_for(kPollInterval);
    }
    return m_status;
}

ExitStatus ChildProcess::kill(int signal) {
    if (running()) ::kill(m_pid, signal);
    if (auto status = wait(std::chrono::seconds(10))) return *status;
    ::kill(m_pid, SIGKILL);
    int status = 0;
    while (::waitpid(m_pid, &status, 0) < 0 && errno == EINTR) {
    }
    m_status = fromWaitStatus(status);
    return *m_status;
}

ExitStatus ChildProcess::terminate(std::chrono::milliseconds grace) {
    if (running()) ::kill(m_pid, SIGTERM);
    if (auto status = wait(grace)) return *status;
    return kill(SIGKILL);
}

std::string ChildProcess::output() const {
    if (m_options.outputFile.empty()) return {};
    return readFile(m_options.outputFile);
}

RunResult runBounded(SpawnOptions options, std::chrono::milliseconds timeout) {
    std::optional<TempDir> scratch;
    if (options.outputFile.empty()) {
        scratch.emplace();
        options.outputFile = scratch->path() / "output";
    }
    auto start = std::filesystem::exists(options.outputFile)
                     ? std::filesystem::file_size(options.outputFile)
                     : 0;
    ChildProcess child(options);
    RunResult result;
    if (auto status = child.wait(timeout)) {
        result.status = *status;
    } else {
        result.timedOut = true;
        result.status = child.kill(SIGKILL);
    }
    result.output = child.output().substr(start);
    return result;
}

}  // namespace fadaa::test
