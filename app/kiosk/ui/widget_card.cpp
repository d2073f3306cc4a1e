// app/kiosk/ui/widget_card.cpp - session cards, session rows and seat badges.
#include <algorithm>

#include "ui/widgets.hpp"

namespace fadaa::kiosk {
namespace {

struct BadgeLook {
    Icon icon;
    ImU32 back, text;
};

BadgeLook badgeLook(const Theme& th, SeatState state) {
    switch (state) {
        case SeatState::Available:
        case SeatState::Unlimited:
            return {Icon::Check, th.okBack, th.okText};
        case SeatState::Few:
            return {Icon::Ticket, th.waitBack, th.waitText};
        case SeatState::Full:
            return {Icon::Clock, th.waitBack, th.waitText};
        case SeatState::NoRegistration:
            return {Icon::Info, th.surface, th.text};
        case SeatState::NotYetOpen:
            return {Icon::Calendar, th.surface, th.text};
        case SeatState::Closed:
        case SeatState::Cancelled:
            return {Icon::Clear, th.errorBack, th.errorText};
    }
    return {Icon::Info, th.surface, th.text};
}

}  // namespace

float seatBadgeHeight(const Ui& ui) {
    return ui.lineHeight(ui.body()) + ui.px(12);
}

void drawSeatBadge(Ui& ui, SeatState state, const std::string& text, const Rect& r) {
    const Theme& th = ui.theme();
    BadgeLook look = badgeLook(th, state);
    const float h = std::min(r.h(), seatBadgeHeight(ui));
    const float iconSize = h * 0.55f, pad = ui.px(14);
    const float tw = std::min(ui.textWidth(text, ui.body()), r.w() - iconSize - pad * 3);
    Rect pill = Rect::xywh(r.min.x, r.min.y, tw + iconSize + pad * 3, h);
    ui.fill(pill, look.back, h * 0.5f);
    // The outline keeps the pill's shape visible in both themes, whatever its fill.
    ui.stroke(pill, look.text, std::max(1.5f, ui.px(2)), h * 0.5f);
    ui.icon(look.icon,
            Rect::xywh(pill.min.x + pad, pill.center().y - iconSize * 0.5f, iconSize, iconSize),
            look.text);
    ui.text(Rect::xywh(pill.min.x + pad * 2 + iconSize, pill.min.y, tw + 1, h), text, ui.body(),
            look.text);
}

namespace {
constexpr float kCardPad = 24.0f;

int titleLines(Ui& ui, const std::string& title, float innerWidth) {
    const size_t n = ui.wrapped(title, ui.heading(), innerWidth).size();
    return static_cast<int>(std::clamp<size_t>(n, 1, 2));
}
}  // namespace

float sessionCardHeight(Ui& ui, const SessionCardVm& card, float width) {
    const float pad = ui.px(kCardPad);
    return pad * 2 +
           ui.lineHeight(ui.heading()) *
               static_cast<float>(titleLines(ui, card.title, width - pad * 2)) +
           ui.lineHeight(ui.body()) * 2 + ui.px(12) + seatBadgeHeight(ui);
}

bool drawSessionCard(Ui& ui, const std::string& id, const SessionCardVm& card, const Rect& r) {
    const Theme& th = ui.theme();
    bool tapped = ui.tappable(id, card.title, r);
    bool down = ui.pressing(id);
    ui.fill(r, down ? th.surfacePressed : th.surface);
    ui.stroke(r, down ? th.focus : th.border, down ? th.borderWidth + 2.0f : th.borderWidth);

    const float pad = ui.px(kCardPad);
    Rect in = r.inset(pad);
    float y = in.min.y;
    const float lhH = ui.lineHeight(ui.heading()), lhB = ui.lineHeight(ui.body());
    const float titleH = lhH * static_cast<float>(titleLines(ui, card.title, in.w()));
    ui.paragraph(Rect::xywh(in.min.x, y, in.w(), titleH), card.title, ui.heading(), th.text, 2);
    y += titleH;
    const float iconSize = lhB * 0.6f;
    ui.icon(Icon::Clock, Rect::xywh(in.min.x, y + (lhB - iconSize) * 0.5f, iconSize, iconSize),
            th.text);
    ui.text(Rect::xywh(in.min.x + iconSize + ui.px(12), y, in.w() - iconSize - ui.px(12), lhB),
            card.when, ui.body(), th.text);
    y += lhB;
    std::string where = card.category.empty() ? card.venue
                        : card.venue.empty()  ? card.category
                                              : card.category + " \xC2\xB7 " + card.venue;
    ui.text(Rect::xywh(in.min.x, y, in.w(), lhB), where, ui.body(), th.textMuted);
    y += lhB + ui.px(12);
    drawSeatBadge(ui, card.seats, card.seatsText,
                  Rect::xywh(in.min.x, y, in.w(), seatBadgeHeight(ui)));
    return tapped;
}

float sessionRowHeight(Ui& ui) {
    return ui.px(18) * 2 + ui.lineHeight(ui.body()) * 2 + ui.px(8) + seatBadgeHeight(ui);
}

bool drawSessionRow(Ui& ui, const std::string& id, const SessionCardVm& row, const Rect& r,
                    bool selected) {
    const Theme& th = ui.theme();
    bool tapped = ui.tappable(id, row.when, r);
    bool down = ui.pressing(id);
    ui.fill(r, down || selected ? th.surfacePressed : th.surface);
    // Selected: a thick accent border and a check mark, not a colour alone.
    ui.stroke(r, selected ? th.focus : th.border,
              selected ? th.borderWidth + 3.0f : th.borderWidth);
    const float pad = ui.px(18), lhB = ui.lineHeight(ui.body());
    const float mark = ui.px(44);
    Rect in = r.inset(pad);
    Rect markRect = Rect::xywh(in.min.x, r.center().y - mark * 0.5f, mark, mark);
    if (selected) {
        ui.fill(markRect, th.accent, mark * 0.5f);
        ui.icon(Icon::Check, markRect.inset(mark * 0.2f), th.accentText);
    } else {
        ui.stroke(markRect, th.border, th.borderWidth + 1.0f, mark * 0.5f);
    }
    float x = in.min.x + mark + ui.px(18);
    float w = in.max.x - x;
    ui.text(Rect::xywh(x, in.min.y, w, lhB), row.when, ui.body(), th.text);
    ui.text(Rect::xywh(x, in.min.y + lhB, w, lhB), row.venue, ui.body(), th.textMuted);
    drawSeatBadge(ui, row.seats, row.seatsText,
                  Rect::xywh(x, in.min.y + lhB * 2 + ui.px(8), w, seatBadgeHeight(ui)));
    return tapped;
}

}  // namespace fadaa::kiosk
