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
                   const std::string& typedValue, const std::string& errorKey, const Rect& r,
                   bool focused) {
    static const std::string kConcealed;
    const std::string& value = ui.concealTyped() ? kConcealed : typedValue;
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
    // The value sits at the layout's start, under its label (a phone number on an Arabic
    // screen starts at the right, its digits still left to right).
    float x = ui.mirrored() ? s.max.x - pad - w : s.min.x + pad;
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

// A chip's inner measures: the check mark's room is kept whether or not the chip is chosen,
// so that choosing one never moves the others.
struct ChipMetrics {
    float minH, pad, icon, iconGap, lineH, minW;
};

ChipMetrics chipMetrics(Ui& ui) {
    ChipMetrics m;
    m.minH = std::max(ui.px(metric::kTouch), ui.lineHeight(ui.body()) + ui.px(20));
    m.pad = ui.px(22);
    m.icon = std::min(m.minH * 0.5f, ui.px(40));
    m.iconGap = ui.px(12);
    m.lineH = ui.sizeOf(ui.body()) * kChipLineSpacing;
    m.minW = ui.px(metric::kTouch) * 2.0f;
    return m;
}

// The width a label needs on one line, and the height of its chip at width `w` (more lines
// when it has to wrap).
float chipNeed(Ui& ui, const ChipMetrics& m, const std::string& label) {
    // A pixel or two of slack: the wrapper measures word by word and must not find the label
    // a hair too wide for the room it was given.
    return m.pad * 2 + m.icon + m.iconGap + std::ceil(ui.textWidth(label, ui.body())) + 2.0f;
}
float chipHeightAt(Ui& ui, const ChipMetrics& m, const std::string& label, float w) {
    const float textW = w - m.pad * 2 - m.icon - m.iconGap;
    if (chipNeed(ui, m, label) <= w) return m.minH;
    const float lines = static_cast<float>(ui.wrapped(label, ui.body(), textW).size());
    return std::max(m.minH, lines * m.lineH + ui.px(24));
}

void drawChip(Ui& ui, const std::string& id, const std::string& label, const Rect& r, bool on,
              const ChipMetrics& m) {
    const Theme& th = ui.theme();
    const bool down = ui.pressing(id);
    const ImU32 textColor = th.text;
    if (on) {
        ui.chosenFrame(r, down);
    } else {
        ui.fill(r, down ? th.surfacePressed : th.surface);
        ui.stroke(r, down ? th.focus : th.border, down ? th.borderWidth + 1.0f : th.borderWidth);
    }
    const float textW = r.w() - m.pad * 2 - m.icon - m.iconGap;
    const float tw = ui.textWidth(label, ui.body());
    if (chipNeed(ui, m, label) <= r.w()) {
        // One line: the mark (when chosen) and the label centred together.
        const float markW = on ? m.icon + m.iconGap : 0.0f;
        const float x = r.min.x + (r.w() - markW - tw) * 0.5f;
        if (on)
            ui.icon(Icon::Check, Rect::xywh(x, r.center().y - m.icon * 0.5f, m.icon, m.icon),
                    textColor);
        ui.text(Rect::xywh(x + markW, r.min.y, tw + 1, r.h()), label, ui.body(), textColor);
        return;
    }
    // Wrapped: the mark's room at the start, every line of the label after it.
    const float x = r.min.x + m.pad;
    if (on)
        ui.icon(Icon::Check, Rect::xywh(x, r.center().y - m.icon * 0.5f, m.icon, m.icon),
                textColor);
    const float h = ui.paragraphHeight(textW, label, ui.body(), 0, kChipLineSpacing);
    ui.paragraph(Rect::xywh(x + m.icon + m.iconGap, r.center().y - h * 0.5f, textW, h), label,
                 ui.body(), textColor, 0, Align::Start, kChipLineSpacing);
}

}  // namespace

