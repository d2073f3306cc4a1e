// tests/ui/layout_test.cpp - things sized to what they hold: filter chips fit their label on
// one line (or wrap with the height to show every line) in every language and text size, and
// session cards are as tall as their title needs while the list still scrolls and taps right.
#include <catch2/catch.hpp>

#include <algorithm>
#include <map>

#include "support/test_support.hpp"
#include "ui/fonts.hpp"
#include "ui/ui.hpp"
#include "ui/widgets.hpp"
#include "ui_harness.hpp"
#include "util/time.hpp"

using namespace fadaa;
using namespace fadaa::kiosk;
using namespace fadaa::test;

namespace {

// A Ui over the kiosk's real font atlas, without GL or a window: enough to measure and lay out.
// The atlas holds one text size, as the kiosk's does: frame() bakes the size it is asked for.
struct UiFixture {
    ImGuiContext* ctx = ImGui::CreateContext();
    KioskFonts fonts;
    Translations tr = Translations::load(assetsDir() / "i18n");
    std::unique_ptr<Ui> ui;
    UiFixture() {
        ImGui::SetCurrentContext(ctx);
        bake(1);
        ui = std::make_unique<Ui>(fonts, tr);
    }
    ~UiFixture() {
        ui.reset();
        ImGui::DestroyContext(ctx);
    }
    void bake(int textSize) {
        fonts.build(*ImGui::GetIO().Fonts, 1.0f, textSize);
        unsigned char* px = nullptr;
        int w = 0, h = 0;
        ImGui::GetIO().Fonts->GetTexDataAsRGBA32(&px, &w, &h);
    }
    void frame(const std::string& lang, int textSize, ImVec2 display) {
        ImGui::SetCurrentContext(ctx);
        if (textSize != fonts.bakedLevel()) bake(textSize);
        ImGuiIO& io = ImGui::GetIO();
        io.DisplaySize = display;
        ui->beginFrame(1.0, nullptr, io, lang, lang == "ar", textSize, false);
    }
};

std::vector<CategoryVm> labels(const Translations& tr, const std::string& lang,
                               const std::string& prefix, std::initializer_list<const char*> ids) {
    std::vector<CategoryVm> out;
    for (const char* id : ids) out.push_back({id, tr.get(lang, prefix + id)});
    return out;
}

// Every chip inside the row's width, none over another, each at least a touch target tall and
// tall enough for every line of its label. Returns how many labels had to wrap.
int checkChips(Ui& ui, const std::vector<CategoryVm>& chips, float width, int perRow) {
    const Rect r = Rect::xywh(100, 50, width, 0);
    const ChipsLayout layout = layoutChips(ui, chips, r, perRow);
    REQUIRE(layout.rects.size() == chips.size());
    int wrappedLabels = 0;
    float bottom = r.min.y;
    for (size_t i = 0; i < chips.size(); ++i) {
        const Rect& c = layout.rects[i];
        INFO("chip \"" << chips[i].name << "\" in " << width << " px, " << perRow << " a row");
        CHECK(c.min.x >= r.min.x - 0.5f);
        CHECK(c.max.x <= r.max.x + 0.5f);
        CHECK(c.h() >= ui.px(metric::kTouch) - 0.5f);
        const auto& lines = ui.wrapped(chips[i].name, ui.body(), chipTextWidth(ui, c.w()));
        CHECK(c.h() >= static_cast<float>(lines.size()) * ui.sizeOf(ui.body()) * 1.1f);
        if (lines.size() > 1) ++wrappedLabels;
        for (size_t j = i + 1; j < chips.size(); ++j) CHECK(c.intersect(layout.rects[j]).empty());
        bottom = std::max(bottom, c.max.y);
    }
    CHECK(layout.height == Approx(bottom - r.min.y).margin(0.5));
    CHECK(chipsHeight(ui, chips, width, perRow) == Approx(layout.height));
    return wrappedLabels;
}

}  // namespace

TEST_CASE("filter chips fit their label on one line in every language and text size",
          "[ui][layout][chips]") {
    UiFixture fx;
    for (const char* lang : {"ar", "fr", "en", "zgh"}) {
        for (int size = 0; size < kTextSizeLevels; ++size) {
            for (ImVec2 display : {ImVec2{1920, 1080}, ImVec2{1366, 768}, ImVec2{1280, 1024}}) {
                INFO(lang << ", text size " << size << ", " << display.x << "x" << display.y);
                fx.frame(lang, size, display);
                Ui& ui = *fx.ui;
                // The width the browse screen gives its two chip rows (screen_browse.cpp).
                const float panelW = std::min(ui.px(460), display.x * 0.3f);
                const float rowW = display.x - panelW - ui.px(28) * 2;
                const auto days =
                    labels(fx.tr, lang, "browse.day.", {"all", "today", "week", "month", "pick"});
                const auto audiences = labels(fx.tr, lang, "browse.audience.",
                                              {"all", "children", "teens", "adults", "seniors"});
                // "Toutes les dates" and the others: never squeezed into two lines.
                CHECK(checkChips(ui, days, rowW, 5) == 0);
                CHECK(checkChips(ui, audiences, rowW, 5) == 0);
                // Narrow places wrap gracefully: taller chips, every line shown.
                checkChips(ui, days, ui.px(420), 1);
                checkChips(ui, days, ui.px(300), 0);
                checkChips(ui, audiences, ui.px(700), 3);
            }
        }
    }
}

