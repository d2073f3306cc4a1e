// tests/ui/ui_harness.hpp - driving the kiosk's screens headless, as a finger would.
//
// HeadlessKiosk owns an ImGui context with no GL: the font atlas is built in memory
// (GetTexDataAsRGBA32), each frame is NewFrame / app.frame / Render, and a tap is the pointer
// down for one frame and up the next, then parked off-screen (as the window does). Time is a
// number the test advances, so idle timeouts and inertia run without waiting.
// seedCatalogue() fills a real SQLite store through the core services.
#pragma once

#include <cfloat>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <imgui.h>

#include "catalogue/catalogue.hpp"
#include "i18n/translations.hpp"
#include "registration/registration.hpp"
#include "store/database.hpp"
#include "support/test_support.hpp"
#include "ui/kiosk_app.hpp"

namespace fadaa::test {

class HeadlessKiosk {
public:
    HeadlessKiosk(const std::filesystem::path& db, const std::string& lang,
                  ImVec2 display = {1920, 1080}, kiosk::KioskConfig config = {});
    ~HeadlessKiosk();
    HeadlessKiosk(const HeadlessKiosk&) = delete;
    HeadlessKiosk& operator=(const HeadlessKiosk&) = delete;

    // One frame, `dt` seconds after the last.
    void frame(double dt = 1.0 / 60.0);
    // Lets `seconds` pass with no input (frames every half second, as timers would ask).
    void idle(double seconds);

    const kiosk::Hit* find(const std::string& id) const;
    const kiosk::Hit* findLabel(const std::string& label) const;
    bool has(const std::string& id) const { return find(id) != nullptr; }
    std::vector<std::string> ids(const std::string& prefix) const;
    // Taps the centre of the hit with this id; fails the test (REQUIRE) when it is absent.
    // Both wait (real time, bounded) for a text size the tap chose to be baked and swapped in.
    void tap(const std::string& id);
    void tapAt(ImVec2 p);
    // Types text on the on-screen keyboard: each code point's key (shift when needed).
    void type(const std::string& text);
    // Presses at from, moves to `to` in `steps` frames of dt, releases.
    void drag(ImVec2 from, ImVec2 to, int steps = 8, double dt = 1.0 / 60.0);
    bool textShown(const std::string& text) const;  // drawn in the last frame
    // Drawn texts that look like an untranslated key ("browse.title"): a string missing from
    // every language file shows as its key.
    std::vector<std::string> rawKeysShown() const;

    kiosk::KioskApp& app() { return *m_app; }
    const Translations& tr() const { return m_tr; }
    std::string t(const std::string& key,
                  const std::map<std::string, std::string>& args = {}) const {
        return m_tr.get(m_app->language(), key, args);
    }
    double now() const { return m_now; }
    ImVec2 display() const { return m_display; }

private:
    ImGuiContext* m_ctx = nullptr;
    std::unique_ptr<kiosk::KioskApp> m_app;
    Translations m_tr;
    ImVec2 m_display;
    ImVec2 m_pointer{-FLT_MAX, -FLT_MAX};
    bool m_down = false;
    double m_now = 100.0;
};

// What seedCatalogue() made, for expectations.
struct Seeded {
    std::string chessSession;     // capacity 2, form with a required choice and a number
    std::string workshopSession;  // capacity 1: the second person is waitlisted
    std::string concertSession;   // no registration needed
    std::string readingSession;   // Arabic / Tifinagh titles, unlimited seats
};

// Categories, a venue, an organizer and four events with sessions from tomorrow on, written
// through Catalogue (real SQLite). Titles in ar, fr, en and zgh.
Seeded seedCatalogue(Database& db);

// What most tests start from: a fresh directory, a store seeded by seedCatalogue() (then
// `more`, if given), and a headless kiosk on it.
struct SeededKiosk {
    TempDir dir;
    Database db;
    Seeded seeded;
    HeadlessKiosk k;
    explicit SeededKiosk(const std::string& lang, kiosk::KioskConfig config = {},
                         const std::function<void(Database&)>& more = {});
};

// From wherever the kiosk is: home, all activities, the card titled `title`, Register.
void openRegistration(HeadlessKiosk& k, const std::string& title);

}  // namespace fadaa::test
