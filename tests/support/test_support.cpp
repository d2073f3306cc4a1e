// tests/support/test_support.cpp - temp dirs, paths and child processes for tests.
#include "support/test_support.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace fadaa::test {

TempDir::TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "fadaa-test-XXXXXX").string();
    if (!mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
    m_path = pattern;
}

TempDir::~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(m_path, ec);
}

std::filesystem::path binDir() { return FADAA_BIN_DIR; }
std::filesystem::path sourceDir() { return FADAA_SOURCE_DIR; }
std::filesystem::path assetsDir() { return sourceDir() / "assets"; }

ProcessResult runProcess(const std::vector<std::string>& argv, const std::string& input) {
    int inPipe[2], outPipe[2], errPipe[2];
    if (pipe2(inPipe, O_CLOEXEC) || pipe2(outPipe, O_CLOEXEC) || pipe2(errPipe, O_CLOEXEC))
        throw std::runtime_error("pipe failed");
    pid_t pid = fork();
    if (pid < 0) throw std::runtime_error("fork failed");
    if (pid == 0) {
        dup2(inPipe[0], 0);
        dup2(outPipe[1], 1);
        dup2(errPipe[1], 2);
        std::vector<char*> args;
        for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
        args.push_back(nullptr);
        execv(args[0], args.data());
        _exit(127);
    }
    close(inPipe[0]);
    close(outPipe[1]);
    close(errPipe[1]);
    ProcessResult result;
    size_t written = 0;
    if (input.empty()) close(inPipe[1]);
    bool inOpen = !input.empty();
    bool outOpen = true, errOpen = true;
    while (outOpen || errOpen) {
        pollfd fds[3] = {{outPipe[0], POLLIN, 0}, {errPipe[0], POLLIN, 0},
                         {inOpen ? inPipe[1] : -1, POLLOUT, 0}};
        poll(fds, 3, -1);
        char buffer[65536];
        for (int i = 0; i < 2; ++i) {
            bool& open = i == 0 ? outOpen : errOpen;
            if (open && (fds[i].revents & (POLLIN | POLLHUP))) {
                ssize_t n = read(fds[i].fd, buffer, sizeof buffer);
                if (n <= 0) open = false;
                else (i == 0 ? result.out : result.err).append(buffer, static_cast<size_t>(n));
            }
        }
        if (inOpen && (fds[2].revents & (POLLOUT | POLLERR | POLLHUP))) {
            ssize_t n = write(inPipe[1], input.data() + written, input.size() - written);
            if (n <= 0 || (written += static_cast<size_t>(n)) == input.size()) {
                close(inPipe[1]);
                inOpen = false;
            }
        }
    }
    if (inOpen) close(inPipe[1]);
    close(outPipe[0]);
    close(errPipe[0]);
    int status = 0;
    waitpid(pid, &status, 0);
    result.exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return result;
}

std::string readFile(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

void writeFile(const std::filesystem::path& path, const std::string& content) {
    std::ofstream out(path, std::ios::binary);
    out << content;
}

}  // namespace fadaa::test
