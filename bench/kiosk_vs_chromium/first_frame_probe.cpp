// bench/kiosk_vs_chromium/first_frame_probe.cpp - time from start to first frame, measured the
// same way for any program: start it, watch the X screen, stop when it shows content.
//
// usage: first_frame_probe TIMEOUT_SECONDS PROGRAM [ARGS...]
// Records the time, forks and execs PROGRAM (in its own process group so the bench can end it
// and all its children by one id), then polls the whole screen with MIT-SHM every 20 ms (a
// poll costs a few ms of CPU; more often would slow what it measures) until the screen is no
// longer one flat colour (a cleared window or a white page does not count: text does).
// Prints "first_frame_ms=<ms> pid=<pid>" and exits 0, leaving PROGRAM running; exits 1 (and
// kills the group) if nothing showed within the timeout or PROGRAM exited. PROGRAM's output
// goes to $FIRST_FRAME_PROBE_LOG (appended) or nowhere.
//
// Built by run.sh: g++ -O2 first_frame_probe.cpp -lX11 -lXext. Needs the screen flat (Xvfb
// -br, nothing else drawn) when it starts.
#include <fcntl.h>
#include <signal.h>
#include <sys/ipc.h>
#include <sys/shm.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>

#include <X11/Xlib.h>
#include <X11/Xutil.h>
#include <X11/extensions/XShm.h>

namespace {

double nowMs() {
    timespec ts{};
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
}

bool flat(const XImage* image) {
    const auto* first = reinterpret_cast<const unsigned*>(image->data);
    for (int y = 0; y < image->height; ++y) {
        const auto* row = reinterpret_cast<const unsigned*>(image->data + y * image->bytes_per_line);
        for (int x = 0; x < image->width; ++x)
            if ((row[x] & 0xffffff) != (*first & 0xffffff)) return false;
    }
    return true;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 3) {
        std::fprintf(stderr, "usage: %s TIMEOUT_SECONDS PROGRAM [ARGS...]\n", argv[0]);
        return 2;
    }
    const double timeoutMs = std::atof(argv[1]) * 1000;
    Display* display = XOpenDisplay(nullptr);
    if (!display || !XShmQueryExtension(display)) {
        std::fprintf(stderr, "first_frame_probe: no X display with MIT-SHM\n");
        return 1;
    }
    const int screen = DefaultScreen(display);
    const Window root = RootWindow(display, screen);
    XShmSegmentInfo shm{};
    XImage* image = XShmCreateImage(display, DefaultVisual(display, screen),
                                    static_cast<unsigned>(DefaultDepth(display, screen)), ZPixmap,
                                    nullptr, &shm, static_cast<unsigned>(DisplayWidth(display, screen)),
                                    static_cast<unsigned>(DisplayHeight(display, screen)));
    shm.shmid = shmget(IPC_PRIVATE, static_cast<size_t>(image->bytes_per_line) * image->height,
                       IPC_CREAT | 0600);
    shm.shmaddr = image->data = static_cast<char*>(shmat(shm.shmid, nullptr, 0));
    shm.readOnly = False;
    XShmAttach(display, &shm);
    XSync(display, False);
    shmctl(shm.shmid, IPC_RMID, nullptr);  // freed when both sides detach

    XShmGetImage(display, root, image, 0, 0, AllPlanes);
    if (!flat(image)) {
        std::fprintf(stderr, "first_frame_probe: the screen already shows something\n");
        return 1;
    }

    const double start = nowMs();
    const pid_t pid = fork();
    if (pid == 0) {
        setpgid(0, 0);
        // Not our stdout: the caller reads it to its end, which would wait for PROGRAM too.
        const char* log = std::getenv("FIRST_FRAME_PROBE_LOG");
        const int out = open(log ? log : "/dev/null", O_WRONLY | O_CREAT | O_APPEND, 0644);
        const int in = open("/dev/null", O_RDONLY);
        dup2(in, 0);
        dup2(out, 1);
        dup2(out, 2);
        execvp(argv[2], argv + 2);
        std::perror("exec");
        _exit(127);
    }
    setpgid(pid, pid);
    while (true) {
        int status = 0;
        if (waitpid(pid, &status, WNOHANG) == pid) {
            std::fprintf(stderr, "first_frame_probe: %s exited before showing anything\n",
                         argv[2]);
            return 1;
        }
        XShmGetImage(display, root, image, 0, 0, AllPlanes);
        if (!flat(image)) break;
        if (nowMs() - start > timeoutMs) {
            std::fprintf(stderr, "first_frame_probe: nothing on screen after %s s\n", argv[1]);
            kill(-pid, SIGKILL);
            return 1;
        }
        usleep(20000);
    }
    std::printf("first_frame_ms=%.0f pid=%d\n", nowMs() - start, pid);
    XShmDetach(display, &shm);
    shmdt(shm.shmaddr);
    XCloseDisplay(display);
    return 0;
}
