// tests/ui/ui_harness.cpp - headless kiosk driving and catalogue seeding (see ui_harness.hpp).
#include "ui_harness.hpp"

#include <catch2/catch.hpp>

#include <chrono>
#include <regex>
#include <thread>

#include "i18n/utf8.hpp"
#include "support/test_support.hpp"
#include "util/time.hpp"

namespace fadaa::test {

HeadlessKiosk::HeadlessKiosk(const std::filesystem::path& db, const std::string& lang,
                             ImVec2 display, kiosk::KioskConfig config)
    : m_display(display) {
    m_ctx = ImGui::CreateContext();
    ImGui::SetCurrentContext(m_ctx);
    ImGuiIO& io = ImGui::GetIO();
    io.IniFilename = nullptr;
    io.DisplaySize = display;
    config.assetsDir = assetsDir();
    config.language = lang;
    m_tr = Translations::load(assetsDir() / "i18n");
    m_app = std::make_unique<kiosk::KioskApp>(db, config);
    m_app->setupFonts(1.0f);
    unsigned char* pixels = nullptr;
    int w = 0, h = 0;
    io.Fonts->GetTexDataAsRGBA32(&pixels, &w, &h);  // what the GL backend would upload
    m_app->setTextRecording(true);
    frame();
}

HeadlessKiosk::~HeadlessKiosk() {
    m_app.reset();
    ImGui::DestroyContext(m_ctx);
}

void HeadlessKiosk::frame(double dt) {
    ImGui::SetCurrentContext(m_ctx);
    ImGuiIO& io = ImGui::GetIO();
    m_now += dt;
    io.DeltaTime = static_cast<float>(dt > 0 ? dt : 1.0 / 60.0);
    io.DisplaySize = m_display;
    io.MousePos = m_pointer;
    io.MouseDown[0] = m_down;
    if (m_app->updateFonts()) {
        unsigned char* pixels = nullptr;
        int w = 0, h = 0;
        io.Fonts->GetTexDataAsRGBA32(&pixels, &w, &h);  // a new text size's atlas, swapped in
    }
    ImGui::NewFrame();
    m_app->frame(m_now);
    ImGui::Render();
}

void HeadlessKiosk::idle(double seconds) {
    double until = m_now + seconds;
    while (m_now + 0.5 < until) frame(0.5);
    frame(until - m_now);
}

const kiosk::Hit* HeadlessKiosk::find(const std::string& id) const {
    for (const auto& h : m_app->hits())
        if (h.id == id) return &h;
    return nullptr;
}

const kiosk::Hit* HeadlessKiosk::findLabel(const std::string& label) const {
    for (const auto& h : m_app->hits())
        if (h.label == label) return &h;
    return nullptr;
}

std::vector<std::string> HeadlessKiosk::ids(const std::string& prefix) const {
    std::vector<std::string> out;
    for (const auto& h : m_app->hits())
        if (h.id.rfind(prefix, 0) == 0) out.push_back(h.id);
    return out;
}

void HeadlessKiosk::tapAt(ImVec2 p) {
    m_pointer = p;
    m_down = true;
    frame();
    m_down = false;
    frame();
    m_pointer = {-FLT_MAX, -FLT_MAX};  // the window parks the pointer after a release
    frame();
    // A text size the tap chose is baked on a worker thread and swapped in a tenth of a
    // second later: wait for it (real time, at most 10 s), as the resident would.
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (m_app->fontsPending() && std::chrono::steady_clock::now() < until) {
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
        frame();
    }
}

void HeadlessKiosk::tap(const std::string& id) {
    const kiosk::Hit* hit = find(id);
    INFO("tap " << id << " on screen " << m_app->currentScreen());
    REQUIRE(hit != nullptr);
    tapAt({(hit->min.x + hit->max.x) * 0.5f, (hit->min.y + hit->max.y) * 0.5f});
}

void HeadlessKiosk::type(const std::string& text) {
    for (char32_t cp : utf8::decode(text)) {
        std::string ch;
        utf8::append(ch, cp);
        const std::string id = "keyboard.key." + (ch == " " ? std::string("space") : ch);
        if (!has(id) && has("keyboard.shift")) tap("keyboard.shift");
        if (!has(id)) {
            // Another layout may have it (Arabic letters while the Latin one is up).
            for (const std::string& layout : ids("keyboard.layout.")) {
                tap(layout);
                if (has(id)) break;
            }
        }
        INFO("typing '" << ch << "'");
        tap(id);
    }
}

void HeadlessKiosk::drag(ImVec2 from, ImVec2 to, int steps, double dt) {
    m_pointer = from;
    m_down = true;
    frame(dt);
    for (int i = 1; i <= steps; ++i) {
        float f = static_cast<float>(i) / static_cast<float>(steps);
        m_pointer = {from.x + (to.x - from.x) * f, from.y + (to.y - from.y) * f};
        frame(dt);
    }
    m_down = false;
    frame(dt);
    m_pointer = {-FLT_MAX, -FLT_MAX};
    frame(dt);
}

bool HeadlessKiosk::textShown(const std::string& text) const {
    for (const auto& s : m_app->drawnTexts())
        if (s == text || s.find(text) != std::string::npos) return true;
    return false;
}

std::vector<std::string> HeadlessKiosk::rawKeysShown() const {
    static const std::regex key(R"(^[a-z_]+(\.[a-z_0-9]+)+$)");
    std::vector<std::string> out;
    for (const auto& s : m_app->drawnTexts())
        if (std::regex_match(s, key)) out.push_back(s);
    return out;
}

namespace {

LocalizedText text4(const char* ar, const char* fr, const char* en, const char* zgh) {
    LocalizedText t;
    t.byLang = {{"ar", ar}, {"fr", fr}, {"en", en}, {"zgh", zgh}};
    return t;
}

}  // namespace

Seeded seedCatalogue(Database& db) {
    Catalogue cat(db);
    const Timestamp now = nowUtc();
    const Timestamp day = 24 * 3600;
    cat.upsertCategory({"chess", text4("شطرنج", "Échecs", "Chess", "ⴰⵙⴰⵔⵔⴰⴳ"), 1});
    cat.upsertCategory({"workshop", text4("ورشة", "Atelier", "Workshop", "ⴰⵙⵏⵎⴰⵍ"), 2});
    cat.upsertCategory({"concert", text4("حفل موسيقي", "Concert", "Concert", "ⴰⵙⵏⵓⵏⵏⵓ"), 3});
    cat.upsertCategory({"reading", text4("قراءة", "Lecture", "Reading", "ⵜⵖⵓⵔⵉ"), 4});
    cat.upsertVenue({"hall",
                     text4("القاعة الكبرى", "Grande salle", "Main hall", "ⵜⴰⵖⵔⵖⴰⵔⵜ ⵜⴰⵎⵇⵇⵔⴰⵏⵜ"),
                     "Benguerir"});
    cat.upsertOrganizer(
        {"club", text4("نادي الشطرنج", "Club d'échecs", "Chess club", "ⴰⵙⵇⵇⵉⵎ ⵏ ⵓⵙⴰⵔⵔⴰⴳ")});

    Event chess;
    chess.id = "chess-open";
    chess.categoryId = "chess";
    chess.organizerId = "club";
    chess.title = text4("بطولة الشطرنج المفتوحة", "Open d'échecs", "Chess open", "ⴰⵎⵏⴰⵔ ⵏ ⵓⵙⴰⵔⵔⴰⴳ");
    chess.description = text4("بطولة لجميع المستويات.", "Un tournoi pour tous les niveaux.",
                              "A tournament for every level.", "ⴰⵎⵏⴰⵔ ⵉ ⴽⵓⵍⵍⵓ.");
    chess.ageMin = 8;
    FormField section;
    section.key = "section";
    section.type = FieldType::Choice;
    section.required = true;
    section.label = text4("الفئة", "Section", "Section", "ⵜⴰⴳⵔⵓⵎⵎⴰ");
    section.choices = {{"u12", text4("أقل من 12 سنة", "Moins de 12 ans", "Under 12", "ⴷⴷⵓ 12")},
                       {"open", text4("مفتوح", "Open", "Open", "ⵉⵍⴷⵉ")}};
    FormField rating;
    rating.key = "rating";
    rating.type = FieldType::Number;
    rating.label = text4("التصنيف", "Classement Elo", "Rating", "ⴰⵙⵡⵉⵔ");
    rating.min = 0;
    rating.max = 3000;
    chess.form = {section, rating};
    cat.upsertEvent(chess);

    Event workshop;
    workshop.id = "leadership-workshop";
    workshop.categoryId = "workshop";
    workshop.title = text4("ورشة القيادة للشباب", "Atelier leadership jeunesse",
                           "Youth leadership workshop", "ⴰⵙⵏⵎⴰⵍ ⵏ ⵜⵎⵏⴰⴹⵜ");
    workshop.description =
        text4("ورشة تفاعلية.", "Un atelier pratique.", "A hands-on workshop.", "ⴰⵙⵏⵎⴰⵍ.");
    workshop.ageMin = 12;
    workshop.ageMax = 17;
    cat.upsertEvent(workshop);

    Event concert;
    concert.id = "andalusian-concert";
    concert.categoryId = "concert";
    concert.title = text4("حفل الموسيقى الأندلسية", "Concert de musique andalouse",
                          "Andalusian music concert", "ⴰⵙⵏⵓⵏⵏⵓ ⴰⵏⴷⴰⵍⵓⵙⵉ");
    concert.registrationRequired = false;
    cat.upsertEvent(concert);

    Event reading;
    reading.id = "reading-club";
    reading.categoryId = "reading";
    reading.title = text4("نادي القراءة", "Club de lecture", "Reading club", "ⴰⵙⵇⵇⵉⵎ ⵏ ⵜⵖⵓⵔⵉ");
    reading.ageMin = 50;
    cat.upsertEvent(reading);

    auto session = [&](const std::string& id, const std::string& event, Timestamp start,
                       std::optional<int> capacity) {
        Session s;
        s.id = id;
        s.eventId = event;
        s.venueId = "hall";
        s.startsAt = start;
        s.endsAt = start + 2 * 3600;
        s.capacity = capacity;
        cat.upsertSession(s);
        return id;
    };
    Seeded out;
    out.chessSession = session("chess-open-1", "chess-open", now + 2 * day, 2);
    out.workshopSession = session("workshop-1", "leadership-workshop", now + 3 * day, 1);
    out.concertSession = session("concert-1", "andalusian-concert", now + 1 * day, std::nullopt);
    out.readingSession = session("reading-1", "reading-club", now + 4 * day, std::nullopt);
    return out;
}

namespace {
Seeded seedWith(Database& db, const std::function<void(Database&)>& more) {
    Seeded s = seedCatalogue(db);
    if (more) more(db);
    return s;
}
}  // namespace

SeededKiosk::SeededKiosk(const std::string& lang, kiosk::KioskConfig config,
                         const std::function<void(Database&)>& more)
    : db(dir / "kiosk.sqlite"),
      seeded(seedWith(db, more)),
      k(dir / "kiosk.sqlite", lang, {1920, 1080}, std::move(config)) {}

void openRegistration(HeadlessKiosk& k, const std::string& title) {
    if (k.app().currentScreen() != "home") k.tap("bar.home");
    k.tap("home.all");
    const kiosk::Hit* card = k.findLabel(title);
    INFO("card " << title);
    REQUIRE(card);
    k.tap(card->id);
    REQUIRE(k.app().currentScreen() == "detail");
    k.tap("detail.register");
    REQUIRE(k.app().currentScreen() == "register");
}

}  // namespace fadaa::test
