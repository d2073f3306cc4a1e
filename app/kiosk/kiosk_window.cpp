// app/kiosk/kiosk_window.cpp - GLFW window, GL context, ImGui backends, render-on-demand loop.
#include "kiosk_window.hpp"

#include <malloc.h>
#include <time.h>

#include <cmath>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>

#define GLFW_INCLUDE_NONE
#include <GL/gl.h>
#include <GLFW/glfw3.h>
#include <backends/imgui_impl_glfw.h>
#include <backends/imgui_impl_opengl3.h>
#include <imgui_internal.h>  // ErrorCheckEndFrameRecover, to survive a frame that throws
#include <spdlog/spdlog.h>

#include "ui/kiosk_app.hpp"

namespace fadaa::kiosk {
namespace {

// GLFW reports errors through a callback, from whichever thread hit them (a worker's wake-up
// included); the constructor quotes the last one in its exception.
std::mutex g_glfwErrorMutex;
std::string g_lastGlfwError;

void onGlfwError(int code, const char* description) {
    const std::string text = description ? description : "unknown error";
    spdlog::warn("GLFW error {:#x}: {}", code, text);
    std::lock_guard lock(g_glfwErrorMutex);
    g_lastGlfwError = text;
}

std::string lastGlfwError() {
    std::lock_guard lock(g_glfwErrorMutex);
    return g_lastGlfwError;
}

double threadCpuSeconds() {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

void logRecovery(void*, const char* fmt, ...) {
    char message[512];
    va_list args;
    va_start(args, fmt);
    vsnprintf(message, sizeof message, fmt, args);
    va_end(args);
    spdlog::warn("imgui recovery: {}", message);
}

// A frame that throws this many times in a row is not a passing fault: give up so the service
// manager restarts the kiosk from a clean state.
constexpr int kMaxFailedFramesInRow = 50;

struct GlAttempt {
    int major, minor;
    bool core;
    const char* glsl;
};

// Core 3.2 with GLSL 150 is what Mesa (llvmpipe included) and current drivers give; 3.0 with
// GLSL 130 covers older drivers without core profiles.
constexpr GlAttempt kGlAttempts[] = {{3, 2, true, "#version 150"}, {3, 0, false, "#version 130"}};

}  // namespace

KioskWindow::KioskWindow(const WindowOptions& options, const Prepare& prepare)
    : m_options(options) {
    glfwSetErrorCallback(onGlfwError);
    if (!glfwInit())
        throw std::runtime_error("cannot open the display (" + lastGlfwError() +
                                 "); is DISPLAY set?");
    m_glfwReady = true;
    if (GLFWmonitor* primary = glfwGetPrimaryMonitor()) {
        float x = 1, y = 1;
        glfwGetMonitorContentScale(primary, &x, &y);
        if (x > 0) m_contentScale = x;
    }

    IMGUI_CHECKVERSION();
    m_imgui = ImGui::CreateContext();
    ImGuiIO& io = ImGui::GetIO();
    io.IniFilename = nullptr;  // a kiosk keeps no window layout between runs
    io.LogFilename = nullptr;
    // The backend would otherwise show the cursor again whenever ImGui asks for an arrow.
    io.ConfigFlags |= ImGuiConfigFlags_NoMouseCursorChange;

    // Opening the window and its GL context (~0.2 s) and building the font atlas (~0.3 s) are
    // independent: do them at once. Only the helper touches ImGui until it is joined.
    std::exception_ptr prepareError;
    std::thread helper([&] {
        try {
            if (prepare) prepare(m_contentScale);
            // The OpenGL3 backend uploads RGBA32; converting here takes it off the first frame.
            unsigned char* pixels = nullptr;
            int width = 0, height = 0;
            ImGui::GetIO().Fonts->GetTexDataAsRGBA32(&pixels, &width, &height);
        } catch (...) {
            prepareError = std::current_exception();
        }
    });
    const char* glsl = nullptr;
    try {
        glsl = openWindow();
    } catch (...) {
        helper.join();
        release();
        throw;
    }
    helper.join();
    if (prepareError) {
        release();
        std::rethrow_exception(prepareError);
    }

    // Our callbacks forward to the backend only what a kiosk wants (no keys).
    m_backendGlfw = ImGui_ImplGlfw_InitForOpenGL(m_window, false);
    m_backendGl = m_backendGlfw && ImGui_ImplOpenGL3_Init(glsl);
    if (!m_backendGl) {
        release();
        throw std::runtime_error("cannot initialise the ImGui OpenGL backend");
    }
    installCallbacks();
}

const char* KioskWindow::openWindow() {
    GLFWmonitor* monitor = nullptr;
    int width = m_options.width, height = m_options.height;
    if (m_options.kioskMode) {
        monitor = glfwGetPrimaryMonitor();
        const GLFWvidmode* mode = monitor ? glfwGetVideoMode(monitor) : nullptr;
        if (!mode)
            throw std::runtime_error("no monitor found for fullscreen (" + lastGlfwError() + ")");
        width = mode->width;
        height = mode->height;
    }
    for (const GlAttempt& attempt : kGlAttempts) {
        glfwDefaultWindowHints();
        glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, attempt.major);
        glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, attempt.minor);
        if (attempt.core) {
            glfwWindowHint(GLFW_OPENGL_PROFILE, GLFW_OPENGL_CORE_PROFILE);
            glfwWindowHint(GLFW_OPENGL_FORWARD_COMPAT, GLFW_TRUE);
        }
        // ImGui needs neither; with a software rasteriser each would cost a screen-sized buffer.
        glfwWindowHint(GLFW_DEPTH_BITS, 0);
        glfwWindowHint(GLFW_STENCIL_BITS, 0);
        // A fullscreen window that iconifies when focus moves (a stray dialog, a second
        // screen) would leave residents in front of a desktop.
        glfwWindowHint(GLFW_AUTO_ICONIFY, GLFW_FALSE);
        glfwWindowHint(GLFW_RESIZABLE, m_options.kioskMode ? GLFW_FALSE : GLFW_TRUE);
        m_window = glfwCreateWindow(width, height, m_options.title.c_str(), monitor, nullptr);
        if (!m_window) continue;
        glfwSetWindowUserPointer(m_window, this);
        glfwMakeContextCurrent(m_window);
        glfwSwapInterval(1);
        m_glVersion = glfwGetWindowAttrib(m_window, GLFW_CONTEXT_VERSION_MAJOR) * 10 +
                      glfwGetWindowAttrib(m_window, GLFW_CONTEXT_VERSION_MINOR);
        if (m_options.kioskMode) glfwSetInputMode(m_window, GLFW_CURSOR, GLFW_CURSOR_HIDDEN);
        spdlog::debug("window {}x{} ({}), GL {}", width, height,
                      m_options.kioskMode ? "fullscreen" : "windowed",
                      reinterpret_cast<const char*>(glGetString(GL_VERSION)));
        return attempt.glsl;
    }
    throw std::runtime_error("cannot create an OpenGL 3 window (" + lastGlfwError() + ")");
}