TEST_CASE("a chip label too long for its row wraps onto lines its chip is tall enough for",
          "[ui][layout][chips]") {
    UiFixture fx;
    fx.frame("fr", 2, {1920, 1080});
    Ui& ui = *fx.ui;
    const std::vector<CategoryVm> chips = {
        {"a", "Oui"},
        {"b", "Cours du soir de l'école de la deuxième chance pour adultes"},
        {"c", "Non"}};
    const float width = ui.px(420);
    CHECK(checkChips(ui, chips, width, 1) == 1);
    const ChipsLayout layout = layoutChips(ui, chips, Rect::xywh(0, 0, width, 0), 1);
    CHECK(layout.rects[1].h() > layout.rects[0].h());
    CHECK(layout.rects[0].h() == Approx(layout.rects[2].h()));
}

namespace {

// A session of an event whose title needs two lines on a card, and more sessions of the
// one-line "Club de lecture", so that the list scrolls and mixes both heights.
void addLongTitles(Database& db) {
    Catalogue cat(db);
    Event longer;
    longer.id = "second-chance";
    longer.categoryId = "reading";
    longer.title.byLang["fr"] = "Cours du soir de l'école de la deuxième chance, niveau deux";
    cat.upsertEvent(longer);
    for (int i = 0; i < 12; ++i) {
        Session s;
        s.id = "extra-" + std::to_string(i);
        s.eventId = i % 5 == 0 ? "second-chance" : "reading-club";
        s.venueId = "hall";
        s.startsAt = nowUtc() + 7200 + i * 3600;  // first in the list, in view
        s.endsAt = s.startsAt + 1800;
        cat.upsertSession(s);
    }
}

}  // namespace

TEST_CASE("session cards are as tall as their title needs; scrolling and taps stay right",
          "[ui][layout][cards]") {
    for (const char* lang : {"fr", "ar"}) {
        DYNAMIC_SECTION("language " << lang) {
            SeededKiosk fx(lang, {}, addLongTitles);
            HeadlessKiosk& k = fx.k;
            k.tap("home.all");
            const std::string longTitle =
                "Cours du soir de l'école de la deuxième chance, niveau deux";
            const std::string shortTitle = Catalogue(fx.db).event("reading-club")->title.get(lang);

            // Rows of cards as drawn: the same top in a row, one gap between rows.
            std::map<float, std::vector<const Hit*>> rows;
            for (const std::string& id : k.ids("browse.card."))
                rows[k.find(id)->min.y].push_back(k.find(id));
            REQUIRE(rows.size() >= 3);
            float shortRow = 0, longRow = 0;
            const Hit* prev = nullptr;
            for (const auto& [top, cards] : rows) {
                bool hasLong = false;
                for (const Hit* c : cards) {
                    hasLong = hasLong || c->label == longTitle;
                    CHECK(c->max.y - c->min.y ==
                          Approx(cards.front()->max.y - cards.front()->min.y));
                }
                const float h = cards.front()->max.y - cards.front()->min.y;
                // Hits are clipped to the list: a row cut by its bottom edge says nothing.
                if (cards.front()->max.y < k.display().y - 10.0f) {
                    if (hasLong) longRow = std::max(longRow, h);
                    if (!hasLong) shortRow = shortRow == 0 ? h : std::min(shortRow, h);
                }
                if (prev) CHECK(top - prev->max.y == Approx(20.0f).margin(0.5));
                prev = cards.front();
            }
            REQUIRE(longRow > 0);
            REQUIRE(shortRow > 0);
            // One title line less: shorter by about a heading line.
            CHECK(longRow - shortRow > 30.0f);

            // After a drag the same card is still where a finger finds it.
            const Hit* first = k.find("browse.card.0");
            ImVec2 from{(first->min.x + first->max.x) * 0.5f, k.display().y - 150.0f};
            k.drag(from, {from.x, from.y - 500}, 30, 0.05);
            for (const std::string& id : k.ids("browse.card.")) {
                const Hit* h = k.find(id);
                if (h->max.y - h->min.y < 150.0f) continue;  // mostly out of view
                const std::string title = h->label;
                INFO("tapping " << id << " \"" << title << "\"");
                k.tap(id);
                REQUIRE(k.app().currentScreen() == "detail");
                CHECK(k.textShown(title));
                k.tap("bar.back");
                REQUIRE(k.app().currentScreen() == "browse");
            }
            CHECK(k.textShown(shortTitle));
        }
    }
}

TEST_CASE("the clear-search button holds its words on one line in every language and size",
          "[ui][layout]") {
    UiFixture measure;
    for (const char* lang : {"ar", "fr", "en", "zgh"}) {
        DYNAMIC_SECTION("language " << lang) {
            SeededKiosk fx(lang);
            HeadlessKiosk& k = fx.k;
            k.tap("home.all");
            k.tap("browse.search");
            k.type("a");
            for (int i = 0; i < kTextSizeLevels; ++i) {  // each size once (the bar cycles)
                const int size = k.app().textSize();
                INFO("text size " << size);
                measure.frame(lang, size, k.display());
                Ui& ui = *measure.ui;
                const Hit* clear = k.find("browse.search.clear");
                REQUIRE(clear);
                const float h = clear->max.y - clear->min.y;
                // Ui::button: padding both sides, the icon, the gap, the words.
                const float need = ui.textWidth(k.t("browse.search.clear"), ui.body()) +
                                   ui.px(16) * 2 + std::min(h * 0.5f, ui.px(40)) + ui.px(12);
                CHECK(clear->max.x - clear->min.x >= need);
                k.tap("bar.text_size");
            }
        }
    }
}
