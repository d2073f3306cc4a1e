// tests/walkthrough/kiosk_process.cpp - fadaa-kiosk as a child process, PNGs, X11 pokes.
#include "kiosk_process.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

#include <stb_image.h>
#include <catch2/catch.hpp>

// Last: Xlib defines macros (None, Always, Bool, ...) that break headers included after it.
#include <X11/Xlib.h>
#include <X11/Xutil.h>
#include <X11/keysym.h>

namespace fadaa::test {

void useFixtureDisplay() {
    const std::filesystem::path file = std::filesystem::path(FADAA_XVFB_DIR) / "display";
    std::string display;
    std::ifstream(file) >> display;
    INFO("display file " << file << " (CTest fixture xvfb: tests/services/xvfb.sh)");
    REQUIRE(!display.empty());
    setenv("DISPLAY", display.c_str(), 1);
}

std::filesystem::path kioskBinary() {
    return FADAA_KIOSK_BIN;
}

ProcessResult runKiosk(const std::vector<std::string>& args) {
    std::vector<std::string> argv{kioskBinary().string()};
    argv.insert(argv.end(), args.begin(), args.end());
    return runProcess(argv);
}

BackgroundKiosk::BackgroundKiosk(const std::vector<std::string>& args,
                                 const std::filesystem::path& stderrFile) {
    std::vector<std::string> argv{kioskBinary().string()};
    argv.insert(argv.end(), args.begin(), args.end());
    const int err = open(stderrFile.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (err < 0) throw std::runtime_error("cannot create " + stderrFile.string());
    m_pid = fork();
    if (m_pid == 0) {
        dup2(err, 2);
        const int devNull = open("/dev/null", O_RDWR);
        dup2(devNull, 0);
        dup2(devNull, 1);
        std::vector<char*> raw;
        for (auto& a : argv) raw.push_back(a.data());
        raw.push_back(nullptr);
        execv(raw[0], raw.data());
        _exit(127);
    }
    close(err);
    if (m_pid < 0) throw std::runtime_error("fork failed");
}

BackgroundKiosk::~BackgroundKiosk() {
    if (m_pid > 0) stop(SIGKILL, std::chrono::seconds(5));
}

int BackgroundKiosk::stop(int signal, std::chrono::milliseconds limit) {
    if (m_pid <= 0) return -1;
    kill(m_pid, signal);
    const auto deadline = std::chrono::steady_clock::now() + limit;
    int status = 0;
    while (waitpid(m_pid, &status, WNOHANG) == 0) {
        if (std::chrono::steady_clock::now() > deadline) {
            kill(m_pid, SIGKILL);
            waitpid(m_pid, &status, 0);
            m_pid = -1;
            return -1;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    m_pid = -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

bool Png::flat() const {
    for (std::size_t i = 4; i + 3 < rgba.size(); i += 4)
        if (std::memcmp(&rgba[i], &rgba[0], 4) != 0) return false;
    return true;
}

std::uint64_t Png::digest() const {
    std::uint64_t hash = 1469598103934665603ull;
    for (std::uint8_t byte : rgba) hash = (hash ^ byte) * 1099511628211ull;
    return hash;
}

Png loadPng(const std::filesystem::path& file) {
    int w = 0, h = 0, channels = 0;
    stbi_uc* pixels = stbi_load(file.c_str(), &w, &h, &channels, 4);
    if (!pixels) throw std::runtime_error("cannot decode PNG " + file.string());
    Png png{w, h, std::vector<std::uint8_t>(pixels, pixels + static_cast<std::size_t>(w) * h * 4)};
    stbi_image_free(pixels);
    return png;
}

std::vector<std::string> screenshotNames(const std::filesystem::path& script) {
    std::ifstream in(script);
    std::vector<std::string> names;
    std::string command, name;
    for (std::string line; std::getline(in, line);) {
        std::istringstream words(line);
        if (words >> command >> name && command == "screenshot") names.push_back(name);
    }
    return names;
}

namespace {

Window findWindow(Display* display, Window parent, const std::string& title) {
    Window root = 0, parentOut = 0, *children = nullptr;
    unsigned count = 0;
    if (!XQueryTree(display, parent, &root, &parentOut, &children, &count)) return 0;
    Window found = 0;
    for (unsigned i = 0; i < count && !found; ++i) {
        char* name = nullptr;
        if (XFetchName(display, children[i], &name) && name) {
            if (title == name) found = children[i];
            XFree(name);
        }
        if (!found) found = findWindow(display, children[i], title);
    }
    if (children) XFree(children);
    return found;
}

void sendKey(Display* display, Window window, KeySym key, unsigned modifiers) {
    XEvent event{};
    event.xkey.display = display;
    event.xkey.window = window;
    event.xkey.root = DefaultRootWindow(display);
    event.xkey.same_screen = True;
    event.xkey.state = modifiers;
    event.xkey.keycode = XKeysymToKeycode(display, key);
    event.xkey.time = CurrentTime;
    for (int type : {KeyPress, KeyRelease}) {
        event.type = type;
        XSendEvent(display, window, True, type == KeyPress ? KeyPressMask : KeyReleaseMask, &event);
    }
}

// Other tests' windows come and go on the shared display while we walk the tree; Xlib's
// default handler would end the test process on the BadWindow that follows.
int ignoreXError(Display*, XErrorEvent*) {
    return 0;
}

}  // namespace

bool sendCloseAndKeys(const std::string& title, std::chrono::milliseconds limit) {
    Display* display = XOpenDisplay(nullptr);
    if (!display) return false;
    const auto previousHandler = XSetErrorHandler(ignoreXError);
    const auto deadline = std::chrono::steady_clock::now() + limit;
    Window window = 0;
    while (!(window = findWindow(display, DefaultRootWindow(display), title)) &&
           std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    if (window) {
        sendKey(display, window, XK_Escape, 0);
        sendKey(display, window, XK_F4, Mod1Mask);
        sendKey(display, window, XK_q, ControlMask);
        XEvent close{};
        close.xclient.type = ClientMessage;
        close.xclient.window = window;
        close.xclient.message_type = XInternAtom(display, "WM_PROTOCOLS", False);
        close.xclient.format = 32;
        close.xclient.data.l[0] =
            static_cast<long>(XInternAtom(display, "WM_DELETE_WINDOW", False));
        close.xclient.data.l[1] = CurrentTime;
        XSendEvent(display, window, False, NoEventMask, &close);
        XSync(display, False);
    }
    XCloseDisplay(display);
    XSetErrorHandler(previousHandler);
    return window != 0;
}

}  // namespace fadaa::test
