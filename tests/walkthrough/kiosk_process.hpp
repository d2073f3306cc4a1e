// tests/walkthrough/kiosk_process.hpp - running fadaa-kiosk on the test display.
//
// The display comes from the `xvfb` CTest fixture (tests/services/xvfb.sh writes its name to
// FADAA_XVFB_DIR/display). Helpers to run the kiosk to completion, to run it in the background
// and stop it with a signal, to read its PNG screenshots, and to poke its window through X11
// the way a window manager or a keyboard would.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "support/test_support.hpp"

namespace fadaa::test {

// Sets DISPLAY for this process (and so for every kiosk it starts) from the fixture; fails the
// test when the fixture is not running.
void useFixtureDisplay();

std::filesystem::path kioskBinary();

// Runs fadaa-kiosk with args to completion (DISPLAY from the fixture).
ProcessResult runKiosk(const std::vector<std::string>& args);

// A kiosk running in the background; its stderr goes to a file. Destruction kills it.
class BackgroundKiosk {
public:
    explicit BackgroundKiosk(const std::vector<std::string>& args,
                             const std::filesystem::path& stderrFile);
    ~BackgroundKiosk();
    BackgroundKiosk(const BackgroundKiosk&) = delete;
    BackgroundKiosk& operator=(const BackgroundKiosk&) = delete;

    // Sends signal and waits (at most `limit`) for the exit; returns the exit code, or -1 if
    // it died from a signal or did not exit in time (then it is killed).
    int stop(int signal, std::chrono::milliseconds limit = std::chrono::seconds(10));
    pid_t pid() const { return m_pid; }

private:
    pid_t m_pid = -1;
};

// A decoded PNG, RGBA.
struct Png {
    int width = 0, height = 0;
    std::vector<std::uint8_t> rgba;
    bool flat() const;             // one colour everywhere
    std::uint64_t digest() const;  // FNV-1a of the pixels, to tell frames apart
};
Png loadPng(const std::filesystem::path& file);  // throws naming the file

// The `screenshot NAME` steps of a walkthrough script, in order.
std::vector<std::string> screenshotNames(const std::filesystem::path& script);

// X11: waits up to `limit` for a top-level window titled `title` on the fixture display, then
// sends it what a window manager's close (WM_DELETE_WINDOW), Escape and Alt+F4 send. Returns
// false if no such window appeared.
bool sendCloseAndKeys(const std::string& title, std::chrono::milliseconds limit);

}  // namespace fadaa::test
