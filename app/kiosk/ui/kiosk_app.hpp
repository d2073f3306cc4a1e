// app/kiosk/ui/kiosk_app.hpp - the kiosk's screens as one object the window drives.
//
// The split (Tracy style): fadaa_kiosk_ui holds every screen and all kiosk state and knows
// nothing of GLFW or OpenGL; fadaa-kiosk (app/kiosk/*.cpp) owns the window, the GL backend,
// the event loop and the walkthrough script runner. Headless UI tests drive KioskApp with a
// bare ImGui context (no GL): a tap is the pointer down one frame and up the next.
//
// Contract with the window, per frame: ImGui::NewFrame(); app.frame(now); ImGui::Render().
// The window renders again only when input arrives, when a worker posts a wake-up, or when
// nextWakeup() says a timer or animation needs a frame (render on demand, 0% CPU idle).
#pragma once

#include <filesystem>
#include <functional>
#include <limits>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <imgui.h>

namespace fadaa::kiosk {

// Kiosk settings, from a TOML file (--config) and command-line overrides.
struct KioskConfig {
    std::string kioskName = "Fadaa";
    std::vector<std::string> languages = {"ar", "fr", "en", "zgh"};  // offered, in this order
    std::string language = "ar";  // at start and after an idle reset
    int idleTimeoutSeconds = 60;  // then "still there?", then reset
    int textSize = 1;             // 0 normal, 1 large, 2 larger
    bool highContrast = false;
    std::string timezone = "Africa/Casablanca";
    std::filesystem::path assetsDir;  // translations, keyboard layouts
};

// Reads a TOML config (kiosk_name, languages, language, idle_timeout, text_size, theme =
// "default"|"high-contrast", timezone). Throws std::runtime_error naming the bad key.
KioskConfig loadKioskConfig(const std::filesystem::path& file, KioskConfig defaults = {});

// Something tappable drawn in the last frame, for scripts and tests: a stable id (e.g.
// "home.lang.fr", "browse.card.3", "keyboard.key.A"), its visible label (logical text, the
// current language) and where it is on screen (clipped to what is visible; things under an
// open prompt are inert and not listed).
//
// Hit ids, by screen (<n> counts from 0 in display order):
//   top bar      bar.home, bar.back, bar.text_size, bar.contrast, bar.language
//   language     language.<code> (ar, fr, en, zgh), language.close      (panel from bar.language)
//   idle prompt  idle.continue, idle.start_over
//   home         home.lang.<code>, home.today, home.week, home.all, home.my_registration,
//                home.category.<category id>
//   browse       browse.search (opens the keyboard), browse.search.clear,
//                browse.category.all, browse.category.<category id>,
//                browse.audience.<all|children|teens|adults|seniors>,
//                browse.day.<all|today|week|month|pick>, browse.day.pick.<YYYY-MM-DD>,
//                browse.day.close, browse.card.<n>, browse.reset (when nothing matches)
//   detail       detail.session.<n>, detail.register
//   register     register.field.<name|phone|form key>, register.choice.<form key>.<value>
//                (boolean fields: .yes / .no), register.consent, register.submit
//   confirmation confirmation.done, confirmation.code (shown, not tappable: label = the code)
//   my           my.field.code, my.field.phone, my.find, my.cancel, my.cancel.confirm,
//                my.cancel.keep, my.done
//   keyboard     keyboard.key.<text it types> (e.g. keyboard.key.A, keyboard.key.é,
//                keyboard.key.ب), keyboard.key.space, keyboard.backspace, keyboard.shift,
//                keyboard.enter, keyboard.layout.<azerty|arabic|tifinagh>
// Screens (currentScreen()): home, browse, detail, register, confirmation, my_registration,
// out_of_order.
struct Hit {
    std::string id;
    std::string label;
    ImVec2 min, max;
};

// What the sync worker last said, shown discreetly on the top bar: "online" or "offline",
// and how many registrations wait to be sent. Nothing is shown while not enrolled.
struct SyncIndicator {
    bool enrolled = false;
    bool online = false;
    int waiting = 0;
};

class KioskApp {
public:
    // Opens (creating if needed) the kiosk store at dbPath; seeds the demo catalogue when
    // `demo` and the store has no events. Throws on a missing asset or font.
    KioskApp(const std::filesystem::path& dbPath, KioskConfig config, bool demo = false);
    ~KioskApp();

    // Builds the font atlas (Noto Sans + Arabic + Tifinagh via fontconfig) into
    // ImGui::GetIO().Fonts for the given pixel scale and the configured text size. Call once
    // before the first frame; the window then uploads the texture. Throws naming the package
    // if a font is missing.
    void setupFonts(float pixelScale = 1.0f);

    // Call before each ImGui::NewFrame. When the resident's text size is not the one baked,
    // starts baking it on a worker thread (the wake-up callback runs when it is done; screens
    // keep the baked size meanwhile); once baked, makes the new atlas ImGui::GetIO().Fonts
    // (the old one is freed) and returns true: the renderer must upload the new texture
    // before the frame is drawn. Returns false otherwise. A failed build is logged and the
    // baked size kept.
    bool updateFonts();
    // True while the chosen text size is not the baked one (being baked, or about to be at
    // the next updateFonts()); false once swapped in, or when baking it failed.
    bool fontsPending() const;

    // Draws the whole UI for this frame into the current ImGui context. `now` is seconds on a
    // monotonic clock (glfwGetTime()); timers (idle reset, inertia) use it.
    void frame(double now);

    // Seconds from `now` until the next frame is needed without input (an animation in flight,
    // the idle prompt), or infinity when nothing is pending.
    double nextWakeup(double now) const;

    // The window calls this from its thread when a worker posted a wake-up; the app re-reads
    // what changed (e.g. sync state) on the next frame.
    void setWakeupCallback(std::function<void()> wake);

    // Thread-safe: the store changed behind the screens (a sync pulled new sessions or seat
    // counts). The next frame re-reads the current screen's data; calls the wake-up callback
    // so that frame comes.
    void notifyDataChanged();

    // Thread-safe (the sync worker calls it on its thread): the indicator on the bar changes
    // and, when it did, the wake-up callback brings the frame that shows it.
    void setSyncIndicator(const SyncIndicator& indicator);

    const std::vector<Hit>& hits() const;
    std::string currentScreen() const;  // "home", "browse", "detail", "register", ...
    std::string language() const;
    int textSize() const;  // 0 normal, 1 large, 2 larger
    bool highContrast() const;

    // For tests: keep every text drawn in the last frame (logical UTF-8, in drawing order).
    void setTextRecording(bool on);
    const std::vector<std::string>& drawnTexts() const;

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

}  // namespace fadaa::kiosk
