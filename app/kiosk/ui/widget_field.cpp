// app/kiosk/ui/widget_field.cpp - text boxes for the on-screen keyboard, choice chips, and
// field error lines.
//
// The box never uses ImGui::InputText: the value stays logical (as typed) and is shaped and
// reordered only to be drawn, so Arabic joins and reads right to left while the app edits
// plain UTF-8 (design.md section 4). Typing happens at the end of the value, like a phone.
#include <algorithm>
#include <cfloat>
#include <cmath>

#include "i18n/utf8.hpp"
#include "ui/widgets.hpp"

namespace fadaa::kiosk {
namespace {

float boxHeight(const Ui& ui) {
    return std::max(ui.px(metric::kTouch), ui.lineHeight(ui.body()) + ui.px(24));
}

float measure(const ImFont* font, float size, const std::string& s) {
    return font->CalcTextSizeA(size, FLT_MAX, 0.0f, s.data(), s.data() + s.size()).x;
}

}  // namespace

float textFieldHeight(Ui& ui, bool withError) {
    return ui.lineHeight(ui.body()) + boxHeight(ui) +
           (withError ? ui.lineHeight(ui.body()) + ui.px(8) : 0.0f);
}

float fieldErrorHeight(Ui& ui, const std::string& errorKey, float width) {
    if (errorKey.empty()) return 0.0f;
    const float lh = ui.lineHeight(ui.body());
    return std::max(lh,
                    ui.paragraphHeight(width - lh * 0.6f - ui.px(12), ui.t(errorKey), ui.body()));
}

float drawFieldError(Ui& ui, const std::string& errorKey, const Rect& r) {
    if (errorKey.empty()) return 0.0f;
    const Theme& th = ui.theme();
    const float lh = ui.lineHeight(ui.body()), iconSize = lh * 0.6f;
    std::string message = ui.t(errorKey);
    float textW = r.w() - iconSize - ui.px(12);
    float h = fieldErrorHeight(ui, errorKey, r.w());
    ui.icon(Icon::Warning,
            Rect::xywh(r.min.x, r.min.y + (lh - iconSize) * 0.5f, iconSize, iconSize),
            th.errorText);
    ui.paragraph(Rect::xywh(r.min.x + iconSize + ui.px(12), r.min.y, textW, h), message, ui.body(),
                 th.errorText);
    return h;
}

bool drawTextField(Ui& ui, const std::string& id, const std::string& label,
                   const std::string& value, const std::string& errorKey, const Rect& r,
                   bool focused) {
    const Theme& th = ui.theme();
    const float lh = ui.lineHeight(ui.body()), bh = boxHeight(ui);
    ui.text(Rect::xywh(r.min.x, r.min.y, r.w(), lh), label, ui.body(), th.text);
    Rect box = Rect::xywh(r.min.x, r.min.y + lh, r.w(), bh);
    bool tapped = ui.tappable(id, label, box);
    bool down = ui.pressing(id);
    ui.fill(box, down ? th.surfacePressed : th.surface, ui.px(10));
    bool bad = !errorKey.empty();
    // Focus: a thick border and a caret; an error: the error's colour plus the message below.
    float border = focused ? th.borderWidth + 3.0f : bad ? th.borderWidth + 1.0f : th.borderWidth;
    ui.stroke(box, focused ? th.focus : bad ? th.errorText : th.border, border, ui.px(10));

    // The value in physical coordinates: right-to-left text sits at the right of the box.
    Rect s = ui.flip(box);
    const ImFont* font = ui.body();
    const float size = ui.sizeOf(font);
    const float pad = ui.px(18);
    const float avail = s.w() - pad * 2 - ui.px(6);
    bool rtlValue = value.empty() ? ui.rtl() : containsRtl(value);
    std::string vis = value.empty() ? std::string() : ui.visual(value);
    if (!value.empty()) ui.noteText(value);
    // Too long for the box: keep the end being typed in view.
    while (!vis.empty() && measure(font, size, vis) > avail) {
        if (rtlValue) {
            while (!vis.empty() && (static_cast<unsigned char>(vis.back()) & 0xC0) == 0x80)
                vis.pop_back();
            if (!vis.empty()) vis.pop_back();
        } else {
            size_t i = 0;
            utf8::next(vis, i);
            vis.erase(0, i);
        }
    }
    float w = measure(font, size, vis);
    float x = rtlValue ? s.max.x - pad - w : s.min.x + pad;
    float y = s.center().y - size * 0.5f;
    if (!vis.empty())
        ui.dl()->AddText(font, size, {std::floor(x), std::floor(y)}, th.text, vis.c_str());
    if (focused) {
        float cx = rtlValue ? x - ui.px(4) : x + w + ui.px(2);
        ui.dl()->AddRectFilled({cx, s.center().y - size * 0.6f},
                               {cx + ui.px(4), s.center().y + size * 0.6f}, th.focus);
    }
    if (bad) drawFieldError(ui, errorKey, Rect::xywh(r.min.x, box.max.y + ui.px(8), r.w(), lh));
    return tapped;
}

namespace {
float chipHeight(const Ui& ui) {
    return std::max(ui.px(metric::kTouch), ui.lineHeight(ui.body()) + ui.px(20));
}
}  // namespace

float chipsHeight(const Ui& ui, size_t count, int perRow) {
    if (count == 0 || perRow <= 0) return 0.0f;
    int rows = (static_cast<int>(count) + perRow - 1) / perRow;
    return static_cast<float>(rows) * chipHeight(ui) + static_cast<float>(rows - 1) * ui.px(14);
}

int drawChips(Ui& ui, const std::string& idPrefix, const std::vector<CategoryVm>& chips,
              const std::string& selected, const Rect& r, float& height, int perRow) {
    const float gap = ui.px(14);
    const float chipH = chipHeight(ui);
    if (perRow <= 0) perRow = std::max(1, static_cast<int>((r.w() + gap) / (ui.px(300) + gap)));
    const float w = (r.w() - gap * static_cast<float>(perRow - 1)) / static_cast<float>(perRow);
    int tapped = -1;
    for (size_t i = 0; i < chips.size(); ++i) {
        int col = static_cast<int>(i) % perRow, row = static_cast<int>(i) / perRow;
        Rect cr = Rect::xywh(r.min.x + static_cast<float>(col) * (w + gap),
                             r.min.y + static_cast<float>(row) * (chipH + gap), w, chipH);
        bool on = chips[i].id == selected;
        if (ui.button(idPrefix + "." + chips[i].id, chips[i].name, cr,
                      on ? ButtonStyle::Selected : ButtonStyle::Secondary))
            tapped = static_cast<int>(i);
    }
    height = chipsHeight(ui, chips.size(), perRow);
    return tapped;
}

}  // namespace fadaa::kiosk
