// tests/unit/registration_process_test.cpp - registrations across processes: two processes
// racing for the last seat, and a registering process killed with SIGKILL at random moments.
//
// Each child process opens its own Database (an SQLite connection must not cross a fork) and
// leaves with _exit, so nothing of the parent's test runner runs twice.
#include <catch2/catch.hpp>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <random>
#include <set>
#include <sstream>
#include <thread>

#include "registration/registration.hpp"
#include "unit/registration_fixture.hpp"

using namespace fadaa;
using test::kNow;

namespace {

constexpr int kExitConfirmed = 10;
constexpr int kExitWaitlisted = 11;
constexpr int kExitOther = 12;

int waitExitCode(pid_t pid) {
    int status = 0;
    waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status);
}

// Writes all of text to fd (a pipe); one small write is atomic, so a reader sees whole lines.
void writeAll(int fd, const std::string& text) {
    size_t done = 0;
    while (done < text.size()) {
        ssize_t n = write(fd, text.data() + done, text.size() - done);
        if (n <= 0) _exit(kExitOther);
        done += static_cast<size_t>(n);
    }
}

std::string readAll(int fd) {
    std::string out;
    char buffer[4096];
    ssize_t n;
    while ((n = read(fd, buffer, sizeof buffer)) > 0) out.append(buffer, static_cast<size_t>(n));
    return out;
}

// A distinct valid mobile number per integer below 10^8.
std::string phoneNumber(long n) {
    std::string digits = std::to_string(n);
    return "06" + std::string(8 - digits.size(), '0') + digits;
}

}  // namespace

TEST_CASE("two processes racing for the last seat: exactly one is confirmed") {
    test::TempDir dir;
    const auto path = dir / "kiosk.sqlite";
    {
        Database db(path);
        test::seedEvent(db, "e1");
    }
    constexpr int kRounds = 50;
    for (int round = 0; round < kRounds; ++round) {
        const std::string sessionId = "race-" + std::to_string(round);
        {
            Database db(path);
            test::SeedSession s;
            s.id = sessionId;
            s.capacity = 1;
            test::seedSession(db, s);
        }  // closed before forking
        int ready[2], go[2];
        REQUIRE(pipe(ready) == 0);
        REQUIRE(pipe(go) == 0);
        pid_t kids[2];
        for (int c = 0; c < 2; ++c) {
            kids[c] = fork();
            REQUIRE(kids[c] >= 0);
            if (kids[c] == 0) {
                close(ready[0]);
                close(go[1]);
                int code = kExitOther;
                try {
                    Database db(path);
                    RegistrationService service(db, "kiosk-" + std::to_string(c));
                    writeAll(ready[1], "r");
                    char byte;
                    (void)!read(go[0], &byte, 1);  // returns when the parent closes its end
                    RegistrationRequest r;
                    r.sessionId = sessionId;
                    r.name = c == 0 ? "Amina Racer" : "Badr Racer";
                    r.phone = phoneNumber(round * 2 + c);
                    auto o = service.registerFor(r, kNow);
                    if (o.ok && o.registration.status == RegistrationStatus::Confirmed)
                        code = kExitConfirmed;
                    else if (o.ok && o.registration.status == RegistrationStatus::Waitlisted)
                        code = kExitWaitlisted;
                } catch (...) {
                }
                _exit(code);
            }
        }
        close(ready[1]);
        close(go[0]);
        char both[2];
        CHECK(read(ready[0], both, 2) >= 1);  // both children have opened the store (mostly)
        close(go[1]);                         // start!
        int codes[2] = {waitExitCode(kids[0]), waitExitCode(kids[1])};
        close(ready[0]);
        std::sort(codes, codes + 2);
        INFO("round " << round);
        CHECK(codes[0] == kExitConfirmed);
        CHECK(codes[1] == kExitWaitlisted);
    }
    Database db(path);
    CHECK(test::scalar(db, "SELECT count(*) FROM registration WHERE status = 'confirmed'") ==
          kRounds);
    CHECK(test::scalar(db, "SELECT count(*) FROM registration WHERE status = 'waitlisted'") ==
          kRounds);
    CHECK(test::scalar(db, "SELECT count(*) FROM outbox WHERE kind = 'register'") == 2 * kRounds);
}

