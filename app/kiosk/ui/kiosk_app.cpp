// app/kiosk/ui/kiosk_app.cpp - KioskApp: the frame (bar, screen, prompts), the idle reset,
// render-on-demand timing, and falling back to "out of order" when the store fails.
#include "ui/kiosk_app.hpp"

#include <spdlog/spdlog.h>

#include <chrono>
#include <cmath>
#include <stdexcept>

#include "catalogue/demo_seed.hpp"
#include "ui/app_state.hpp"
#include "ui/screens.hpp"
#include "ui/widgets.hpp"
#include "util/paths.hpp"
#include "util/time.hpp"

namespace fadaa::kiosk {

const char* screenName(ScreenId id) {
    switch (id) {
        case ScreenId::Home:
            return "home";
        case ScreenId::Browse:
            return "browse";
        case ScreenId::Detail:
            return "detail";
        case ScreenId::Register:
            return "register";
        case ScreenId::Confirmation:
            return "confirmation";
        case ScreenId::MyRegistration:
            return "my_registration";
        case ScreenId::OutOfOrder:
            return "out_of_order";
    }
    return "home";
}

// --- Impl: store, navigation, reset ---

bool KioskApp::Impl::rtl() const {
    for (const auto& info : translations.languages())
        if (info.code == lang) return info.rightToLeft;
    return false;
}

PresentContext KioskApp::Impl::present() const {
    return PresentContext{translations, lang, config.timezone, nowUtc()};
}

bool KioskApp::Impl::openStore() {
    registrations.reset();
    catalogue.reset();
    db.reset();
    if (demo) {
        // Once, into an empty store. Placeholder registrations are thousands of small
        // transactions: a demo store need not fsync each (real registrations do, below).
        demo = false;
        const Timestamp now = nowUtc();
        CatalogueFile file = readCatalogueFile(config.assetsDir / "demo" / "catalogue.json", now);
        DatabaseOptions options;
        options.durability = Durability::Normal;
        Database seedDb(dbPath, options);
        DemoSeedResult seeded = seedDemoCatalogue(seedDb, file, kioskId, "demo", now);
        if (seeded.seeded)
            spdlog::info(
                "kiosk: demo catalogue seeded ({} events, {} sessions, {} placeholder seats)",
                seeded.imported.events, seeded.imported.sessions, seeded.placeholders);
    }
    db = std::make_unique<Database>(dbPath);
    catalogue = std::make_unique<Catalogue>(*db);
    registrations = std::make_unique<RegistrationService>(*db, kioskId);
    return true;
}

void KioskApp::Impl::enterOutOfOrder(double now, const char* what) {
    // Never the resident's data: only the store's own message.
    spdlog::error("kiosk: store failed, showing out of order: {}", what);
    screen = ScreenId::OutOfOrder;
    history.clear();
    languagePanel = false;
    idlePromptSince = -1.0;
    retryAt = now + kRetrySeconds;
}

void KioskApp::Impl::tryRecover(double now) {
    try {
        if (!db) openStore();
        catalogue->categories();  // a read that touches the schema: the store answers again
        spdlog::info("kiosk: store answers again, back to the home screen");
        resetAll();
        retryAt = -1.0;
    } catch (const std::exception& e) {
        spdlog::warn("kiosk: store still failing: {}", e.what());
        retryAt = now + kRetrySeconds;
        if (!catalogue) db.reset();
    }
}

void KioskApp::Impl::resetAll() {
    lang = config.language;
    textSize = config.textSize;
    highContrast = config.highContrast;
    idlePromptSince = -1.0;
    goHome();
}

bool KioskApp::Impl::idleWorthy() const {
    return screen != ScreenId::Home || lang != config.language || textSize != config.textSize ||
           highContrast != config.highContrast || languagePanel;
}

void KioskApp::Impl::go(ScreenId next) {
    if (next == screen) return;
    history.push_back(screen);
    screen = next;
}

void KioskApp::Impl::back() {
    if (history.empty()) {
        goHome();
        return;
    }
    // What was typed on the screen being left is not needed any more: nothing brings it back
    // (coming forward again starts a fresh form), so nobody after this resident can see it.
    if (screen == ScreenId::Register) {
        reg = RegisterVm{};
        regForm.clear();
    } else if (screen == ScreenId::MyRegistration) {
        my = MyRegistrationVm{};
    }
    screen = history.back();
    history.pop_back();
    // Seats may have changed while the resident was away from that screen.
    if (screen == ScreenId::Browse || screen == ScreenId::Detail || screen == ScreenId::Home)
        rebuildCurrent();
}

void KioskApp::Impl::goHome() {
    screen = ScreenId::Home;
    history.clear();
    browse = BrowseVm{};
    detail = DetailVm{};
    reg = RegisterVm{};
    regForm.clear();
    confirmation = ConfirmationVm{};
    my = MyRegistrationVm{};
    languagePanel = false;
    if (ui) ui->resetAllScroll();
    buildHome();
}

// --- KioskApp ---

KioskApp::KioskApp(const std::filesystem::path& dbPath, KioskConfig config, bool demo)
    : m_impl(std::make_unique<Impl>()) {
    Impl& s = *m_impl;
    if (config.assetsDir.empty()) config.assetsDir = assetsDir();
    s.config = std::move(config);
    s.dbPath = dbPath;
    s.demo = demo;
    s.translations = Translations::load(s.config.assetsDir / "i18n");
    s.keyboards = KeyboardLayouts::load(s.config.assetsDir / "keyboards");
    for (const char* id : {"azerty", "arabic", "tifinagh", "phone", "number", "code"}) {
        if (!s.keyboards.has(id))
            throw std::runtime_error("keyboard layout \"" + std::string(id) + "\" missing from " +
                                     (s.config.assetsDir / "keyboards").string());
    }
    if (s.config.languages.empty()) throw std::runtime_error("the kiosk offers no language");
    s.lang = s.config.language;
    s.textSize = s.config.textSize;
    s.highContrast = s.config.highContrast;
    s.ui = std::make_unique<Ui>(s.fonts, s.translations);
    try {
        s.openStore();
        s.resetAll();
    } catch (const std::exception& e) {
        // A broken store is not a reason to stay dark: say so on screen and keep trying.
        s.db.reset();
        s.catalogue.reset();
        s.registrations.reset();
        s.enterOutOfOrder(0.0, e.what());
        s.retryAt = 0.0;  // the first frame tries again at once
    }
}

KioskApp::~KioskApp() = default;

void KioskApp::setupFonts(float pixelScale) {
    m_impl->fonts.build(*ImGui::GetIO().Fonts, pixelScale, m_impl->textSize);
    m_impl->fontsReady = true;
}

bool KioskApp::fontsPending() const {
    const Impl& s = *m_impl;
    return s.fontsReady && !s.fontBuildFailed && s.textSize != s.fonts.bakedLevel();
}

bool KioskApp::updateFonts() {
    Impl& s = *m_impl;
    if (!s.fontsReady) return false;
    if (s.fontBuild.valid()) {
        if (s.fontBuild.wait_for(std::chrono::seconds(0)) != std::future_status::ready)
            return false;
        std::unique_ptr<PendingFonts> built;
        try {
            built = s.fontBuild.get();
        } catch (const std::exception& e) {
            spdlog::error("kiosk: baking text size {} failed, keeping size {}: {}", s.textSize,
                          s.fonts.bakedLevel(), e.what());
            s.fontBuildFailed = true;
            return false;
        }
        // Between frames nothing points into the old atlas: NewFrame picks the fonts again,
        // and the screens ask s.fonts for theirs every frame.
        ImGuiIO& io = ImGui::GetIO();
        ImFontAtlas* old = io.Fonts;
        io.Fonts = built->atlas;
        built->atlas = nullptr;
        s.fonts = built->fonts;
        IM_DELETE(old);
        return true;
    }
    if (s.fontBuildFailed || s.textSize == s.fonts.bakedLevel()) return false;
    // About 0.1 s of FreeType work: off this thread, so the tap that asked for it is not a
    // frozen frame. The worker touches only its own atlas and ImGui's allocator. Known race:
    // ImGui 1.86's MemAlloc/MemFree bump io.MetricsActiveAllocations of the current context
    // without a lock, so while a size is baked that debug statistic may miscount (nothing
    // reads it); the allocations themselves are malloc's, which is thread-safe.
    s.fontBuild = std::async(std::launch::async, [fonts = s.fonts, level = s.textSize,
                                                  wake = s.wake]() {
        auto built = std::make_unique<PendingFonts>();
        built->fonts = fonts;
        built->atlas = IM_NEW(ImFontAtlas)();
        built->fonts.build(*built->atlas, fonts.pixelScale(), level);
        unsigned char* pixels = nullptr;
        int width = 0, height = 0;
        built->atlas->GetTexDataAsRGBA32(&pixels, &width, &height);  // what the renderer uploads
        if (wake) wake();
        return built;
    });
    return false;
}

void KioskApp::frame(double now) {
    Impl& s = *m_impl;
    if (!s.fontsReady)
        throw std::logic_error("KioskApp::setupFonts must run before the first frame");
    if (!s.started) {
        s.started = true;
        s.lastInput = now;
        if (s.retryAt == 0.0) s.retryAt = now;
    }
    if (s.screen == ScreenId::OutOfOrder && now >= s.retryAt) s.tryRecover(now);
    if (s.dataChanged.exchange(false) && s.screen != ScreenId::OutOfOrder) {
        try {
            s.rebuildCurrent();
        } catch (const std::exception& e) {
            s.enterOutOfOrder(now, e.what());
        }
    }

    {
        std::lock_guard<std::mutex> lock(s.syncMutex);
        s.sync = s.syncShared;
    }
    // Where the resident went, for --verbose and the walkthrough tests that tap the real
    // window: the screen and the language only, never anything typed.
    const ScreenId screenBefore = s.screen;
    const std::string langBefore = s.lang;
    struct LogChange {
        const Impl& s;
        ScreenId screen;
        const std::string& lang;
        ~LogChange() {
            if (s.screen != screen || s.lang != lang)
                spdlog::debug("kiosk: screen {} language {}", screenName(s.screen), s.lang);
        }
    } logChange{s, screenBefore, langBefore};
    Ui& ui = *s.ui;
    ui.beginFrame(now, ImGui::GetBackgroundDrawList(), ImGui::GetIO(), s.lang, s.rtl(), s.textSize,
                  s.highContrast);
    if (ui.touch().activity()) s.lastInput = now;
    const bool modal = s.idlePromptSince >= 0.0 || s.languagePanel ||
                       (s.screen == ScreenId::Browse && s.browse.dayPickerOpen) ||
                       (s.screen == ScreenId::MyRegistration &&
                        s.my.stage == MyRegistrationVm::Stage::ConfirmCancel);
    ui.setInputLayer(modal ? 1 : 0);
    ui.setConcealTyped(s.idlePromptSince >= 0.0);
    ui.fill(Rect{{0, 0}, ui.screen()}, ui.theme().background, 0.0f);

    Actions actions;
    ScreenContext ctx{s.keyboards};
    if (s.screen == ScreenId::OutOfOrder) {
        drawOutOfOrderScreen(ui, s.config.languages);
    } else {
        // The bar first: prompts drawn by a screen then cover it too.
        TopBarVm bar;
        bar.showHome = s.screen != ScreenId::Home;
        bar.showBack = s.screen != ScreenId::Home && s.screen != ScreenId::Confirmation;
        bar.showLanguage = s.screen != ScreenId::Home;
        bar.sync = s.sync;
        switch (s.screen) {
            case ScreenId::Home:
                bar.title = s.config.kioskName;
                break;
            case ScreenId::Browse:
                bar.title = ui.t("browse.title");
                break;
            case ScreenId::Detail:
                bar.title = ui.t("detail.title");
                break;
            case ScreenId::Register:
                bar.title = ui.t("register.title");
                break;
            case ScreenId::Confirmation:
                bar.title = ui.t("confirm.title");
                break;
            case ScreenId::MyRegistration:
                bar.title = ui.t("my.title");
                break;
            case ScreenId::OutOfOrder:
                break;
        }
        drawTopBar(ui, bar, actions);
        switch (s.screen) {
            case ScreenId::Home:
                drawHomeScreen(ui, s.home, actions);
                break;
            case ScreenId::Browse:
                drawBrowseScreen(ui, ctx, s.browse, actions);
                break;
            case ScreenId::Detail:
                drawDetailScreen(ui, s.detail, actions);
                break;
            case ScreenId::Register:
                drawRegisterScreen(ui, ctx, s.reg, actions);
                break;
            case ScreenId::Confirmation:
                drawConfirmationScreen(ui, s.confirmation, actions);
                break;
            case ScreenId::MyRegistration:
                drawMyRegistrationScreen(ui, ctx, s.my, actions);
                break;
            case ScreenId::OutOfOrder:
                break;
        }
        if (s.languagePanel) {
            std::vector<LanguageVm> langs = s.home.languages;
            drawLanguagePanel(ui, langs, actions);
        }
        if (s.idlePromptSince >= 0.0) {
            int left = static_cast<int>(std::ceil(kIdlePromptSeconds - (now - s.idlePromptSince)));
            drawIdlePrompt(ui, std::max(1, left), actions);
        }
    }
    ui.endFrame();
    s.hits = ui.hits();
    s.reg.revealFocused = false;  // done for this focus; a new focus sets it again

    if (s.screen != ScreenId::OutOfOrder) {
        try {
            s.apply(actions, now);
        } catch (const StoreError& e) {
            s.enterOutOfOrder(now, e.what());
        } catch (const std::exception& e) {
            s.enterOutOfOrder(now, e.what());
        }
    }

    // Privacy: a resident who walks away leaves nothing behind for the next one.
    if (s.screen == ScreenId::OutOfOrder) {
        s.idlePromptSince = -1.0;
    } else if (s.idlePromptSince < 0.0) {
        if (s.idleWorthy() && now - s.lastInput >= s.config.idleTimeoutSeconds)
            s.idlePromptSince = now;
    } else if (now - s.idlePromptSince >= kIdlePromptSeconds) {
        s.resetAll();
    }
}

double KioskApp::nextWakeup(double now) const {
    const Impl& s = *m_impl;
    constexpr double kNever = std::numeric_limits<double>::infinity();
    double next = kNever;
    if (s.ui && s.ui->animating()) next = 0.0;  // a fling in flight: the next frame now
    if (s.screen == ScreenId::OutOfOrder) {
        next = std::min(next, std::max(0.0, s.retryAt - now));
    } else if (s.idlePromptSince >= 0.0) {
        // The countdown changes every second; the reset comes at the end.
        double elapsed = now - s.idlePromptSince;
        double toTick = 1.0 - std::fmod(std::max(0.0, elapsed), 1.0);
        next = std::min(next, std::max(0.0, std::min(toTick, kIdlePromptSeconds - elapsed)));
    } else if (s.idleWorthy()) {
        next = std::min(next, std::max(0.0, s.lastInput + s.config.idleTimeoutSeconds - now));
    }
    return next;
}

void KioskApp::setWakeupCallback(std::function<void()> wake) {
    m_impl->wake = std::move(wake);
}

void KioskApp::setSyncIndicator(const SyncIndicator& indicator) {
    bool changed = false;
    {
        std::lock_guard<std::mutex> lock(m_impl->syncMutex);
        SyncIndicator& shared = m_impl->syncShared;
        changed = shared.enrolled != indicator.enrolled || shared.online != indicator.online ||
                  shared.waiting != indicator.waiting;
        shared = indicator;
    }
    if (changed && m_impl->wake) m_impl->wake();
}

void KioskApp::notifyDataChanged() {
    m_impl->dataChanged = true;
    if (m_impl->wake) m_impl->wake();
}

const std::vector<Hit>& KioskApp::hits() const {
    return m_impl->hits;
}
std::string KioskApp::currentScreen() const {
    return screenName(m_impl->screen);
}
std::string KioskApp::language() const {
    return m_impl->lang;
}
void KioskApp::setTextRecording(bool on) {
    m_impl->ui->setTextRecording(on);
}
const std::vector<std::string>& KioskApp::drawnTexts() const {
    return m_impl->ui->drawnTexts();
}
int KioskApp::textSize() const {
    return m_impl->textSize;
}
bool KioskApp::highContrast() const {
    return m_impl->highContrast;
}

}  // namespace fadaa::kiosk
