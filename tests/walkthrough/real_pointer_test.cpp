// tests/walkthrough/real_pointer_test.cpp - real X pointer events through the kiosk's own
// interactive loop (no script): XTest moves, presses and releases the pointer on the Xvfb
// display, as a touch screen's driver would, and the kiosk must change language and open a
// category. Where to tap comes from the same KioskApp laid out headless at the display's size;
// what happened is read from the kiosk's --verbose log and from the screen's pixels.
#include <signal.h>

#include <catch2/catch.hpp>

#include <imgui.h>

#include <cfloat>
#include <cmath>
#include <memory>
#include <optional>
#include <thread>

#include "kiosk_process.hpp"
#include "ui/kiosk_app.hpp"

// Last: Xlib defines macros (None, Bool, ...) that break headers included after it.
#include <X11/Xlib.h>
#include <X11/Xutil.h>
#include <X11/extensions/XTest.h>

using namespace fadaa;
using namespace fadaa::test;
namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

// The kiosk's screens headless at the display's size, on their own demo store: the layout is
// a function of the display size, so its hits are where the real window draws them.
class Layout {
public:
    Layout(const fs::path& db, ImVec2 display) : m_ctx(ImGui::CreateContext()) {
        ImGui::SetCurrentContext(m_ctx);
        ImGui::GetIO().DisplaySize = display;
        kiosk::KioskConfig config;
        config.language = "ar";
        m_app = std::make_unique<kiosk::KioskApp>(db, config, true);
        m_app->setupFonts(1.0f);
        unsigned char* px = nullptr;
        int w = 0, h = 0;
        ImGui::GetIO().Fonts->GetTexDataAsRGBA32(&px, &w, &h);
        frame(false, {-FLT_MAX, -FLT_MAX});
    }
    ~Layout() {
        m_app.reset();
        ImGui::DestroyContext(m_ctx);
    }
    std::optional<ImVec2> centreOf(const std::string& idPrefix) const {
        for (const kiosk::Hit& h : m_app->hits())
            if (h.id.rfind(idPrefix, 0) == 0)
                return ImVec2{(h.min.x + h.max.x) * 0.5f, (h.min.y + h.max.y) * 0.5f};
        return std::nullopt;
    }
    void tap(ImVec2 p) {
        frame(true, p);
        frame(false, p);
        frame(false, {-FLT_MAX, -FLT_MAX});
    }
    kiosk::KioskApp& app() { return *m_app; }

private:
    ImGuiContext* m_ctx;
    std::unique_ptr<kiosk::KioskApp> m_app;
    double m_now = 10.0;
    void frame(bool down, ImVec2 pos) {
        ImGui::SetCurrentContext(m_ctx);
        ImGuiIO& io = ImGui::GetIO();
        io.DeltaTime = 1.0f / 60.0f;
        io.MousePos = pos;
        io.MouseDown[0] = down;
        ImGui::NewFrame();
        m_app->frame(m_now += 1.0 / 60.0);
        ImGui::Render();
    }
};

// The X display with XTest, and the screen as pixels.
class XDisplay {
public:
    XDisplay() : m_display(XOpenDisplay(nullptr)) {}
    ~XDisplay() {
        if (m_display) XCloseDisplay(m_display);
    }
    bool ok() const {
        int event = 0, error = 0, major = 0, minor = 0;
        return m_display && XTestQueryExtension(m_display, &event, &error, &major, &minor);
    }
    ImVec2 size() const {
        return {static_cast<float>(DisplayWidth(m_display, DefaultScreen(m_display))),
                static_cast<float>(DisplayHeight(m_display, DefaultScreen(m_display)))};
    }
    // A finger: moves there, touches, lifts 80 ms later (two separate events the loop sees).
    void tap(ImVec2 p) {
        const int x = static_cast<int>(std::lround(p.x)), y = static_cast<int>(std::lround(p.y));
        XTestFakeMotionEvent(m_display, DefaultScreen(m_display), x, y, CurrentTime);
        XSync(m_display, False);
        std::this_thread::sleep_for(std::chrono::milliseconds(80));
        XTestFakeButtonEvent(m_display, 1, True, CurrentTime);
        XSync(m_display, False);
        std::this_thread::sleep_for(std::chrono::milliseconds(80));
        XTestFakeButtonEvent(m_display, 1, False, CurrentTime);
        XSync(m_display, False);
    }
    // The root window's pixels (what the fullscreen kiosk shows), 0xRRGGBB each.
    std::vector<unsigned long> capture() const {
        const ImVec2 s = size();
        const unsigned w = static_cast<unsigned>(s.x), h = static_cast<unsigned>(s.y);
        XImage* image =
            XGetImage(m_display, DefaultRootWindow(m_display), 0, 0, w, h, AllPlanes, ZPixmap);
        std::vector<unsigned long> pixels;
        if (!image) return pixels;
        pixels.reserve(static_cast<size_t>(w) * h);
        for (unsigned y = 0; y < h; ++y)
            for (unsigned x = 0; x < w; ++x)
                pixels.push_back(XGetPixel(image, static_cast<int>(x), static_cast<int>(y)) &
                                 0xFFFFFF);
        XDestroyImage(image);
        return pixels;
    }

private:
    Display* m_display;
};