namespace {

// The child of the crash test: registers (and now and then cancels) until killed, writing
// "R <code>" / "C <code>" to fd after each acknowledged (committed) operation. Bounded in
// count and time so a lost parent cannot leave it running.
[[noreturn]] void registerUntilKilled(const std::filesystem::path& path, int fd, int round) {
    try {
        Database db(path);
        RegistrationService service(db, "kiosk-crash");
        auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
        std::string lastCode, lastPhone;
        for (long i = 0; i < 20000 && std::chrono::steady_clock::now() < deadline; ++i) {
            RegistrationRequest r;
            r.sessionId = i % 3 == 0 ? "small" : "open";
            r.name = "Resident " + std::to_string(round) + "-" + std::to_string(i);
            r.phone = phoneNumber(round * 100000L + i);
            auto o = service.registerFor(r, kNow);
            if (!o.ok) _exit(kExitOther);
            writeAll(fd, "R " + o.registration.code + "\n");
            if (i % 5 == 4) {  // cancel the previous one: exercises promotion under kill -9
                auto c = service.cancel(lastCode, lastPhone, kNow);
                if (c.result != CancelResult::Cancelled) _exit(kExitOther);
                writeAll(fd, "C " + lastCode + "\n");
            }
            lastCode = o.registration.code;
            lastPhone = r.phone;
        }
    } catch (...) {
        _exit(kExitOther);
    }
    _exit(0);
}

}  // namespace

TEST_CASE("a registering process killed with SIGKILL loses nothing it acknowledged") {
    test::TempDir dir;
    const auto path = dir / "kiosk.sqlite";
    {
        Database db(path);
        test::seedEvent(db, "e1");
        test::SeedSession small;
        small.id = "small";
        small.capacity = 5;
        test::seedSession(db, small);
        test::SeedSession open;
        open.id = "open";
        open.capacity = std::nullopt;
        test::seedSession(db, open);
    }
    const unsigned seed = std::random_device{}();
    INFO("random seed " << seed);
    std::mt19937 random(seed);
    std::uniform_int_distribution<int> delayMs(1, 120);

    std::set<std::string> registered, cancelled;
    const auto start = std::chrono::steady_clock::now();
    int rounds = 0;
    while (rounds < 60 && std::chrono::steady_clock::now() - start < std::chrono::seconds(12)) {
        ++rounds;
        int fds[2];
        REQUIRE(pipe(fds) == 0);
        pid_t pid = fork();
        REQUIRE(pid >= 0);
        if (pid == 0) {
            close(fds[0]);
            registerUntilKilled(path, fds[1], rounds);
        }
        close(fds[1]);
        std::this_thread::sleep_for(std::chrono::milliseconds(delayMs(random)));
        kill(pid, SIGKILL);
        std::string acks = readAll(fds[0]);
        close(fds[0]);
        int exit = waitExitCode(pid);
        INFO("round " << rounds);
        REQUIRE(exit == -SIGKILL);  // not an early failure of the child

        std::istringstream lines(acks);
        std::string line;
        while (std::getline(lines, line)) {
            if (line.size() < 3) continue;
            (line[0] == 'R' ? registered : cancelled).insert(line.substr(2));
        }

        Database db(path);  // recovers the WAL as the kiosk would after a crash
        auto& check = db.prepare("PRAGMA integrity_check");
        REQUIRE(check.step());
        REQUIRE(check.getText(0) == "ok");
        check.reset();
        // Every acknowledged registration is there, every acknowledged cancellation holds. A
        // cancellation may also have committed just before the kill, unacknowledged: at most
        // one per round.
        int unacknowledgedCancels = 0;
        for (const std::string& code : registered) {
            auto& st = db.prepare("SELECT status FROM registration WHERE code = ?").bindAll(code);
            INFO("code " << code);
            REQUIRE(st.step());
            bool isCancelled = st.getText(0) == "cancelled";
            st.reset();
            if (cancelled.count(code))
                CHECK(isCancelled);
            else if (isCancelled)
                ++unacknowledgedCancels;
        }
        CHECK(unacknowledgedCancels <= rounds);
        // Every registration and cancellation has its outbox row, none more.
        CHECK(test::scalar(db, "SELECT count(*) FROM registration") ==
              test::scalar(db, "SELECT count(*) FROM outbox WHERE kind = 'register'"));
        CHECK(test::scalar(db, "SELECT count(*) FROM registration WHERE status = 'cancelled'") ==
              test::scalar(db, "SELECT count(*) FROM outbox WHERE kind = 'cancel'"));
        CHECK(test::scalar(db,
                           "SELECT count(*) FROM registration WHERE session_id = 'small' "
                           "AND status = 'confirmed'") <= 5);
    }
    INFO(rounds << " rounds, " << registered.size() << " acknowledged registrations");
    CHECK(rounds >= 10);
    CHECK(registered.size() >= 50);
}
