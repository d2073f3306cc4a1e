// tests/walkthrough/walkthrough_test.cpp - the real kiosk window on Xvfb: one scripted
// walkthrough per language (home -> browse -> search -> detail -> register -> confirmation ->
// my registration), the script runner's failures, the kiosk lock and render-on-demand.
#include <signal.h>

#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <thread>

#include <catch2/catch.hpp>

#include "kiosk_process.hpp"

using namespace fadaa::test;
namespace fs = std::filesystem;

namespace {

fs::path walkthroughScript(const std::string& lang) {
    return assetsDir() / "walkthrough" / (lang + ".txt");
}

// Runs the language's walkthrough fullscreen (kiosk mode) on a fresh store the kiosk seeds
// with the demo catalogue (--demo) and checks every screenshot the script names: present, the
// screen's size, not one flat colour, and different from the others (each step changed what
// residents see).
void checkWalkthrough(const std::string& lang) {
    useFixtureDisplay();
    TempDir dir;
    const fs::path script = walkthroughScript(lang);
    REQUIRE(fs::exists(script));
    const auto names = screenshotNames(script);
    REQUIRE(names.size() >= 5);

    const ProcessResult run =
        runKiosk({"--db", (dir / "kiosk.sqlite").string(), "--demo", "--lang", lang, "--script",
                  script.string(), "--screenshot-dir", (dir / "shots").string()});
    INFO("stdout: " << run.out);
    INFO("stderr: " << run.err);
    REQUIRE(run.exitCode == 0);

    std::map<std::uint64_t, std::string> seen;
    for (const std::string& name : names) {
        const fs::path file = dir / "shots" / (name + ".png");
        INFO("screenshot " << file);
        REQUIRE(fs::exists(file));
        const Png png = loadPng(file);
        CHECK(png.width == 1920);  // the fixture's screen, filled by the fullscreen kiosk
        CHECK(png.height == 1080);
        CHECK_FALSE(png.flat());
        const auto [previous, fresh] = seen.emplace(png.digest(), name);
        INFO("identical to " << previous->second);
        CHECK(fresh);
    }
}

std::string writeScript(const TempDir& dir, const std::string& name, const std::string& body) {
    writeFile(dir / name, body);
    return (dir / name).string();
}

}  // namespace

TEST_CASE("the Arabic walkthrough reaches every screen and draws each one") {
    checkWalkthrough("ar");
}
TEST_CASE("the French walkthrough reaches every screen and draws each one") {
    checkWalkthrough("fr");
}
TEST_CASE("the English walkthrough reaches every screen and draws each one") {
    checkWalkthrough("en");
}
TEST_CASE("the Tamazight walkthrough reaches every screen and draws each one") {
    checkWalkthrough("zgh");
}

TEST_CASE("a step that cannot complete fails the run, names the step and keeps a screenshot") {
    useFixtureDisplay();
    TempDir dir;
    const auto script = writeScript(dir, "broken.txt",
                                    "timeout 400\n"
                                    "expect-screen home\n"
                                    "remember french home.lang.fr\n"
                                    "tap-label \"${french}\"\n"
                                    "screenshot before\n"
                                    "tap no.such.button\n"
                                    "screenshot never\n");
    const ProcessResult run =
        runKiosk({"--windowed", "1024x768", "--db", (dir / "k.sqlite").string(), "--script", script,
                  "--screenshot-dir", (dir / "shots").string()});
    INFO(run.err);
    CHECK(run.exitCode != 0);
    CHECK(run.err.find("broken.txt:6") != std::string::npos);
    CHECK(run.err.find("tap no.such.button") != std::string::npos);
    CHECK(run.err.find("screen 'home'") != std::string::npos);
    CHECK(fs::exists(dir / "shots" / "before.png"));
    CHECK(fs::exists(dir / "shots" / "FAILED-line6.png"));
    CHECK_FALSE(fs::exists(dir / "shots" / "never.png"));
    CHECK(loadPng(dir / "shots" / "before.png").width == 1024);
}

TEST_CASE("a screen that is never reached fails the run") {
    useFixtureDisplay();
    TempDir dir;
    const auto script = writeScript(dir, "lost.txt", "timeout 300\nexpect-screen no-such-screen\n");
    const ProcessResult run =
        runKiosk({"--windowed", "800x600", "--db", (dir / "k.sqlite").string(), "--script", script,
                  "--screenshot-dir", (dir / "shots").string()});
    INFO(run.err);
    CHECK(run.exitCode != 0);
    CHECK(run.err.find("lost.txt:2: expect-screen no-such-screen: screen not reached") !=
          std::string::npos);
}

TEST_CASE("a malformed script is refused with its file and line, before any window opens") {
    TempDir dir;
    const std::map<std::string, std::string> cases = {
        {"tap-label \"Échecs\n", "missing closing quote"},
        {"wait soon\n", "expected milliseconds"},
        {"screenshot ../escape\n", "screenshot name"},
        {"drag 10,10\n", "two points"},
        {"tap\n", "needs an argument"},
        {"dance home\n", "unknown command 'dance'"},
        {"type ${code}\n", "${code} is used before any 'remember code ID'"},
        {"remember 9lives home.lang.fr\n", "remember needs a NAME and a hit ID"},
    };
    for (const auto& [line, message] : cases) {
        const auto script = writeScript(dir, "bad.txt", "# a comment\n\n" + line);
        // No DISPLAY needed: the script is read first.
        const ProcessResult run = runKiosk(
            {"--windowed", "800x600", "--db", (dir / "k.sqlite").string(), "--script", script});
        INFO(line << " -> " << run.err);
        CHECK(run.exitCode != 0);
        CHECK(run.err.find("bad.txt:3") != std::string::npos);
        CHECK(run.err.find(message) != std::string::npos);
    }
    CHECK_FALSE(fs::exists(dir / "k.sqlite"));
}

