// app/kiosk/ui/screen_home.cpp - home / attract: the four languages in their own scripts,
// "today", "this week", everything, my registration, and the categories as tiles.
#include <algorithm>

#include "ui/screens.hpp"
#include "ui/widgets.hpp"

namespace fadaa::kiosk {

Rect contentArea(const Ui& ui) {
    return Rect{{0, ui.px(metric::kBar)}, ui.screen()};
}

namespace {

// Height of everything below the bar, for the scroll area.
struct HomeLayout {
    float pad, gap, langH, tileH, catH, headH, introH;
    int catPerRow;
};

HomeLayout layoutFor(Ui& ui, float width, const HomeVm& vm) {
    HomeLayout l{};
    l.pad = ui.px(40);
    l.gap = ui.px(metric::kGap);
    l.langH = std::max(ui.px(110), ui.lineHeight(ui.heading()) + ui.px(30));
    l.tileH = std::max(ui.px(150), ui.lineHeight(ui.body()) * 2 + ui.px(40));
    l.catH = std::max(ui.px(100), ui.lineHeight(ui.body()) * 2 + ui.px(20));
    l.headH = ui.lineHeight(ui.heading());
    l.introH = ui.paragraphHeight(width, ui.t("home.intro"), ui.body());
    l.catPerRow = std::max(2, static_cast<int>(width / ui.px(340)));
    (void)vm;
    return l;
}

}  // namespace

void drawHomeScreen(Ui& ui, const HomeVm& vm, Actions& actions) {
    const Theme& th = ui.theme();
    Rect area = contentArea(ui);
    const float width = area.w() - ui.px(80);
    HomeLayout l = layoutFor(ui, width, vm);
    int catRows = (static_cast<int>(vm.categories.size()) + l.catPerRow - 1) / l.catPerRow;
    float contentH = l.pad + l.headH + l.introH + l.gap + l.langH + l.gap * 2 + l.headH + l.gap +
                     l.tileH + l.gap * 2 + l.headH + l.gap +
                     static_cast<float>(catRows) * (l.catH + l.gap) + l.pad;

    float scroll = ui.beginScroll("home", area, contentH);
    float x = area.min.x + l.pad;
    float y = area.min.y + l.pad - scroll;

    ui.text(Rect::xywh(x, y, width, l.headH), ui.t("home.welcome", {{"kiosk", vm.kioskName}}),
            ui.heading(), th.text);
    y += l.headH;
    ui.paragraph(Rect::xywh(x, y, width, l.introH), ui.t("home.intro"), ui.body(), th.textMuted);
    y += l.introH + l.gap;
    drawLanguageRow(ui, vm.languages, Rect::xywh(x, y, width, l.langH), "home.lang", actions);
    y += l.langH + l.gap * 2;

    ui.text(Rect::xywh(x, y, width, l.headH), ui.t("home.what"), ui.heading(), th.text);
    y += l.headH + l.gap;
    struct Tile {
        const char* id;
        const char* key;
        Icon icon;
        ButtonStyle style;
    };
    const Tile tiles[] = {
        {"home.today", "home.today", Icon::Calendar, ButtonStyle::Primary},
        {"home.week", "home.week", Icon::Calendar, ButtonStyle::Primary},
        {"home.all", "home.all", Icon::Search, ButtonStyle::Secondary},
        {"home.my_registration", "home.my_registration", Icon::Ticket, ButtonStyle::Secondary},
    };
    const float tw = (width - l.gap * 3) / 4;
    for (int i = 0; i < 4; ++i) {
        Rect r = Rect::xywh(x + static_cast<float>(i) * (tw + l.gap), y, tw, l.tileH);
        if (ui.button(tiles[i].id, ui.t(tiles[i].key), r, tiles[i].style, tiles[i].icon,
                      ui.heading())) {
            if (i == 3) {
                actions.myRegistration = true;
            } else {
                BrowseFilters f;
                f.day = i == 0 ? DayFilter::Today : i == 1 ? DayFilter::Week : DayFilter::All;
                actions.browse = f;
            }
        }
    }
    y += l.tileH + l.gap * 2;

    ui.text(Rect::xywh(x, y, width, l.headH), ui.t("home.categories"), ui.heading(), th.text);
    y += l.headH + l.gap;
    const float cw =
        (width - l.gap * static_cast<float>(l.catPerRow - 1)) / static_cast<float>(l.catPerRow);
    for (size_t i = 0; i < vm.categories.size(); ++i) {
        int col = static_cast<int>(i) % l.catPerRow, row = static_cast<int>(i) / l.catPerRow;
        Rect r = Rect::xywh(x + static_cast<float>(col) * (cw + l.gap),
                            y + static_cast<float>(row) * (l.catH + l.gap), cw, l.catH);
        if (ui.button("home.category." + vm.categories[i].id, vm.categories[i].name, r,
                      ButtonStyle::Secondary)) {
            BrowseFilters f;
            f.categoryId = vm.categories[i].id;
            actions.browse = f;
        }
    }
    ui.endScroll();
}

}  // namespace fadaa::kiosk
