// app/kiosk/ui/widget_keyboard.cpp - drawing the on-screen keyboard and reading its taps.
#include <algorithm>

#include "ui/keyboard.hpp"
#include "ui/ui.hpp"

namespace fadaa::kiosk {
namespace {

constexpr float kKeyHeight = 70.0f;  // about 18 mm on a 22-inch 1080p screen
constexpr float kKeyGap = 8.0f;
constexpr float kPad = 12.0f;
constexpr float kKeypadKey = 200.0f;

}  // namespace

float keyboardHeight(const Ui& ui, const KeyboardLayout& layout) {
    float rows = static_cast<float>(layout.rows.size());
    return ui.px(kPad * 2 + rows * kKeyHeight + (rows - 1) * kKeyGap);
}

KeyboardInput drawKeyboard(Ui& ui, const KeyboardLayouts& layouts, const KeyboardLayout& layout,
                           bool shift, const Rect& area, const std::string& enterLabel) {
    KeyboardInput input;
    const Theme& th = ui.theme();
    const float h = keyboardHeight(ui, layout);
    Rect board{{area.min.x, area.max.y - h}, area.max};
    ui.pushNoMirror();
    ui.fill(board, th.keyboardBack, 0.0f);
    ui.dl()->AddLine(board.min, ImVec2{board.max.x, board.min.y}, th.border, ui.px(2));

    float maxUnits = 0.0f;
    for (const auto& row : layout.rows) {
        float units = 0.0f;
        for (const auto& key : row) units += key.width;
        maxUnits = std::max(maxUnits, units);
    }
    const float gap = ui.px(kKeyGap);
    const float widthAvail = board.w() - ui.px(kPad) * 2;
    float unit = (widthAvail - gap * (maxUnits - 1)) / maxUnits;
    unit = std::min(unit, ui.px(layout.keypad ? kKeypadKey : 150.0f));
    const float keyH = ui.px(kKeyHeight);

    float y = board.min.y + ui.px(kPad);
    for (const auto& row : layout.rows) {
        float units = 0.0f;
        for (const auto& key : row) units += key.width;
        float rowW = units * unit + (units - 1) * gap;
        float x = board.center().x - rowW * 0.5f;
        for (const auto& key : row) {
            float w = key.width * unit + (key.width - 1) * gap;
            Rect r = Rect::xywh(x, y, w, keyH);
            x += w + gap;
            switch (key.action) {
                case KeyAction::Text: {
                    const std::string& t = shift ? key.shifted : key.text;
                    if (ui.button("keyboard.key." + t, t, r, ButtonStyle::Key)) input.typed += t;
                    break;
                }
                case KeyAction::Space:
                    if (ui.button("keyboard.key.space", ui.t("keyboard.space"), r, ButtonStyle::Key,
                                  Icon::None, ui.body()))
                        input.typed += " ";
                    break;
                case KeyAction::Backspace: {
                    // A narrow key shows the icon alone; the word stays in the Hit.
                    std::string label = ui.t("keyboard.backspace");
                    bool narrow = ui.textWidth(label, ui.body()) + r.h() * 0.5f + ui.px(60) > r.w();
                    if (narrow ? ui.iconButton("keyboard.backspace", label, r, ButtonStyle::Key,
                                               Icon::Backspace)
                               : ui.button("keyboard.backspace", label, r, ButtonStyle::Key,
                                           Icon::Backspace, ui.body()))
                        input.backspace = true;
                    break;
                }
                case KeyAction::Shift:
                    if (ui.button("keyboard.shift", ui.t("keyboard.shift"), r,
                                  shift ? ButtonStyle::Selected : ButtonStyle::Key, Icon::Shift,
                                  ui.body()))
                        input.toggleShift = true;
                    break;
                case KeyAction::Enter:
                    if (ui.button("keyboard.enter", enterLabel, r, ButtonStyle::Primary, Icon::None,
                                  ui.body()))
                        input.enter = true;
                    break;
                case KeyAction::Layout: {
                    const std::string& label =
                        layouts.has(key.to) ? layouts.get(key.to).label : key.to;
                    if (ui.button("keyboard.layout." + key.to, label, r, ButtonStyle::Key,
                                  Icon::Globe, ui.body()))
                        input.switchTo = key.to;
                    break;
                }
            }
        }
        y += keyH + gap;
    }
    ui.popNoMirror();
    return input;
}

}  // namespace fadaa::kiosk