KioskWindow::~KioskWindow() {
    release();
}

void KioskWindow::release() {
    if (m_backendGl) ImGui_ImplOpenGL3_Shutdown();
    if (m_backendGlfw) ImGui_ImplGlfw_Shutdown();
    m_backendGl = m_backendGlfw = false;
    if (m_imgui) ImGui::DestroyContext(m_imgui);
    m_imgui = nullptr;
    if (m_window) glfwDestroyWindow(m_window);
    m_window = nullptr;
    if (m_glfwReady) glfwTerminate();
    m_glfwReady = false;
}

KioskWindow* KioskWindow::self(GLFWwindow* window) {
    return static_cast<KioskWindow*>(glfwGetWindowUserPointer(window));
}

void KioskWindow::installCallbacks() {
    glfwSetWindowFocusCallback(m_window, [](GLFWwindow* w, int focused) {
        ImGui_ImplGlfw_WindowFocusCallback(w, focused);
        self(w)->noteInput();
    });
    glfwSetCursorEnterCallback(m_window, [](GLFWwindow* w, int entered) {
        ImGui_ImplGlfw_CursorEnterCallback(w, entered);
    });
    glfwSetMouseButtonCallback(m_window, [](GLFWwindow* w, int button, int action, int mods) {
        ImGui_ImplGlfw_MouseButtonCallback(w, button, action, mods);
        self(w)->noteInput();
    });
    // Motion matters only while a finger is down (drags); hovering is parked off-screen, so a
    // mouse wandering over an idle kiosk draws nothing.
    glfwSetCursorPosCallback(m_window, [](GLFWwindow* w, double, double) {
        for (int b = 0; b <= GLFW_MOUSE_BUTTON_LAST; ++b)
            if (glfwGetMouseButton(w, b) == GLFW_PRESS) return self(w)->noteInput();
    });
    glfwSetScrollCallback(m_window, [](GLFWwindow* w, double x, double y) {
        ImGui_ImplGlfw_ScrollCallback(w, x, y);
        self(w)->noteInput();
    });
    glfwSetFramebufferSizeCallback(m_window, [](GLFWwindow* w, int, int) { self(w)->noteInput(); });
    glfwSetWindowRefreshCallback(m_window, [](GLFWwindow* w) { self(w)->noteInput(); });
    // Keys and characters: no callback at all. Escape, Alt+F4 (as a key) and anything typed on
    // a keyboard left within reach do nothing; the UI types with its on-screen keyboard.
    glfwSetWindowCloseCallback(m_window, [](GLFWwindow* w) {
        if (self(w)->m_options.kioskMode) glfwSetWindowShouldClose(w, GLFW_FALSE);
    });
}

