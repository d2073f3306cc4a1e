// app/kiosk/ui/screen_detail.cpp - one event: description, organizer, audience, all its
// sessions with their seats, and a big Register button for the chosen session.
#include <algorithm>

#include "ui/screens.hpp"
#include "ui/widgets.hpp"

namespace fadaa::kiosk {
namespace {

// The start column: what the event is. Returns nothing; scrolls on its own.
void drawAbout(Ui& ui, const DetailVm& vm, const Rect& col) {
    const Theme& th = ui.theme();
    const float pad = ui.px(40), gap = ui.px(metric::kGap);
    const float w = col.w() - pad * 2 - ui.px(16);
    const float lhB = ui.lineHeight(ui.body());
    // "label: value" as one sentence, so it wraps and reorders as a whole in Arabic.
    std::vector<std::string> facts;
    auto fact = [&](const char* key, const std::string& value) {
        if (!value.empty())
            facts.push_back(ui.t("detail.fact", {{"label", ui.t(key)}, {"value", value}}));
    };
    fact("detail.category", vm.category);
    fact("detail.organizer", vm.organizer);
    fact("detail.audience", vm.audience);

    float titleH = ui.paragraphHeight(w, vm.title, ui.heading());
    float factsH = 0;
    for (const auto& f : facts) factsH += ui.paragraphHeight(w, f, ui.body());
    float descH = ui.paragraphHeight(w, vm.description, ui.body());
    float contentH = pad + titleH + gap + factsH + gap * 2 + descH + pad;

    float scroll = ui.beginScroll("detail.about", col, contentH);
    float x = col.min.x + pad, y = col.min.y + pad - scroll;
    y += ui.paragraph(Rect::xywh(x, y, w, titleH), vm.title, ui.heading(), th.text) + gap;
    for (const auto& f : facts)
        y += ui.paragraph(Rect::xywh(x, y, w, lhB * 4), f, ui.body(), th.textMuted);
    y += gap;
    ui.fill(Rect::xywh(x, y, w, ui.px(2)), th.border, 0.0f);
    y += gap;
    ui.paragraph(Rect::xywh(x, y, w, descH), vm.description, ui.body(), th.text);
    ui.endScroll();
}

}  // namespace

void drawDetailScreen(Ui& ui, const DetailVm& vm, Actions& actions) {
    const Theme& th = ui.theme();
    Rect area = contentArea(ui);
    const float split = area.min.x + area.w() * 0.56f;
    drawAbout(ui, vm, Rect{area.min, {split, area.max.y}});
    ui.fill(Rect::xywh(split, area.min.y, ui.px(2), area.h()), th.border, 0.0f);

    const float pad = ui.px(32), gap = ui.px(metric::kGap);
    const float x = split + pad, w = area.max.x - pad - x;
    const float headH = ui.lineHeight(ui.heading());
    float y = area.min.y + pad;
    ui.text(Rect::xywh(x, y, w, headH), ui.t("detail.sessions"), ui.heading(), th.text);
    y += headH + gap;

    const float buttonH = ui.px(120);
    const float bottom = area.max.y - pad - buttonH - gap;
    Rect list{{split + ui.px(2), y}, {area.max.x, bottom}};
    const float rowH = sessionRowHeight(ui), stride = rowH + gap;
    float scroll =
        ui.beginScroll("detail.sessions", list, static_cast<float>(vm.sessions.size()) * stride);
    for (size_t i = 0; i < vm.sessions.size(); ++i) {
        Rect r = Rect::xywh(x, y + static_cast<float>(i) * stride - scroll, w - ui.px(16), rowH);
        if (r.max.y < list.min.y || r.min.y > list.max.y) continue;
        if (drawSessionRow(ui, "detail.session." + std::to_string(i), vm.sessions[i], r,
                           static_cast<int>(i) == vm.selected))
            actions.selectSession = static_cast<int>(i);
    }
    ui.endScroll();

    // As wide as the session rows above it (they leave room for the scroll bar).
    Rect action = Rect::xywh(x, area.max.y - pad - buttonH, w - ui.px(16), buttonH);
    const SessionCardVm* chosen =
        vm.selected >= 0 && vm.selected < static_cast<int>(vm.sessions.size())
            ? &vm.sessions[static_cast<size_t>(vm.selected)]
            : nullptr;
    std::string note;
    if (!vm.registrationRequired) {
        note = ui.t("detail.no_registration");
    } else if (!chosen) {
        note = ui.t("detail.choose_session");
    } else if (!chosen->canRegister) {
        note = chosen->seatsText;
    }
    if (note.empty()) {
        std::string label = chosen->seats == SeatState::Full ? ui.t("detail.join_waitlist")
                                                             : ui.t("detail.register");
        if (ui.button("detail.register", label, action, ButtonStyle::Primary, Icon::Person,
                      ui.heading()))
            actions.startRegistration = true;
    } else {
        ui.fill(action, th.surface, ui.px(10));
        ui.stroke(action, th.border, th.borderWidth, ui.px(10));
        float lh = ui.lineHeight(ui.body());
        ui.icon(Icon::Info,
                Rect::xywh(action.min.x + ui.px(24), action.center().y - lh * 0.35f, lh * 0.7f,
                           lh * 0.7f),
                th.text);
        Rect tr{{action.min.x + ui.px(36) + lh, action.min.y},
                {action.max.x - ui.px(16), action.max.y}};
        float h = ui.paragraphHeight(tr.w(), note, ui.body(), 2);
        tr.min.y = action.center().y - h * 0.5f;
        ui.paragraph(tr, note, ui.body(), th.text, 2);
    }
}

}  // namespace fadaa::kiosk