ChipsLayout layoutChips(Ui& ui, const std::vector<CategoryVm>& chips, const Rect& r, int perRow) {
    ChipsLayout out;
    if (chips.empty()) return out;
    const ChipMetrics m = chipMetrics(ui);
    const float gap = ui.px(14), width = std::max(r.w(), m.minW);
    std::vector<float> need;
    for (const CategoryVm& c : chips) need.push_back(chipNeed(ui, m, c.name));

    // Rows of indexes: a grid of equal cells when every label fits its cell on one line,
    // otherwise each chip as wide as its label and as many to a row as fit.
    std::vector<std::vector<size_t>> rows;
    bool grid = perRow > 0;
    const float cell =
        grid ? (width - gap * static_cast<float>(perRow - 1)) / static_cast<float>(perRow) : 0;
    for (float n : need) grid = grid && n <= cell;
    grid = grid || perRow == 1;  // a column: every chip the full width, long labels wrapping
    std::vector<float> widths(chips.size());
    if (grid) {
        for (size_t i = 0; i < chips.size(); ++i) {
            if (i % static_cast<size_t>(perRow) == 0) rows.emplace_back();
            rows.back().push_back(i);
            widths[i] = cell;
        }
    } else {
        float used = 0.0f;
        for (size_t i = 0; i < chips.size(); ++i) {
            widths[i] = std::min(width, std::max(m.minW, need[i]));
            const bool full =
                perRow > 0 && !rows.empty() && rows.back().size() >= static_cast<size_t>(perRow);
            if (rows.empty() || full || used + gap + widths[i] > width) {
                rows.emplace_back();
                used = widths[i];
            } else {
                used += gap + widths[i];
            }
            rows.back().push_back(i);
        }
        // Rows that wrapped share out their spare room, so the block keeps a straight edge;
        // the last row of several keeps its chips' own widths.
        for (size_t ri = 0; ri < rows.size(); ++ri) {
            if (rows.size() > 1 && ri + 1 == rows.size()) break;
            float sum = gap * static_cast<float>(rows[ri].size() - 1);
            for (size_t i : rows[ri]) sum += widths[i];
            const float extra = (width - sum) / static_cast<float>(rows[ri].size());
            for (size_t i : rows[ri]) widths[i] += extra;
        }
    }

    out.rects.resize(chips.size());
    float y = r.min.y;
    for (const auto& row : rows) {
        float rowH = 0.0f;
        for (size_t i : row) rowH = std::max(rowH, chipHeightAt(ui, m, chips[i].name, widths[i]));
        float x = r.min.x;
        for (size_t i : row) {
            out.rects[i] = Rect::xywh(x, y, widths[i], rowH);
            x += widths[i] + gap;
        }
        y += rowH + gap;
    }
    out.height = y - gap - r.min.y;
    return out;
}

float chipTextWidth(Ui& ui, float chipWidth) {
    const ChipMetrics m = chipMetrics(ui);
    return chipWidth - m.pad * 2 - m.icon - m.iconGap;
}

float chipsHeight(Ui& ui, const std::vector<CategoryVm>& chips, float width, int perRow) {
    return layoutChips(ui, chips, Rect::xywh(0, 0, width, 0), perRow).height;
}

int drawChips(Ui& ui, const std::string& idPrefix, const std::vector<CategoryVm>& chips,
              const std::string& selected, const Rect& r, float& height, int perRow) {
    const ChipsLayout layout = layoutChips(ui, chips, r, perRow);
    const ChipMetrics m = chipMetrics(ui);
    int tapped = -1;
    for (size_t i = 0; i < chips.size(); ++i) {
        const std::string id = idPrefix + "." + chips[i].id;
        if (ui.tappable(id, chips[i].name, layout.rects[i])) tapped = static_cast<int>(i);
        drawChip(ui, id, chips[i].name, layout.rects[i], chips[i].id == selected, m);
    }
    height = layout.height;
    return tapped;
}

}  // namespace fadaa::kiosk