void KioskWindow::attach(KioskApp& app) {
    app.setWakeupCallback([] { wake(); });
}

void KioskWindow::wake() {
    glfwPostEmptyEvent();
}

bool KioskWindow::closeRequested() const {
    return glfwWindowShouldClose(m_window);
}

ImVec2 KioskWindow::displaySize() const {
    int w = 0, h = 0;
    glfwGetWindowSize(m_window, &w, &h);
    return ImVec2(static_cast<float>(w), static_cast<float>(h));
}

void KioskWindow::waitEvents(double seconds) {
    if (std::isnan(seconds) || std::isinf(seconds))
        glfwWaitEvents();
    else if (seconds <= 0)
        glfwPollEvents();
    else
        glfwWaitEventsTimeout(seconds);
}

void KioskWindow::renderFrame(KioskApp& app, const PointerState* pointer, Image* capture,
                              bool draw) {
    // A text size baked on a worker thread is swapped in between frames: upload its texture
    // (before the first frame the backend has none yet and will make it from the new atlas).
    if (app.updateFonts() && m_stats.frames > 0) {
        ImGui_ImplOpenGL3_DestroyFontsTexture();
        ImGui_ImplOpenGL3_CreateFontsTexture();
        slimFontTexture();
    }
    const double uiStart = threadCpuSeconds();
    ImGui_ImplOpenGL3_NewFrame();
    ImGui_ImplGlfw_NewFrame();
    ImGuiIO& io = ImGui::GetIO();
    if (pointer) {
        io.MousePos = pointer->pos;
        for (bool& down : io.MouseDown) down = false;
        io.MouseDown[0] = pointer->down;
    }
    bool anyDown = false;
    for (bool down : io.MouseDown) anyDown = anyDown || down;
    // Park the pointer once a release has been seen by one frame (so the tap lands), so that
    // nothing stays highlighted where the finger was lifted.
    if (!anyDown && !m_pointerWasDown) io.MousePos = ImVec2(-FLT_MAX, -FLT_MAX);
    m_pointerWasDown = anyDown;

    ImGui::NewFrame();
    try {
        app.frame(glfwGetTime());
    } catch (...) {
        ImGui::ErrorCheckEndFrameRecover(logRecovery);
        ImGui::EndFrame();
        throw;
    }
    ImGui::Render();
    const double uiCpu = threadCpuSeconds() - uiStart;
    if (m_stats.frames == 0) slimFontTexture();

    m_stats.frames++;
    m_stats.uiCpuSeconds += uiCpu;
    m_stats.uiCpuMaxSeconds = std::max(m_stats.uiCpuMaxSeconds, uiCpu);
    if (!draw && !capture) return;

    int fbWidth = 0, fbHeight = 0;
    glfwGetFramebufferSize(m_window, &fbWidth, &fbHeight);
    glViewport(0, 0, fbWidth, fbHeight);
    glClearColor(0, 0, 0, 1);
    glClear(GL_COLOR_BUFFER_BIT);
    ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
    if (capture) *capture = readBackBuffer(fbWidth, fbHeight);
    glfwSwapBuffers(m_window);

    m_stats.drawnFrames++;
    const double drawCpu = threadCpuSeconds() - uiStart - uiCpu;
    m_stats.drawCpuSeconds += drawCpu;
    if (!m_stats.firstFrame) {
        m_stats.firstFrame = std::chrono::steady_clock::now();
        spdlog::debug(
            "start-up: first frame swapped (this thread's CPU: UI {:.0f} ms, GL {:.0f} ms)",
            uiCpu * 1000, drawCpu * 1000);
    }
}

