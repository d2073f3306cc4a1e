// app/kiosk/ui/screen_confirmation.cpp - the result of a registration in plain words, the
// code in large type and as a QR code.
#include <algorithm>
#include <cfloat>
#include <cmath>

#include "ui/screens.hpp"
#include "ui/widgets.hpp"

namespace fadaa::kiosk {
namespace {

// "7K3QX9" -> "7K3 QX9": groups of three are easier to read out and copy.
std::string spaced(const std::string& code) {
    std::string out;
    for (size_t i = 0; i < code.size(); ++i) {
        if (i > 0 && i % 3 == 0) out += ' ';
        out += code[i];
    }
    return out;
}

}  // namespace

void drawConfirmationScreen(Ui& ui, const ConfirmationVm& vm, Actions& actions) {
    const Theme& th = ui.theme();
    Rect area = contentArea(ui);
    const float pad = ui.px(48), gap = ui.px(metric::kGap);
    const float split = area.min.x + area.w() * 0.55f;
    const float x = area.min.x + pad, w = split - pad * 2;
    const float lhH = ui.lineHeight(ui.heading()), lhB = ui.lineHeight(ui.body());

    const char* kind = vm.status == RegistrationStatus::Waitlisted    ? "waitlisted"
                       : vm.status == RegistrationStatus::Provisional ? "provisional"
                                                                      : "confirmed";
    const bool waiting = vm.status == RegistrationStatus::Waitlisted;
    std::map<std::string, std::string> args = {
        {"position",
         vm.waitlistPosition ? std::to_string(*vm.waitlistPosition) : std::string("?")}};
    std::string title = ui.t(std::string("confirm.") + kind + ".title", args);
    std::string body = ui.t(std::string("confirm.") + kind + ".body", args);
    if (waiting && vm.waitlistPosition) body += " " + ui.t("confirm.waitlisted.position", args);
    if (vm.existing) body = ui.t("confirm.existing") + " " + body;

    float y = area.min.y + pad;
    // The status: a large mark and its word; the mark's shape differs (check / clock / info).
    const float mark = ui.px(110);
    Rect m = Rect::xywh(x, y, mark, mark);
    ui.fill(m, waiting ? th.waitBack : th.okBack, mark * 0.5f);
    ui.stroke(m, waiting ? th.waitText : th.okText, ui.px(4), mark * 0.5f);
    Icon icon = waiting                                        ? Icon::Clock
                : vm.status == RegistrationStatus::Provisional ? Icon::Info
                                                               : Icon::Check;
    ui.icon(icon, m.inset(mark * 0.2f), waiting ? th.waitText : th.okText);
    float titleH = ui.paragraphHeight(w - mark - gap, title, ui.heading());
    ui.paragraph(Rect::xywh(x + mark + gap, y + std::max(0.0f, (mark - titleH) * 0.5f),
                            w - mark - gap, titleH),
                 title, ui.heading(), th.text);
    y += std::max(mark, titleH) + gap * 2;
    y += ui.paragraph(Rect::xywh(x, y, w, lhB * 6), body, ui.body(), th.text, 6) + gap * 2;

    // What they registered for.
    const float cardTitleH = ui.paragraphHeight(w - ui.px(48), vm.title, ui.heading(), 2);
    Rect card = Rect::xywh(x, y, w, ui.px(24) * 2 + cardTitleH + lhB * 2);
    ui.fill(card, th.surface);
    ui.stroke(card, th.border, th.borderWidth);
    Rect in = card.inset(ui.px(24));
    ui.paragraph(Rect::xywh(in.min.x, in.min.y, in.w(), cardTitleH), vm.title, ui.heading(),
                 th.text, 2);
    ui.text(Rect::xywh(in.min.x, in.min.y + cardTitleH, in.w(), lhB), vm.when, ui.body(), th.text);
    ui.text(Rect::xywh(in.min.x, in.min.y + cardTitleH + lhB, in.w(), lhB), vm.venue, ui.body(),
            th.textMuted);

    const float buttonH = ui.px(120);
    if (ui.button("confirmation.done", ui.t("confirm.done"),
                  Rect::xywh(x, area.max.y - pad - buttonH, std::min(w, ui.px(620)), buttonH),
                  ButtonStyle::Primary, Icon::Home, ui.heading()))
        actions.done = true;

    // The code: label, the code in very large type, the QR code.
    const float cx = split + pad, cw = area.max.x - pad - cx;
    ui.fill(Rect::xywh(split, area.min.y, ui.px(2), area.h()), th.border, 0.0f);
    float cy = area.min.y + pad;
    ui.text(Rect::xywh(cx, cy, cw, lhH), ui.t("confirm.your_code"), ui.heading(), th.text,
            Align::Center);
    cy += lhH + gap;
    // The code is Latin letters and digits: drawn left to right, centred, in both directions.
    std::string shown = spaced(vm.code);
    ui.noteText(shown);
    ImFont* codeFont = ui.code();
    float size = ui.sizeOf(codeFont);
    float tw = codeFont->CalcTextSizeA(size, FLT_MAX, 0.0f, shown.c_str()).x;
    if (tw > cw) {
        size *= cw / tw;
        tw = cw;
    }
    Rect codeBox = Rect::xywh(cx, cy, cw, size * 1.25f);
    // Not an action: listed so that scripts and tests can read the code shown.
    ui.displayOnly("confirmation.code", vm.code, codeBox);
    ui.fill(codeBox, th.surface, ui.px(12));
    ui.stroke(codeBox, th.text, ui.px(3), ui.px(12));
    Rect s = ui.flip(codeBox);
    ui.dl()->AddText(codeFont, size,
                     {std::floor(s.center().x - tw * 0.5f), std::floor(s.center().y - size * 0.5f)},
                     th.text, shown.c_str());
    cy += codeBox.h() + gap;
    ui.paragraph(Rect::xywh(cx, cy, cw, lhB * 2), ui.t("confirm.keep_code"), ui.body(),
                 th.textMuted, 2, Align::Center);
    cy += lhB * 2 + gap;
    if (vm.qr) {
        float side = std::min(cw, area.max.y - pad - cy);
        drawQrCode(ui, *vm.qr, Rect::xywh(cx + (cw - side) * 0.5f, cy, side, side));
    }
}

}  // namespace fadaa::kiosk
