// app/kiosk/ui/screen_my_registration.cpp - "my registration": code + phone -> status, and
// cancel with a confirm step.
#include <algorithm>

#include "ui/screens.hpp"
#include "ui/widgets.hpp"

namespace fadaa::kiosk {
namespace {

using Stage = MyRegistrationVm::Stage;

void drawResult(Ui& ui, const MyRegistrationVm& vm, const Rect& col, Actions& actions) {
    const Theme& th = ui.theme();
    const float pad = ui.px(40), gap = ui.px(metric::kGap);
    const float x = col.min.x + pad, w = col.w() - pad * 2;
    const float lhH = ui.lineHeight(ui.heading()), lhB = ui.lineHeight(ui.body());
    float y = col.min.y + pad;
    const float buttonH = ui.px(110);
    switch (vm.stage) {
        case Stage::Entering:
            ui.icon(Icon::Ticket, Rect::xywh(x, y, lhH, lhH), th.textMuted);
            ui.paragraph(Rect::xywh(x + lhH + gap, y, w - lhH - gap, lhB * 6), ui.t("my.help"),
                         ui.body(), th.textMuted, 6);
            break;
        case Stage::NotFound:
            ui.icon(Icon::Warning, Rect::xywh(x, y, lhH, lhH), th.errorText);
            ui.paragraph(Rect::xywh(x + lhH + gap, y, w - lhH - gap, lhH * 5), ui.t("my.not_found"),
                         ui.heading(), th.text, 5);
            break;
        case Stage::Found:
        case Stage::ConfirmCancel: {
            std::string status = ui.t(std::string("status.") + std::string(toString(vm.status)));
            if (vm.status == RegistrationStatus::Waitlisted && vm.waitlistPosition)
                status = ui.t("status.waitlisted_position",
                              {{"position", std::to_string(*vm.waitlistPosition)}});
            SeatState look = vm.status == RegistrationStatus::Waitlisted  ? SeatState::Full
                             : vm.status == RegistrationStatus::Cancelled ? SeatState::Cancelled
                                                                          : SeatState::Available;
            drawSeatBadge(ui, look, status, Rect::xywh(x, y, w, seatBadgeHeight(ui)));
            y += seatBadgeHeight(ui) + gap;
            y += ui.paragraph(Rect::xywh(x, y, w, lhH * 2), vm.title, ui.heading(), th.text, 2);
            ui.text(Rect::xywh(x, y, w, lhB), vm.when, ui.body(), th.text);
            ui.text(Rect::xywh(x, y + lhB, w, lhB), vm.venue, ui.body(), th.textMuted);
            if (vm.canCancel && ui.button("my.cancel", ui.t("my.cancel"),
                                          Rect::xywh(x, col.max.y - pad - buttonH, w, buttonH),
                                          ButtonStyle::Secondary, Icon::Clear, ui.heading()))
                actions.askCancel = true;
            break;
        }
        case Stage::Cancelled:
            ui.icon(Icon::Check, Rect::xywh(x, y, lhH, lhH), th.okText);
            ui.paragraph(Rect::xywh(x + lhH + gap, y, w - lhH - gap, lhH * 5), ui.t("my.cancelled"),
                         ui.heading(), th.text, 5);
            if (ui.button("my.done", ui.t("confirm.done"),
                          Rect::xywh(x, col.max.y - pad - buttonH, w, buttonH),
                          ButtonStyle::Primary, Icon::Home, ui.heading()))
                actions.done = true;
            break;
    }
}

void drawCancelPrompt(Ui& ui, const MyRegistrationVm& vm, Actions& actions) {
    const Theme& th = ui.theme();
    const float width = ui.px(1100), inner = width - ui.px(80);
    std::string question = ui.t("my.cancel.question", {{"title", vm.title}});
    float textH = ui.paragraphHeight(inner, question, ui.heading());
    Rect in = beginPrompt(ui, width, ui.px(80) + textH + ui.px(40) + promptChoicesHeight(ui));
    ui.paragraph(Rect::xywh(in.min.x, in.min.y, in.w(), textH), question, ui.heading(), th.text, 0,
                 Align::Center);
    int tapped = drawPromptChoices(
        ui, in, {"my.cancel.keep", ui.t("my.cancel.keep"), ButtonStyle::Primary, Icon::Back},
        {"my.cancel.confirm", ui.t("my.cancel.confirm"), ButtonStyle::Secondary, Icon::Clear});
    if (tapped == 0) actions.keepRegistration = true;
    if (tapped == 1) actions.confirmCancel = true;
    endPrompt(ui);
}

}  // namespace

void drawMyRegistrationScreen(Ui& ui, const ScreenContext& ctx, const MyRegistrationVm& vm,
                              Actions& actions) {
    const Theme& th = ui.theme();
    Rect area = contentArea(ui);
    const bool typing =
        vm.focused >= 0 && (vm.stage == Stage::Entering || vm.stage == Stage::NotFound);
    const KeyboardLayout* keyboard = typing && ctx.keyboards.has(vm.keyboardLayout)
                                         ? &ctx.keyboards.get(vm.keyboardLayout)
                                         : nullptr;
    const float bottom = keyboard ? area.max.y - keyboardHeight(ui, *keyboard) : area.max.y;
    const float split = area.min.x + area.w() * 0.5f;
    const float pad = ui.px(40), gap = ui.px(metric::kGap);
    const float x = area.min.x + pad, w = split - pad * 2;
    const float lhB = ui.lineHeight(ui.body());

    float y = area.min.y + pad;
    const float introH = ui.paragraphHeight(w, ui.t("my.intro"), ui.body(), 3);
    ui.paragraph(Rect::xywh(x, y, w, introH), ui.t("my.intro"), ui.body(), th.text, 3);
    y += introH + gap;
    const float fh = textFieldHeight(ui, false);
    // With the keyboard up the two fields sit side by side so both stay in view.
    const bool sideBySide = keyboard && y + fh * 2 + gap * 2 + ui.px(100) > bottom;
    const float fw = sideBySide ? (w - gap) * 0.5f : w;
    if (drawTextField(ui, "my.field.code", ui.t("my.code"), vm.code, "", Rect::xywh(x, y, fw, fh),
                      vm.focused == 0))
        actions.myFocus = 0;
    float py = sideBySide ? y : y + fh + gap;
    float px = sideBySide ? x + fw + gap : x;
    if (drawTextField(ui, "my.field.phone", ui.t("my.phone"), vm.phone, "",
                      Rect::xywh(px, py, fw, fh), vm.focused == 1))
        actions.myFocus = 1;
    y = py + fh + gap;
    if (!vm.errorKey.empty()) y += drawFieldError(ui, vm.errorKey, Rect::xywh(x, y, w, lhB)) + gap;
    // After a cancellation "Done" is the screen's one action; looking up another stays possible.
    const ButtonStyle findStyle =
        vm.stage == Stage::Cancelled ? ButtonStyle::Secondary : ButtonStyle::Primary;
    if (!keyboard && ui.button("my.find", ui.t("my.find"), Rect::xywh(x, y, w, ui.px(110)),
                               findStyle, Icon::Search, ui.heading()))
        actions.find = true;

    ui.fill(Rect::xywh(split, area.min.y, ui.px(2), bottom - area.min.y), th.border, 0.0f);
    drawResult(ui, vm, Rect{{split, area.min.y}, {area.max.x, bottom}}, actions);

    if (keyboard) {
        actions.keys = drawKeyboard(ui, ctx.keyboards, *keyboard, false, area,
                                    ui.t(vm.focused == 0 ? "keyboard.next" : "my.find"));
    }
    if (vm.stage == Stage::ConfirmCancel) drawCancelPrompt(ui, vm, actions);
}

}  // namespace fadaa::kiosk
