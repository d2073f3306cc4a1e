// bench/kiosk_vs_chromium/gl_floor.cpp - the floor under fadaa-kiosk's first frame and memory:
// the least a program on the mandated stack (GLFW 3.3 + OpenGL 3 + Dear ImGui's GL3 backend)
// can do to put one non-flat frame on the screen, timed by the same first_frame_probe.
//
// usage: gl_floor [clear|triangle|imgui]   (default imgui), then waits for SIGTERM
//   clear     a GL 3.2 core context, the window cleared grey with a scissored white square:
//             no shader, no texture (the cost of GLFW + the context + one swap)
//   triangle  plus one compiled GLSL program drawing a triangle (shader compilation in
//             llvmpipe is the next cost)
//   imgui     plus an ImGui context, its default built-in font (ProggyClean 13 px) and one line
//             of text through the OpenGL3 backend: the smallest frame the kiosk's stack makes
// A program that draws less than this cannot be the kiosk; run.sh reports it next to the kiosk
// to show what part of the first-frame target the stack itself already spends.
#include <signal.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <utility>

#define GLFW_INCLUDE_NONE
#include <GL/gl.h>
#include <GL/glext.h>
#include <GLFW/glfw3.h>
#include <backends/imgui_impl_glfw.h>
#include <backends/imgui_impl_opengl3.h>
#include <imgui.h>

namespace {

volatile sig_atomic_t g_stop = 0;

template <typename F>
F gl(const char* name) {
    return reinterpret_cast<F>(glfwGetProcAddress(name));
}

// One coloured triangle through a minimal GLSL 150 program (core profile: a VAO is required).
void drawTriangle() {
    const char* vs = "#version 150\nin vec2 p;\nvoid main(){gl_Position=vec4(p,0.0,1.0);}\n";
    const char* fs = "#version 150\nout vec4 c;\nvoid main(){c=vec4(1.0,0.6,0.1,1.0);}\n";
    auto createShader = gl<PFNGLCREATESHADERPROC>("glCreateShader");
    auto shaderSource = gl<PFNGLSHADERSOURCEPROC>("glShaderSource");
    auto compileShader = gl<PFNGLCOMPILESHADERPROC>("glCompileShader");
    auto createProgram = gl<PFNGLCREATEPROGRAMPROC>("glCreateProgram");
    auto attachShader = gl<PFNGLATTACHSHADERPROC>("glAttachShader");
    auto linkProgram = gl<PFNGLLINKPROGRAMPROC>("glLinkProgram");
    auto useProgram = gl<PFNGLUSEPROGRAMPROC>("glUseProgram");
    auto genVertexArrays = gl<PFNGLGENVERTEXARRAYSPROC>("glGenVertexArrays");
    auto bindVertexArray = gl<PFNGLBINDVERTEXARRAYPROC>("glBindVertexArray");
    auto genBuffers = gl<PFNGLGENBUFFERSPROC>("glGenBuffers");
    auto bindBuffer = gl<PFNGLBINDBUFFERPROC>("glBindBuffer");
    auto bufferData = gl<PFNGLBUFFERDATAPROC>("glBufferData");
    auto enableAttrib = gl<PFNGLENABLEVERTEXATTRIBARRAYPROC>("glEnableVertexAttribArray");
    auto attribPointer = gl<PFNGLVERTEXATTRIBPOINTERPROC>("glVertexAttribPointer");
    GLuint program = createProgram();
    const std::pair<GLenum, const char*> stages[] = {{GL_VERTEX_SHADER, vs},
                                                     {GL_FRAGMENT_SHADER, fs}};
    for (auto [type, source] : stages) {
        GLuint shader = createShader(type);
        shaderSource(shader, 1, &source, nullptr);
        compileShader(shader);
        attachShader(program, shader);
    }
    linkProgram(program);
    useProgram(program);
    GLuint vao = 0, vbo = 0;
    genVertexArrays(1, &vao);
    bindVertexArray(vao);
    genBuffers(1, &vbo);
    bindBuffer(GL_ARRAY_BUFFER, vbo);
    const float points[] = {-0.5f, -0.5f, 0.5f, -0.5f, 0.0f, 0.5f};
    bufferData(GL_ARRAY_BUFFER, sizeof points, points, GL_STATIC_DRAW);
    enableAttrib(0);
    attribPointer(0, 2, GL_FLOAT, GL_FALSE, 0, nullptr);
    glDrawArrays(GL_TRIANGLES, 0, 3);
}

}  // namespace

int main(int argc, char** argv) {
    const char* mode = argc > 1 ? argv[1] : "imgui";
    if (std::strcmp(mode, "clear") != 0 && std::strcmp(mode, "triangle") != 0 &&
        std::strcmp(mode, "imgui") != 0) {
        std::fprintf(stderr, "usage: %s [clear|triangle|imgui]\n", argv[0]);
        return 2;
    }
    signal(SIGTERM, [](int) { g_stop = 1; });
    signal(SIGINT, [](int) { g_stop = 1; });
    if (!glfwInit()) return 1;
    GLFWmonitor* monitor = glfwGetPrimaryMonitor();
    const GLFWvidmode* video = glfwGetVideoMode(monitor);
    glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
    glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 2);
    glfwWindowHint(GLFW_OPENGL_PROFILE, GLFW_OPENGL_CORE_PROFILE);
    glfwWindowHint(GLFW_OPENGL_FORWARD_COMPAT, GLFW_TRUE);
    glfwWindowHint(GLFW_DEPTH_BITS, 0);
    glfwWindowHint(GLFW_STENCIL_BITS, 0);
    GLFWwindow* window =
        glfwCreateWindow(video->width, video->height, "gl_floor", monitor, nullptr);
    if (!window) return 1;
    glfwMakeContextCurrent(window);
    glfwSwapInterval(1);

    const bool imgui = std::strcmp(mode, "imgui") == 0;
    if (imgui) {
        ImGui::CreateContext();
        ImGui::GetIO().IniFilename = nullptr;
        ImGui_ImplGlfw_InitForOpenGL(window, true);
        ImGui_ImplOpenGL3_Init("#version 150");
    }
    for (int frame = 0; !g_stop && !glfwWindowShouldClose(window); ++frame) {
        if (frame == 0) {
            int w = 0, h = 0;
            glfwGetFramebufferSize(window, &w, &h);
            glViewport(0, 0, w, h);
            glClearColor(0.2f, 0.2f, 0.2f, 1.0f);
            glClear(GL_COLOR_BUFFER_BIT);
            if (imgui) {
                ImGui_ImplOpenGL3_NewFrame();
                ImGui_ImplGlfw_NewFrame();
                ImGui::NewFrame();
                ImGui::GetForegroundDrawList()->AddText(ImVec2(100, 100), IM_COL32_WHITE,
                                                        "gl_floor: one line of ImGui text");
                ImGui::Render();
                ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
            } else if (std::strcmp(mode, "triangle") == 0) {
                drawTriangle();
            } else {
                glEnable(GL_SCISSOR_TEST);
                glScissor(100, 100, 200, 200);
                glClearColor(1, 1, 1, 1);
                glClear(GL_COLOR_BUFFER_BIT);
                glDisable(GL_SCISSOR_TEST);
            }
            glfwSwapBuffers(window);
        }
        glfwWaitEventsTimeout(0.5);  // idle like the kiosk: no frames, wake to check g_stop
    }
    if (imgui) {
        ImGui_ImplOpenGL3_Shutdown();
        ImGui_ImplGlfw_Shutdown();
        ImGui::DestroyContext();
    }
    glfwDestroyWindow(window);
    glfwTerminate();
    return 0;
}
