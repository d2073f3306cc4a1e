// app/kiosk/ui/app_state.hpp - KioskApp's private state, shared by kiosk_app.cpp (frame loop,
// idle reset, out-of-order recovery) and app_actions.cpp (what each tap does, view models).
#pragma once

#include <atomic>
#include <functional>
#include <future>
#include <memory>
#include <string>
#include <vector>

#include "catalogue/catalogue.hpp"
#include "i18n/translations.hpp"
#include "registration/registration.hpp"
#include "store/database.hpp"
#include "ui/fonts.hpp"
#include "ui/keyboard.hpp"
#include "ui/kiosk_app.hpp"
#include "ui/presenters.hpp"
#include "ui/ui.hpp"
#include "ui/view_models.hpp"

namespace fadaa::kiosk {

// Seconds the "still there?" prompt waits before clearing everything.
inline constexpr double kIdlePromptSeconds = 20.0;
// Seconds between attempts to reach the store again while out of order.
inline constexpr double kRetrySeconds = 5.0;
// Sessions loaded per page of the browse list.
inline constexpr int kPageSize = 60;

// A font atlas for another text size, built on a worker thread (KioskApp::updateFonts).
struct PendingFonts {
    ImFontAtlas* atlas = nullptr;  // IM_NEW'd; handed to the ImGui context when swapped in
    KioskFonts fonts;
    PendingFonts() = default;
    PendingFonts(const PendingFonts&) = delete;
    PendingFonts& operator=(const PendingFonts&) = delete;
    ~PendingFonts() {
        if (atlas) IM_DELETE(atlas);
    }
};

struct KioskApp::Impl {
    KioskConfig config;
    std::filesystem::path dbPath;
    bool demo = false;  // seed the demo catalogue on first open (an empty store only)
    // This device's id while it is standalone ("local", as for the CLI). Once the store is
    // enrolled, RegistrationService gives registrations the enrolled kiosk id itself
    // (deviceKioskId in core/registration), so nothing here reads sync_state.
    std::string kioskId = "local";
    Translations translations;
    KeyboardLayouts keyboards;
    KioskFonts fonts;
    bool fontsReady = false;
    std::future<std::unique_ptr<PendingFonts>> fontBuild;  // valid while a build runs
    bool fontBuildFailed = false;                          // then the baked size stays
    std::unique_ptr<Ui> ui;

    std::unique_ptr<Database> db;
    std::unique_ptr<Catalogue> catalogue;
    std::unique_ptr<RegistrationService> registrations;

    // What the resident chose.
    std::string lang;
    int textSize = 1;
    bool highContrast = false;

    ScreenId screen = ScreenId::Home;
    std::vector<ScreenId> history;  // for Back
    HomeVm home;
    BrowseVm browse;
    DetailVm detail;
    RegisterVm reg;
    ConfirmationVm confirmation;
    MyRegistrationVm my;
    std::vector<FormField> regForm;  // the form of the event being registered for
    bool languagePanel = false;

    // Time.
    double lastInput = 0.0;
    double idlePromptSince = -1.0;  // < 0: no prompt
    double retryAt = -1.0;          // out of order: next attempt
    bool started = false;

    std::atomic<bool> dataChanged{false};
    std::mutex syncMutex;
    SyncIndicator syncShared;  // written by the sync worker's thread, under syncMutex
    SyncIndicator sync;        // the copy this frame draws
    std::function<void()> wake;
    std::vector<Hit> hits;

    // --- kiosk_app.cpp ---
    bool rtl() const;
    PresentContext present() const;
    bool openStore();
    void enterOutOfOrder(double now, const char* what);
    void tryRecover(double now);
    void resetAll();          // idle reset: home, default language, everything cleared
    bool idleWorthy() const;  // something to clear or a screen to leave
    void go(ScreenId next);   // forward navigation (remembered for Back)
    void back();
    void goHome();  // Home: typed data cleared, language and display kept

    // --- app_actions.cpp ---
    void apply(const Actions& a, double now);
    void rebuildCurrent();  // re-query the current screen's data (language, data change)
    void buildHome();
    void buildBrowse(bool keepScroll);
    void loadMoreBrowse();
    void buildDetail(const std::string& eventId, const std::string& sessionId);
    void buildRegister(const SessionCardVm& session, const std::string& eventId);
    void relabelRegister();
    void submitRegistration();
    void findMyRegistration();
    void cancelMyRegistration();
    void applyKeys(const KeyboardInput& keys);
    void focusField(int index);
    std::map<std::string, std::string> categoryNames();
};

}  // namespace fadaa::kiosk
