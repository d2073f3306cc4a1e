// app/kiosk/kiosk_window.hpp - the kiosk's GLFW window, GL context, ImGui backends and the
// render-on-demand event loop.
//
// KioskWindow is the only place that touches GLFW and OpenGL. It renders a frame only when
// something changed: input, a timer or animation the app asks for (KioskApp::nextWakeup), or a
// wake-up a worker thread posted; after each input event it draws a few extra frames because
// ImGui popups and auto-sized windows settle over two or three frames. Idle, it blocks in
// glfwWaitEvents: zero frames, near-zero CPU.
//
// Kiosk mode (the default) is fullscreen on the primary monitor with the cursor hidden, and
// nothing a resident does closes it: keys are not passed to ImGui at all (the UI has its own
// on-screen keyboard) and the window-close request (Alt+F4, a window manager's close) is
// refused. Touch screens on X11 arrive as pointer events; after a release the ImGui pointer
// is parked off-screen so no hover highlight stays lit under a lifted finger.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include <imgui.h>

#include "screenshot.hpp"

struct GLFWwindow;

namespace fadaa::kiosk {

class KioskApp;

struct WindowOptions {
    bool kioskMode = true;  // fullscreen on the primary monitor, cursor hidden, close refused
    int width = 1280;       // client size when !kioskMode
    int height = 800;
    std::string title = "Fadaa";
};

// The pointer for one frame when a script drives the UI instead of the real mouse/touch.
struct PointerState {
    ImVec2 pos{-FLT_MAX, -FLT_MAX};  // -FLT_MAX = nowhere (no hover)
    bool down = false;
};

// Counters the benchmark and --stats print.
struct FrameStats {
    // Atomic so that another thread (SIGUSR2's report) may read them while the loop runs.
    std::atomic<std::int64_t> frames{0};       // UI frames run
    std::atomic<std::int64_t> drawnFrames{0};  // of which drawn and swapped
    double uiCpuSeconds = 0;                   // this thread's CPU in NewFrame + app.frame + Render
    double uiCpuMaxSeconds = 0;                // the slowest frame's share of the above
    double drawCpuSeconds = 0;                 // this thread's CPU in the GL backend and the swap
    std::optional<std::chrono::steady_clock::time_point> firstFrame;  // first swap
};

class KioskWindow {
public:
    // Work done while the window opens: builds what the first frame needs that does not need
    // GL (the app, its font atlas), given the monitor's content scale (1 on a 96 dpi screen).
    using Prepare = std::function<void(float contentScale)>;

    // Initialises GLFW and the ImGui context (no imgui.ini), then opens the window with an
    // OpenGL 3.2 core context (falling back to 3.0 for drivers without core profiles) while
    // `prepare` runs on a helper thread, and starts the GLFW + OpenGL3 backends. Throws
    // std::runtime_error with GLFW's reason when there is no display or no usable GL, and
    // rethrows what `prepare` threw.
    explicit KioskWindow(const WindowOptions& options, const Prepare& prepare = {});
    ~KioskWindow();
    KioskWindow(const KioskWindow&) = delete;
    KioskWindow& operator=(const KioskWindow&) = delete;

    float contentScale() const { return m_contentScale; }

    // Connects app to the window: worker wake-ups post an empty GLFW event. Call before the
    // first frame, after app.setupFonts().
    void attach(KioskApp& app);

    // Runs the render-on-demand loop until the window is closed (only possible outside kiosk
    // mode) or `stop` becomes true (a signal; whoever sets it calls wake()). A frame that
    // throws is logged and the ImGui state recovered; after many failures in a row the
    // exception is rethrown so the service manager restarts the kiosk.
    void run(KioskApp& app, const std::atomic<bool>& stop);

    // Runs one frame of `app` and draws it. With `pointer`, that pointer replaces the real one
    // (scripts); with `capture`, the finished frame is read back before the swap. With `draw`
    // false the frame runs the UI (input, layout, hits) but skips the GL work and the swap:
    // scripts draw only what they capture, plus a frame now and then for anyone watching.
    void renderFrame(KioskApp& app, const PointerState* pointer = nullptr, Image* capture = nullptr,
                     bool draw = true);

    // Processes pending events, waiting at most `seconds` (infinity: until one arrives).
    void waitEvents(double seconds);

    // Thread-safe: makes a waiting waitEvents()/run() return.
    static void wake();

    // True once the window was asked to close and agreed (never in kiosk mode).
    bool closeRequested() const;

    ImVec2 displaySize() const;  // in ImGui coordinates (what Hit rectangles use)
    const FrameStats& stats() const { return m_stats; }

    // How many frames are drawn after an input event without further input.
    static constexpr int kSettleFrames = 3;

private:
    static KioskWindow* self(GLFWwindow* window);
    void installCallbacks();
    const char* openWindow();  // returns the GLSL version line for the context it made
    void release();            // undoes the constructor; safe to call twice
    // After the first frame uploaded the font atlas: one channel on the GPU, no CPU copy.
    void slimFontTexture();
    void noteInput() { m_inputSeen = true; }

    WindowOptions m_options;
    bool m_glfwReady = false;
    float m_contentScale = 1.0f;
    int m_glVersion = 0;  // of the context made, e.g. 45 for 4.5
    GLFWwindow* m_window = nullptr;
    ImGuiContext* m_imgui = nullptr;
    bool m_backendGlfw = false;
    bool m_backendGl = false;
    bool m_inputSeen = false;
    bool m_pointerWasDown = false;
    FrameStats m_stats;
};

}  // namespace fadaa::kiosk