TEST_CASE("kiosk mode ignores window close, Escape and Alt+F4 but a development window closes") {
    useFixtureDisplay();
    TempDir dir;
    const auto script =
        writeScript(dir, "stay.txt", "wait 1500\nexpect-screen home\nscreenshot still-here\n");
    for (const bool kioskMode : {true, false}) {
        const std::string title =
            "fadaa-lock-test-" + std::to_string(getpid()) + (kioskMode ? "-kiosk" : "-windowed");
        writeFile(dir / "kiosk.toml", "kiosk_name = \"" + title + "\"\n");
        std::vector<std::string> args = {"--db",
                                         (dir / "k.sqlite").string(),
                                         "--config",
                                         (dir / "kiosk.toml").string(),
                                         "--script",
                                         script,
                                         "--screenshot-dir",
                                         (dir / "shots").string()};
        if (!kioskMode) args.insert(args.begin(), {"--windowed", "800x600"});
        ProcessResult run;
        std::thread kiosk([&] { run = runKiosk(args); });
        const bool found = sendCloseAndKeys(title, std::chrono::seconds(20));
        kiosk.join();
        INFO((kioskMode ? "kiosk mode: " : "windowed: ") << run.err);
        REQUIRE(found);
        if (kioskMode) {
            CHECK(run.exitCode == 0);
            CHECK(fs::exists(dir / "shots" / "still-here.png"));
        } else {
            CHECK(run.exitCode != 0);
            CHECK(run.err.find("the window was closed") != std::string::npos);
        }
    }
}

// The "frames-so-far: frames=N" reports (SIGUSR2) in a kiosk's stderr, in order.
std::vector<long long> frameReports(const fs::path& errFile) {
    static const std::regex line(R"(frames-so-far: frames=(\d+))");
    const std::string err = readFile(errFile);
    std::vector<long long> reports;
    for (auto it = std::sregex_iterator(err.begin(), err.end(), line); it != std::sregex_iterator();
         ++it)
        reports.push_back(std::stoll((*it)[1]));
    return reports;
}

// Whether process `pid` blocks SIGUSR2 yet (its signal watcher is set up): before that the
// signal's default action would end it.
bool blocksSigusr2(pid_t pid) {
    std::istringstream status(readFile("/proc/" + std::to_string(pid) + "/status"));
    for (std::string line; std::getline(status, line);)
        if (line.rfind("SigBlk:", 0) == 0)
            return (std::stoull(line.substr(7), nullptr, 16) >> (SIGUSR2 - 1)) & 1;
    return false;
}

// The frames a running kiosk has run so far: asks with SIGUSR2 and waits for its report.
// -1 if it cannot be asked yet or no report came within 5 s.
long long framesSoFar(const BackgroundKiosk& kiosk, const fs::path& errFile) {
    if (!blocksSigusr2(kiosk.pid())) return -1;
    const std::size_t before = frameReports(errFile).size();
    ::kill(kiosk.pid(), SIGUSR2);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (std::chrono::steady_clock::now() < deadline) {
        const std::vector<long long> reports = frameReports(errFile);
        if (reports.size() > before) return reports.back();
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return -1;
}

TEST_CASE("an idle kiosk draws no frames and stops cleanly on SIGTERM") {
    useFixtureDisplay();
    TempDir dir;
    // Fullscreen kiosk mode with the example settings, as deployed.
    const fs::path config = sourceDir() / "packaging" / "kiosk" / "kiosk.example.toml";
    const fs::path errFile = dir / "err.txt";
    BackgroundKiosk kiosk(
        {"--db", (dir / "k.sqlite").string(), "--config", config.string(), "--stats"}, errFile);
    // Start-up (mapping, focus, the first layouts) draws a handful of frames, sooner or later
    // on a loaded machine: wait until the count has been still for 1.5 s (at most 30 s).
    long long settled = -1;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    for (long long last = -2; std::chrono::steady_clock::now() < deadline;) {
        std::this_thread::sleep_for(std::chrono::milliseconds(1500));
        const long long now = framesSoFar(kiosk, errFile);
        if (now > 0 && now == last) {
            settled = now;
            break;
        }
        last = now;
    }
    INFO(readFile(errFile));
    REQUIRE(settled > 0);
    // Idle: nothing on screen changes, so no frame at all in the next three seconds (a loop
    // that drew continuously would draw hundreds).
    std::this_thread::sleep_for(std::chrono::seconds(3));
    CHECK(framesSoFar(kiosk, errFile) == settled);

    const int exitCode = kiosk.stop(SIGTERM);
    const std::string err = readFile(errFile);
    INFO(err);
    CHECK(exitCode == 0);
    std::smatch m;
    REQUIRE(std::regex_search(err, m, std::regex(R"(stats: frames=(\d+))")));
    CHECK(std::stoll(m[1]) == settled);  // SIGTERM wakes the loop, which ends without a frame
}