double differingShare(const std::vector<unsigned long>& a, const std::vector<unsigned long>& b) {
    if (a.size() != b.size() || a.empty()) return 1.0;
    size_t differ = 0;
    for (size_t i = 0; i < a.size(); ++i) differ += a[i] != b[i];
    return static_cast<double>(differ) / static_cast<double>(a.size());
}

// Waits (at most `limit`) for `text` in the kiosk's stderr.
bool waitForLog(const fs::path& errFile, const std::string& text, std::chrono::milliseconds limit) {
    const auto deadline = Clock::now() + limit;
    while (Clock::now() < deadline) {
        if (readFile(errFile).find(text) != std::string::npos) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return false;
}

// Waits until two captures 300 ms apart are the same and not all one colour: the kiosk has
// drawn and is idle.
std::vector<unsigned long> settledScreen(const XDisplay& x, std::chrono::milliseconds limit) {
    const auto deadline = Clock::now() + limit;
    std::vector<unsigned long> last = x.capture();
    while (Clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(300));
        std::vector<unsigned long> now = x.capture();
        bool flat = true;
        for (unsigned long p : now) flat = flat && p == now.front();
        if (!flat && now == last) return now;
        last = std::move(now);
    }
    return {};
}

}  // namespace

TEST_CASE("real pointer events: a tap on a language button and on a category tile") {
    useFixtureDisplay();
    XDisplay x;
    REQUIRE(x.ok());  // the fixture's Xvfb has XTEST
    TempDir dir;
    const ImVec2 display = x.size();

    // The fullscreen kiosk in Arabic, no script: the interactive loop reads the X pointer.
    const fs::path errFile = dir / "err.txt";
    BackgroundKiosk kiosk(
        {"--db", (dir / "kiosk.sqlite").string(), "--demo", "--lang", "ar", "--verbose"}, errFile);
    Layout layout(dir / "layout.sqlite", display);
    REQUIRE(layout.app().currentScreen() == "home");
    const std::optional<ImVec2> french = layout.centreOf("home.lang.fr");
    REQUIRE(french);

    const std::vector<unsigned long> arabicHome = settledScreen(x, std::chrono::seconds(6));
    INFO(readFile(errFile));
    REQUIRE_FALSE(arabicHome.empty());

    x.tap(*french);
    CHECK(waitForLog(errFile, "kiosk: screen home language fr", std::chrono::seconds(3)));
    const std::vector<unsigned long> frenchHome = settledScreen(x, std::chrono::seconds(3));
    REQUIRE_FALSE(frenchHome.empty());
    // The whole screen turned over (mirrored layout, other words), not a pressed-button shade.
    CHECK(differingShare(arabicHome, frenchHome) > 0.05);

    // A category tile where the French home screen draws it.
    layout.tap(*french);
    REQUIRE(layout.app().language() == "fr");
    const std::optional<ImVec2> tile = layout.centreOf("home.category.");
    REQUIRE(tile);
    x.tap(*tile);
    CHECK(waitForLog(errFile, "kiosk: screen browse language fr", std::chrono::seconds(3)));
    const std::vector<unsigned long> browse = settledScreen(x, std::chrono::seconds(3));
    CHECK(differingShare(frenchHome, browse) > 0.05);

    CHECK(kiosk.stop(SIGTERM) == 0);
}
