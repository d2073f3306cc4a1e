// app/kiosk/ui/screen_register.cpp - the registration form: name, phone and the event's own
// fields typed on the on-screen keyboard, per-field messages, consent, and submit.
//
// The session summary, consent and submit stay in the start column, in view above the
// keyboard; the fields scroll in the other column, the one being typed kept in view.
#include <algorithm>

#include "ui/screens.hpp"
#include "ui/widgets.hpp"

namespace fadaa::kiosk {
namespace {

bool typed(FieldType t) {
    return t == FieldType::Text || t == FieldType::Phone || t == FieldType::Number;
}

std::vector<CategoryVm> choicesOf(Ui& ui, const FieldVm& f) {
    if (f.type == FieldType::Boolean)
        return {{"yes", ui.t("common.yes")}, {"no", ui.t("common.no")}};
    return f.choices;
}

float fieldHeight(Ui& ui, const FieldVm& f, float width) {
    const float lh = ui.lineHeight(ui.body());
    if (typed(f.type)) return textFieldHeight(ui, !f.errorKey.empty());
    float h = lh + chipsHeight(ui, choicesOf(ui, f), width, 3);
    if (!f.errorKey.empty()) h += lh + ui.px(8);
    return h;
}

std::string labelOf(Ui& ui, const FieldVm& f) {
    return f.required ? f.label : ui.t("register.optional", {{"label", f.label}});
}

void drawSummary(Ui& ui, const RegisterVm& vm, const Rect& col, bool keyboardUp, Actions& actions) {
    const Theme& th = ui.theme();
    const float pad = ui.px(32), gap = ui.px(metric::kGap);
    const float w = col.w() - pad * 2 - ui.px(16);
    const float lhB = ui.lineHeight(ui.body()), lhH = ui.lineHeight(ui.heading());
    const float box = ui.px(60);
    const std::string consent = ui.t("register.consent");
    const float consentH =
        std::max(box, ui.paragraphHeight(w - box - ui.px(20), consent, ui.body()));
    // Room for a two-line label in large type ("Join the waiting list" in some languages).
    const float submitH = std::max(ui.px(120), ui.sizeOf(ui.heading()) * 2.5f + ui.px(16));
    const float formErrH =
        vm.formErrorKey.empty() ? 0.0f : fieldErrorHeight(ui, vm.formErrorKey, w) + gap;
    const float consentErrH =
        vm.consentErrorKey.empty() ? 0.0f : fieldErrorHeight(ui, vm.consentErrorKey, w) + ui.px(8);
    // With the keyboard up the column is short: the title on one line and the date only, so
    // that consent and submit stay in view above the keys.
    const bool compact = keyboardUp;
    // The title takes the lines it needs (two at most), no empty line under a short one.
    const float titleH =
        compact ? lhH : std::max(lhH, ui.paragraphHeight(w, vm.eventTitle, ui.heading(), 2));
    const float infoH = compact ? lhB : lhB * 2 + ui.px(12) + seatBadgeHeight(ui);
    const float contentH = pad + titleH + infoH + gap * 2 + consentH + ui.px(8) + consentErrH +
                           gap + formErrH + submitH + pad;
    if (keyboardUp && vm.revealFocused) {
        float submitBottom = contentH - pad;
        ui.ensureVisible("register.summary", std::max(0.0f, submitBottom + pad - col.h()),
                         submitBottom + pad);
    }
    float scroll = ui.beginScroll("register.summary", col, contentH);
    float x = col.min.x + pad, y = col.min.y + pad - scroll;
    ui.paragraph(Rect::xywh(x, y, w, titleH), vm.eventTitle, ui.heading(), th.text,
                 compact ? 1 : 2);
    y += titleH;
    ui.text(Rect::xywh(x, y, w, lhB), vm.session.when, ui.body(), th.text);
    y += lhB;
    if (!compact) {
        ui.text(Rect::xywh(x, y, w, lhB), vm.session.venue, ui.body(), th.textMuted);
        y += lhB + ui.px(12);
        drawSeatBadge(ui, vm.session.seats, vm.session.seatsText,
                      Rect::xywh(x, y, w, seatBadgeHeight(ui)));
        y += seatBadgeHeight(ui);
    }
    y += gap * 2;

    // Consent: the whole row is the target; the box shows a check mark when given.
    Rect row = Rect::xywh(x, y, w, consentH);
    if (ui.tappable("register.consent", consent, row)) actions.toggleConsent = true;
    Rect tick = Rect::xywh(x, y + (consentH - box) * 0.5f, box, box);
    ui.fill(tick, vm.consent ? th.accent : th.surface, ui.px(8));
    ui.stroke(tick, vm.consentErrorKey.empty() ? th.text : th.errorText, th.borderWidth + 1.0f,
              ui.px(8));
    if (vm.consent) ui.icon(Icon::Check, tick.inset(box * 0.18f), th.accentText);
    ui.paragraph(
        Rect::xywh(
            x + box + ui.px(20),
            y + (consentH - ui.paragraphHeight(w - box - ui.px(20), consent, ui.body())) * 0.5f,
            w - box - ui.px(20), consentH),
        consent, ui.body(), th.text);
    y += consentH + ui.px(8);
    if (!vm.consentErrorKey.empty())
        y += drawFieldError(ui, vm.consentErrorKey, Rect::xywh(x, y, w, lhB)) + ui.px(8);
    y += gap;
    if (!vm.formErrorKey.empty())
        y += drawFieldError(ui, vm.formErrorKey, Rect::xywh(x, y, w, lhB)) + gap;

    std::string label = vm.session.seats == SeatState::Full ? ui.t("register.submit_waitlist")
                                                            : ui.t("register.submit");
    if (ui.button("register.submit", label, Rect::xywh(x, y, w, submitH), ButtonStyle::Primary,
                  Icon::Check, ui.heading()))
        actions.submit = true;
    ui.endScroll();
}

}  // namespace

void drawRegisterScreen(Ui& ui, const ScreenContext& ctx, const RegisterVm& vm, Actions& actions) {
    const Theme& th = ui.theme();
    Rect area = contentArea(ui);
    const KeyboardLayout* keyboard = nullptr;
    float bottom = area.max.y;
    const FieldVm* focused = vm.focused >= 0 && vm.focused < static_cast<int>(vm.fields.size())
                                 ? &vm.fields[static_cast<size_t>(vm.focused)]
                                 : nullptr;
    if (focused && typed(focused->type) && ctx.keyboards.has(vm.keyboardLayout)) {
        keyboard = &ctx.keyboards.get(vm.keyboardLayout);
        bottom -= keyboardHeight(ui, *keyboard);
    }
    const float split = area.min.x + std::min(ui.px(640), area.w() * 0.38f);
    drawSummary(ui, vm, Rect{area.min, {split, bottom}}, keyboard != nullptr, actions);
    ui.fill(Rect::xywh(split, area.min.y, ui.px(2), bottom - area.min.y), th.border, 0.0f);

    const float pad = ui.px(32), gap = ui.px(metric::kGap) * 1.5f;
    const float x = split + pad, w = area.max.x - pad - x - ui.px(16);
    Rect list{{split + ui.px(2), area.min.y}, {area.max.x, bottom}};
    std::vector<float> tops;
    float total = pad;
    for (const auto& f : vm.fields) {
        tops.push_back(total);
        total += fieldHeight(ui, f, w) + gap;
    }
    total += pad;
    if (vm.revealFocused && focused) {
        float top = tops[static_cast<size_t>(vm.focused)];
        ui.ensureVisible("register.fields", top - pad, top + fieldHeight(ui, *focused, w) + pad);
    }
    float scroll = ui.beginScroll("register.fields", list, total);
    for (size_t i = 0; i < vm.fields.size(); ++i) {
        const FieldVm& f = vm.fields[i];
        float y = area.min.y + tops[i] - scroll;
        float h = fieldHeight(ui, f, w);
        if (y + h < list.min.y || y > list.max.y) continue;
        if (typed(f.type)) {
            if (drawTextField(ui, "register.field." + f.key, labelOf(ui, f), f.value, f.errorKey,
                              Rect::xywh(x, y, w, h), static_cast<int>(i) == vm.focused))
                actions.focusField = static_cast<int>(i);
            continue;
        }
        const float lh = ui.lineHeight(ui.body());
        ui.text(Rect::xywh(x, y, w, lh), labelOf(ui, f), ui.body(), th.text);
        std::vector<CategoryVm> chips = choicesOf(ui, f);
        float chipsH = 0;
        int tapped = drawChips(ui, "register.choice." + f.key, chips, f.value,
                               Rect::xywh(x, y + lh, w, 0), chipsH, 3);
        if (tapped >= 0)
            actions.setValue =
                std::make_pair(static_cast<int>(i), chips[static_cast<size_t>(tapped)].id);
        if (!f.errorKey.empty())
            drawFieldError(ui, f.errorKey, Rect::xywh(x, y + lh + chipsH + ui.px(8), w, lh));
    }
    ui.endScroll();

    if (keyboard) {
        bool later = false;
        for (size_t i = static_cast<size_t>(vm.focused) + 1; i < vm.fields.size(); ++i)
            later = later || typed(vm.fields[i].type);
        actions.keys = drawKeyboard(ui, ctx.keyboards, *keyboard, vm.shift, area,
                                    ui.t(later ? "keyboard.next" : "keyboard.done"));
    }
}

}  // namespace fadaa::kiosk
