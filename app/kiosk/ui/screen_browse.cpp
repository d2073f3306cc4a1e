// app/kiosk/ui/screen_browse.cpp - sessions as large cards, filters by category, day and
// audience, and search narrowing the list at each letter typed on the on-screen keyboard.
//
// The card list is virtualised: row heights (a card is as tall as its title needs) are measured
// once per list and kept, so only the rows in view are drawn and a list of thousands costs what
// a screenful costs. The next page is asked for (Actions::
// loadMore) when the last rows come into view.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "ui/screens.hpp"
#include "ui/widgets.hpp"

namespace fadaa::kiosk {
namespace {

const char* dayId(DayFilter d) {
    switch (d) {
        case DayFilter::All:
            return "all";
        case DayFilter::Today:
            return "today";
        case DayFilter::Week:
            return "week";
        case DayFilter::Month:
            return "month";
        case DayFilter::Day:
            return "pick";
    }
    return "all";
}

const char* audienceId(Audience a) {
    switch (a) {
        case Audience::All:
            return "all";
        case Audience::Children:
            return "children";
        case Audience::Teens:
            return "teens";
        case Audience::Adults:
            return "adults";
        case Audience::Seniors:
            return "seniors";
    }
    return "all";
}

// The side panel: the categories, scrolling when they do not fit.
void drawFilterPanel(Ui& ui, const BrowseVm& vm, const Rect& panel, Actions& actions) {
    const Theme& th = ui.theme();
    const float pad = ui.px(24), gap = ui.px(metric::kGap), headH = ui.lineHeight(ui.heading());
    std::vector<CategoryVm> categories = {{"all", ui.t("browse.category.all")}};
    categories.insert(categories.end(), vm.categories.begin(), vm.categories.end());
    const float x = panel.min.x + pad, w = panel.w() - pad * 2 - ui.px(16);
    const float contentH = pad * 2 + headH + gap * 0.5f + chipsHeight(ui, categories, w, 1);
    float scroll = ui.beginScroll("browse.filters", panel, contentH);
    float y = panel.min.y + pad - scroll;
    ui.text(Rect::xywh(x, y, w, headH), ui.t("browse.category"), ui.heading(), th.text);
    y += headH + gap * 0.5f;
    float h = 0;
    int tapped = drawChips(ui, "browse.category", categories,
                           vm.filters.categoryId.empty() ? "all" : vm.filters.categoryId,
                           Rect::xywh(x, y, w, 0), h, 1);
    if (tapped >= 0) {
        BrowseFilters f = vm.filters;
        f.categoryId = tapped == 0 ? "" : categories[static_cast<size_t>(tapped)].id;
        actions.filters = f;
    }
    ui.endScroll();
}

// Two rows of chips above the cards: when, and for whom. Returns the height used.
float drawChipRows(Ui& ui, const BrowseVm& vm, float x, float y, float w, Actions& actions) {
    const float gap = ui.px(metric::kGap);
    std::vector<CategoryVm> days;
    for (DayFilter d :
         {DayFilter::All, DayFilter::Today, DayFilter::Week, DayFilter::Month, DayFilter::Day}) {
        std::string label = d == DayFilter::Day && !vm.pickedDayLabel.empty()
                                ? vm.pickedDayLabel
                                : ui.t(std::string("browse.day.") + dayId(d));
        days.push_back({dayId(d), label});
    }
    float h = 0;
    int tapped =
        drawChips(ui, "browse.day", days, dayId(vm.filters.day), Rect::xywh(x, y, w, 0), h, 5);
    if (tapped == 4) {
        actions.openDayPicker = true;
    } else if (tapped >= 0) {
        BrowseFilters f = vm.filters;
        f.day = static_cast<DayFilter>(tapped);
        actions.filters = f;
    }
    float used = h + gap * 0.6f;
    std::vector<CategoryVm> audiences;
    for (Audience a :
         {Audience::All, Audience::Children, Audience::Teens, Audience::Adults, Audience::Seniors})
        audiences.push_back({audienceId(a), ui.t(std::string("browse.audience.") + audienceId(a))});
    tapped = drawChips(ui, "browse.audience", audiences, audienceId(vm.filters.audience),
                       Rect::xywh(x, y + used, w, 0), h, 5);
    if (tapped >= 0) {
        BrowseFilters f = vm.filters;
        f.audience = static_cast<Audience>(tapped);
        actions.filters = f;
    }
    return used + h;
}

void drawSearchBox(Ui& ui, const BrowseVm& vm, const Rect& r, Actions& actions) {
    const Theme& th = ui.theme();
    const bool hasText = !vm.filters.search.empty() && !ui.concealTyped();
    // The clear button as wide as its words need on one line ("Tout effacer"), icon included
    // (Ui::button's padding, icon and gap).
    const std::string clearLabel = ui.t("browse.search.clear");
    const float clearW =
        hasText ? std::max(ui.px(220), ui.textWidth(clearLabel, ui.body()) + ui.px(16) * 2 +
                                           std::min(r.h() * 0.5f, ui.px(40)) + ui.px(12) + ui.px(8))
                : 0.0f;
    Rect box{r.min, {r.max.x - (hasText ? clearW + ui.px(metric::kGap) : 0.0f), r.max.y}};
    std::string label = hasText ? vm.filters.search : ui.t("browse.search");
    if (ui.tappable("browse.search", ui.t("browse.search"), box)) actions.openSearch = true;
    bool down = ui.pressing("browse.search");
    ui.fill(box, down ? th.surfacePressed : th.surface, ui.px(10));
    ui.stroke(box, vm.keyboardOpen ? th.focus : th.border,
              vm.keyboardOpen ? th.borderWidth + 3.0f : th.borderWidth, ui.px(10));
    const float iconSize = box.h() * 0.45f;
    ui.icon(Icon::Search,
            Rect::xywh(box.min.x + ui.px(20), box.center().y - iconSize * 0.5f, iconSize, iconSize),
            th.text);
    Rect textRect{{box.min.x + iconSize + ui.px(40), box.min.y},
                  {box.max.x - ui.px(20), box.max.y}};
    ui.text(textRect, label, ui.body(), hasText ? th.text : th.textMuted);
    if (hasText &&
        ui.button("browse.search.clear", clearLabel, Rect{{r.max.x - clearW, r.min.y}, r.max},
                  ButtonStyle::Secondary, Icon::Clear))
        actions.clearSearch = true;
}

void drawDayPicker(Ui& ui, const BrowseVm& vm, Actions& actions) {
    const Theme& th = ui.theme();
    const int cols = 7;
    const int rows = (static_cast<int>(vm.dayChoices.size()) + cols - 1) / cols;
    const float cellH = std::max(ui.px(100), ui.lineHeight(ui.body()) * 2 + ui.px(16));
    const float gap = ui.px(12);
    const float headH = ui.lineHeight(ui.heading());
    float height = ui.px(80) + headH + gap + static_cast<float>(rows) * (cellH + gap) + ui.px(100);
    Rect in = beginPrompt(ui, ui.px(1700), height);
    ui.text(Rect::xywh(in.min.x, in.min.y, in.w(), headH), ui.t("browse.day.pick_title"),
            ui.heading(), th.text, Align::Center);
    const float cw = (in.w() - gap * (cols - 1)) / cols;
    float y0 = in.min.y + headH + gap;
    for (size_t i = 0; i < vm.dayChoices.size(); ++i) {
        const DayChoiceVm& d = vm.dayChoices[i];
        Rect r = Rect::xywh(in.min.x + static_cast<float>(i % cols) * (cw + gap),
                            y0 + static_cast<float>(i / cols) * (cellH + gap), cw, cellH);
        std::string id = "browse.day.pick." + d.key;
        bool chosen = vm.filters.day == DayFilter::Day && vm.filters.pickedDay == d.day;
        if (ui.tappable(id, d.weekday + " " + d.date, r)) actions.pickDay = d.day;
        bool down = ui.pressing(id);
        ui.fill(r, chosen ? th.accent : down ? th.surfacePressed : th.surface, ui.px(10));
        ui.stroke(r, chosen ? th.focus : th.border, chosen ? th.borderWidth + 2 : th.borderWidth,
                  ui.px(10));
        ImU32 c = chosen ? th.accentText : th.text;
        float lh = ui.lineHeight(ui.body());
        ui.text(Rect::xywh(r.min.x, r.center().y - lh, r.w(), lh), d.weekday, ui.body(), c,
                Align::Center);
        ui.text(Rect::xywh(r.min.x, r.center().y, r.w(), lh), d.date, ui.body(), c, Align::Center);
    }
    if (ui.button(
            "browse.day.close", ui.t("common.close"),
            Rect::xywh(in.center().x - ui.px(200), in.max.y - ui.px(90), ui.px(400), ui.px(90)),
            ButtonStyle::Secondary, Icon::Clear))
        actions.closeDayPicker = true;
    endPrompt(ui);
}

}  // namespace

void drawBrowseScreen(Ui& ui, const ScreenContext& ctx, const BrowseVm& vm, Actions& actions) {
    const Theme& th = ui.theme();
    Rect area = contentArea(ui);
    const float gap = ui.px(metric::kGap), pad = ui.px(28);
    const float panelW = std::min(ui.px(460), area.w() * 0.3f);
    const KeyboardLayout* keyboard = nullptr;
    float keyboardTop = area.max.y;
    if (vm.keyboardOpen && ctx.keyboards.has(vm.keyboardLayout)) {
        keyboard = &ctx.keyboards.get(vm.keyboardLayout);
        keyboardTop = area.max.y - keyboardHeight(ui, *keyboard);
    }

    drawFilterPanel(ui, vm, Rect{area.min, {area.min.x + panelW, keyboardTop}}, actions);
    ui.fill(Rect::xywh(area.min.x + panelW, area.min.y, ui.px(2), area.h()), th.border, 0.0f);

    const float x = area.min.x + panelW + pad, w = area.max.x - pad - x;
    float y = area.min.y + pad;
    const float rowH = std::max(ui.px(metric::kTouch), ui.lineHeight(ui.body()) + ui.px(24));
    drawSearchBox(ui, vm, Rect::xywh(x, y, w, rowH), actions);
    y += rowH + gap;

    // While a search is typed the chips give their room to the list that narrows.
    if (!keyboard) y += drawChipRows(ui, vm, x, y, w, actions) + gap;

    // The cards.
    Rect list{{x, y}, {area.max.x, keyboardTop}};
    const int cols = w >= ui.px(1100) ? 2 : 1;
    const float cardW =
        (w - gap * static_cast<float>(cols - 1) - ui.px(24)) / static_cast<float>(cols);
    const int n = static_cast<int>(vm.cards.size());
    const int rows = (n + cols - 1) / cols;
    if (n == 0) {
        float lh = ui.lineHeight(ui.heading());
        ui.icon(Icon::Info, Rect::xywh(x, y + ui.px(20), lh, lh), th.text);
        ui.paragraph(Rect::xywh(x + lh + ui.px(16), y + ui.px(20), w - lh - ui.px(16), lh * 2),
                     ui.t("browse.empty"), ui.heading(), th.text);
        if (ui.button("browse.reset", ui.t("browse.reset"),
                      Rect::xywh(x, y + ui.px(40) + lh * 2, ui.px(520), rowH), ButtonStyle::Primary,
                      Icon::Clear))
            actions.filters = BrowseFilters{};
    } else {
        // Each row as tall as its tallest card (a one-line title needs less); the heights are
        // measured once per list, so scrolling thousands costs what a screenful costs.
        const std::string key = fmt::format("{}|{}|{}|{}", vm.cardsRevision, cardW,
                                            ui.sizeOf(ui.heading()), ui.sizeOf(ui.body()));
        const std::vector<float>& tops = ui.rowTops(
            "browse.list", key, static_cast<size_t>(rows),
            [&](size_t row) {
                float h = 0.0f;
                const size_t per = static_cast<size_t>(cols);
                for (size_t i = row * per; i < std::min(vm.cards.size(), (row + 1) * per); ++i)
                    h = std::max(h, sessionCardHeight(ui, vm.cards[i], cardW));
                return h;
            },
            gap);
        float scroll = ui.beginScroll("browse.list", list, tops.back() + gap);
        // Rows from the one under the top edge to the one under the bottom edge.
        auto rowAt = [&](float offset) {
            auto it = std::upper_bound(tops.begin(), tops.end() - 1, offset);
            return std::clamp(static_cast<int>(it - tops.begin()) - 1, 0, rows - 1);
        };
        const int first = rowAt(scroll), last = rowAt(scroll + list.h());
        for (int row = first; row <= last; ++row) {
            const size_t ri = static_cast<size_t>(row);
            const float rowH = tops[ri + 1] - tops[ri] - gap;
            for (int c = 0; c < cols; ++c) {
                int i = row * cols + c;
                if (i >= n) break;
                Rect r = Rect::xywh(x + static_cast<float>(c) * (cardW + gap),
                                    y + tops[ri] - scroll, cardW, rowH);
                if (drawSessionCard(ui, "browse.card." + std::to_string(i),
                                    vm.cards[static_cast<size_t>(i)], r))
                    actions.openCard = i;
            }
        }
        if (vm.hasMore && last >= rows - 2) actions.loadMore = true;
        ui.endScroll();
    }

    if (keyboard) {
        KeyboardInput in = drawKeyboard(ui, ctx.keyboards, *keyboard, vm.shift, area,
                                        ui.t("keyboard.show_results"));
        if (in.enter) actions.closeSearch = true;
        actions.keys = in;
    }
    if (vm.dayPickerOpen) drawDayPicker(ui, vm, actions);
}

}  // namespace fadaa::kiosk
