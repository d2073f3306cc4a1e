// app/kiosk/main.cpp - fadaa-kiosk: command line, start-up and shutdown of the touch kiosk.
//
// Start-up order matters: the window (GLFW, GL context, ImGui context) first, then the app
// (store, screens), fonts, and the first frame. A script is parsed before any window opens so
// a typo fails fast, even without a display.
#include <pthread.h>
#include <signal.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <mutex>
#include <optional>
#include <regex>
#include <thread>

#include <fmt/format.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>
#include <CLI/CLI.hpp>

#include "kiosk_window.hpp"
#include "script_runner.hpp"
#include "sync/sync_worker.hpp"
#include "ui/fonts.hpp"
#include "ui/kiosk_app.hpp"
#include "util/paths.hpp"

namespace fs = std::filesystem;
using namespace fadaa::kiosk;

namespace {

const auto g_mainStarted = std::chrono::steady_clock::now();

struct Options {
    std::string windowed;  // "WxH"; empty = fullscreen kiosk mode
    fs::path db;
    bool demo = false;
    std::string lang;
    fs::path config;
    fs::path assets;
    fs::path script;
    fs::path screenshotDir = "screenshots";
    bool stats = false;
    bool verbose = false;
};

fs::path defaultDbPath() {
    if (const char* env = std::getenv("FADAA_DB"); env && *env) return env;
    fs::path base;
    if (const char* xdg = std::getenv("XDG_DATA_HOME"); xdg && *xdg)
        base = xdg;
    else if (const char* home = std::getenv("HOME"); home && *home)
        base = fs::path(home) / ".local/share";
    else
        base = ".";
    return base / "fadaa" / "kiosk.sqlite";
}

// Where baked font atlases are kept between starts: systemd's CacheDirectory= (the service
// sets it), else the XDG cache. Losing it costs only the next start's baking.
fs::path defaultCacheDir() {
    if (const char* env = std::getenv("CACHE_DIRECTORY"); env && *env) return env;
    if (const char* xdg = std::getenv("XDG_CACHE_HOME"); xdg && *xdg)
        return fs::path(xdg) / "fadaa";
    if (const char* home = std::getenv("HOME"); home && *home)
        return fs::path(home) / ".cache/fadaa";
    return {};
}

// "1280x800" -> width, height; nullopt when malformed or absurd.
std::optional<std::pair<int, int>> parseSize(const std::string& text) {
    static const std::regex pattern(R"((\d{3,5})x(\d{3,5}))");
    std::smatch m;
    if (!std::regex_match(text, m, pattern)) return std::nullopt;
    const int w = std::stoi(m[1]), h = std::stoi(m[2]);
    if (w < 320 || h < 240 || w > 16384 || h > 16384) return std::nullopt;
    return std::make_pair(w, h);
}

KioskConfig buildConfig(const Options& options) {
    KioskConfig defaults;
    defaults.assetsDir = options.assets.empty() ? fadaa::assetsDir() : options.assets;
    KioskConfig config =
        options.config.empty() ? defaults : loadKioskConfig(options.config, defaults);
    if (!options.assets.empty()) config.assetsDir = options.assets;
    if (!options.lang.empty()) {
        const auto& offered = config.languages;
        if (std::find(offered.begin(), offered.end(), options.lang) == offered.end())
            throw std::runtime_error("--lang " + options.lang +
                                     " is not one of the languages this kiosk offers");
        config.language = options.lang;
    }
    return config;
}

void printStats(const KioskWindow& window) {
    const FrameStats& s = window.stats();
    const std::int64_t framesRun = s.frames.load(), drawn = s.drawnFrames.load();
    const double frames = static_cast<double>(std::max<std::int64_t>(1, framesRun));
    const double firstFrameMs =
        s.firstFrame
            ? std::chrono::duration<double, std::milli>(*s.firstFrame - g_mainStarted).count()
            : -1.0;
    std::cerr << fmt::format(
        "stats: frames={} drawn={} ui_cpu_ms_per_frame={:.3f} ui_cpu_ms_max={:.3f} "
        "draw_cpu_ms_per_drawn_frame={:.3f} first_frame_ms={:.1f}\n",
        framesRun, drawn, s.uiCpuSeconds * 1000 / frames, s.uiCpuMaxSeconds * 1000,
        s.drawCpuSeconds * 1000 / static_cast<double>(std::max<std::int64_t>(1, drawn)),
        firstFrameMs);
}

// SIGTERM (systemd stopping the kiosk), SIGINT and SIGHUP end the loop cleanly: a dedicated
// thread waits for them (so nothing unsafe runs in a signal handler) and wakes the loop.
// SIGUSR2 asks for the frame counters so far on stderr ("frames-so-far: frames=N drawn=M"),
// without stopping: how a test or an operator sees whether an idle kiosk is really idle.
class SignalWatcher {
public:
    explicit SignalWatcher(std::atomic<bool>& stop) {
        sigset_t set = signals();
        pthread_sigmask(SIG_BLOCK, &set, nullptr);  // before any other thread exists
        m_thread = std::thread([this, &stop] {
            sigset_t waitFor = signals();
            for (;;) {
                int signal = 0;
                sigwait(&waitFor, &signal);
                if (signal == SIGUSR1) return;  // our own destructor: the loop is already over
                if (signal == SIGUSR2) {
                    std::lock_guard lock(m_statsMutex);
                    if (const FrameStats* stats = m_stats)
                        std::cerr << fmt::format("frames-so-far: frames={} drawn={}\n",
                                                 stats->frames.load(), stats->drawnFrames.load())
                                  << std::flush;
                    continue;
                }
                spdlog::info("signal {}: closing", signal);
                stop = true;
                KioskWindow::wake();
            }
        });
    }
    ~SignalWatcher() {
        pthread_kill(m_thread.native_handle(), SIGUSR1);
        m_thread.join();
    }
    // The counters SIGUSR2 reports (nullptr: none); reset before they are destroyed.
    void reportFrom(const FrameStats* stats) {
        std::lock_guard lock(m_statsMutex);
        m_stats = stats;
    }

private:
    static sigset_t signals() {
        sigset_t set;
        sigemptyset(&set);
        for (int s : {SIGTERM, SIGINT, SIGHUP, SIGUSR1, SIGUSR2}) sigaddset(&set, s);
        return set;
    }
    std::mutex m_statsMutex;
    const FrameStats* m_stats = nullptr;
    std::thread m_thread;
};

int run(const Options& options) {
    WindowOptions windowOptions;
    if (!options.windowed.empty()) {
        auto size = parseSize(options.windowed);
        if (!size)
            throw std::runtime_error("--windowed wants WIDTHxHEIGHT, e.g. 1280x800, got " +
                                     options.windowed);
        windowOptions.kioskMode = false;
        std::tie(windowOptions.width, windowOptions.height) = *size;
    }
    const KioskConfig config = buildConfig(options);
    windowOptions.title = config.kioskName;
    std::optional<Script> script;
    if (!options.script.empty()) script = parseScript(options.script);

    const fs::path db = options.db.empty() ? defaultDbPath() : options.db;
    if (db.has_parent_path()) fs::create_directories(db.parent_path());

    std::atomic<bool> stop{false};
    std::optional<SignalWatcher> signals;
    if (!script) signals.emplace(stop);  // a script is bounded; let signals kill it outright

    // Start-up milestones, logged with -v: what the first frame waits for.
    const auto elapsed = [] {
        return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() -
                                                         g_mainStarted)
            .count();
    };
    KioskFonts::setCacheDir(defaultCacheDir());
    std::optional<KioskApp> app;
    KioskWindow window(windowOptions, [&](float contentScale) {
        app.emplace(db, config, options.demo);
        spdlog::debug("start-up: store and screens ready at {:.0f} ms", elapsed());
        app->setupFonts(contentScale);
        spdlog::debug("start-up: font atlas ready at {:.0f} ms", elapsed());
    });
    spdlog::debug("start-up: window, GL context and fonts ready at {:.0f} ms", elapsed());
    // The app goes before the window, even on an exception: it holds fonts from the window's
    // ImGui context, and its workers wake the window.
    struct AppBeforeWindow {
        std::optional<KioskApp>& app;
        ~AppBeforeWindow() { app.reset(); }
    } appBeforeWindow{app};
    window.attach(*app);
    spdlog::debug("start-up: window attached at {:.0f} ms", elapsed());
    // The window's counters for SIGUSR2, withdrawn before the window goes.
    struct StatsReport {
        std::optional<SignalWatcher>& signals;
        ~StatsReport() {
            if (signals) signals->reportFrom(nullptr);
        }
    } statsReport{signals};
    if (signals) signals->reportFrom(&window.stats());