void KioskWindow::slimFontTexture() {
    ImFontAtlas& atlas = *ImGui::GetIO().Fonts;
    // The backend uploaded the atlas as RGBA (white + coverage): four times the memory of the
    // coverage alone, which with llvmpipe is main memory. With GL 3.3 texture swizzles, one
    // red channel read as (1, 1, 1, coverage) samples the same. Colour glyphs would need RGB.
    if (m_glVersion >= 33 && !atlas.TexPixelsUseColors && atlas.TexID) {
        unsigned char* alpha = nullptr;
        int width = 0, height = 0;
        atlas.GetTexDataAsAlpha8(&alpha, &width, &height);
        GLint bound = 0;
        glGetIntegerv(GL_TEXTURE_BINDING_2D, &bound);
        glBindTexture(GL_TEXTURE_2D, static_cast<GLuint>(reinterpret_cast<intptr_t>(atlas.TexID)));
        glPixelStorei(GL_UNPACK_ALIGNMENT, 1);
        glTexImage2D(GL_TEXTURE_2D, 0, GL_R8, width, height, 0, GL_RED, GL_UNSIGNED_BYTE, alpha);
        const GLint swizzle[] = {GL_ONE, GL_ONE, GL_ONE, GL_RED};
        glTexParameteriv(GL_TEXTURE_2D, GL_TEXTURE_SWIZZLE_RGBA, swizzle);
        glBindTexture(GL_TEXTURE_2D, static_cast<GLuint>(bound));
        if (GLenum error = glGetError(); error != GL_NO_ERROR)
            spdlog::warn("font texture: GL error {:#x} making it one channel", error);
    }
    // The CPU copies (alpha and RGBA, ~16 MB for the 1080p atlas) are not needed again: glyph
    // metrics live in the ImFonts. Then give the freed heap pages back to the system.
    atlas.ClearTexData();
    malloc_trim(0);
}

void KioskWindow::run(KioskApp& app, const std::atomic<bool>& stop) {
    int settle = kSettleFrames;  // the first frames lay out popups and auto-sized windows
    int failedInRow = 0;
    m_inputSeen = true;
    while (!stop.load()) {
        if (closeRequested()) break;
        if (m_inputSeen) {
            settle = kSettleFrames;
            m_inputSeen = false;
        } else if (settle > 0) {
            --settle;
        }
        try {
            renderFrame(app);
            failedInRow = 0;
        } catch (const std::exception& e) {
            spdlog::error("frame failed: {}", e.what());
            if (++failedInRow >= kMaxFailedFramesInRow) throw;
            settle = std::max(settle, 1);  // try again soon, but not in a tight loop
            glfwWaitEventsTimeout(0.2);
            continue;
        }
        if (stop.load()) break;
        if (settle > 0)
            waitEvents(0);
        else
            waitEvents(app.nextWakeup(glfwGetTime()));
    }
}

}  // namespace fadaa::kiosk