    // Background sync with the city server (core/sync/sync_worker.hpp), unless scripted: its
    // status goes to the top bar; a sync that changed something makes the screens re-read.
    std::optional<fadaa::SyncWorker> sync;
    if (!script) {
        sync.emplace(db);
        sync->setOnChange([&app, &sync, seen = 0]() mutable {
            fadaa::SyncStatus s = sync->status();
            app->setSyncIndicator({s.enrolled, s.online, s.waiting});
            if (s.changed != seen) {
                seen = s.changed;
                app->notifyDataChanged();
            }
        });
        sync->start();
        spdlog::debug("start-up: sync worker started at {:.0f} ms", elapsed());
    }

    if (script) {
        const ScriptReport report = runScript(*script, window, *app, options.screenshotDir);
        if (options.stats) printStats(window);
        std::cout << fmt::format("walkthrough {}: {} steps passed, {} screenshots in {}\n",
                                 options.script.string(), report.steps, report.screenshots.size(),
                                 options.screenshotDir.string());
        return 0;
    }
    window.run(*app, stop);
    if (options.stats) printStats(window);
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App cli{"fadaa-kiosk: the Fadaa touch kiosk (fullscreen unless --windowed)"};
    Options options;
    cli.add_option("--windowed", options.windowed, "Run in a WIDTHxHEIGHT window (development)");
    cli.add_option("--db", options.db,
                   "Kiosk store (default: $FADAA_DB or "
                   "$XDG_DATA_HOME/fadaa/kiosk.sqlite)");
    cli.add_flag("--demo", options.demo, "Seed the demo catalogue into an empty store");
    cli.add_option("--lang", options.lang, "Language at start and after an idle reset")
        ->check(CLI::IsMember({"ar", "fr", "en", "zgh"}));
    cli.add_option("--config", options.config, "Kiosk settings (TOML)")->check(CLI::ExistingFile);
    cli.add_option("--assets", options.assets, "Assets directory (translations, keyboards)")
        ->check(CLI::ExistingDirectory);
    auto* scriptOption = cli.add_option("--script", options.script,
                                        "Play a walkthrough script, then exit (0 = all passed)")
                             ->check(CLI::ExistingFile);
    cli.add_option("--screenshot-dir", options.screenshotDir,
                   "Where the script's screenshots go (default: screenshots)")
        ->needs(scriptOption);
    cli.add_flag("--stats", options.stats, "Print frame counts and CPU per frame on exit");
    cli.add_flag("-v,--verbose", options.verbose, "Log debug messages");
    CLI11_PARSE(cli, argc, argv);

    auto logger = spdlog::stderr_color_mt("kiosk");
    spdlog::set_default_logger(logger);
    spdlog::set_level(options.verbose ? spdlog::level::debug : spdlog::level::info);
    try {
        return run(options);
    } catch (const ScriptError& e) {
        std::cerr << "fadaa-kiosk: walkthrough failed: " << e.what() << "\n";
        return 1;
    } catch (const std::exception& e) {
        std::cerr << "fadaa-kiosk: " << e.what() << "\n";
        return 1;
    }
}
