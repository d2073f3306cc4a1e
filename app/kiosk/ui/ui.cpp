// app/kiosk/ui/ui.cpp - frame state, mirroring, bidi text, tappables, clipping and scrolling.
#include "ui/ui.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cfloat>

#include "i18n/utf8.hpp"

namespace fadaa::kiosk {
namespace {

constexpr const char* kEllipsis = "\xE2\x80\xA6";  // U+2026
constexpr size_t kWrapCacheMax = 4000;

void popLastCodePoint(std::string& text) {
    while (!text.empty()) {
        auto c = static_cast<unsigned char>(text.back());
        text.pop_back();
        if ((c & 0xC0) != 0x80) break;  // stop after removing a lead byte
    }
}

// The direction a piece of text is laid out in: text with Arabic letters follows the screen
// when the screen is right-to-left, otherwise its own first strong letter.
TextDirection baseFor(std::string_view logical, bool rtlScreen) {
    if (!containsRtl(logical)) return TextDirection::LeftToRight;
    return rtlScreen ? TextDirection::RightToLeft : paragraphDirection(logical);
}

}  // namespace

Rect Rect::intersect(const Rect& o) const {
    return {{std::max(min.x, o.min.x), std::max(min.y, o.min.y)},
            {std::min(max.x, o.max.x), std::min(max.y, o.max.y)}};
}

Ui::Ui(const KioskFonts& fonts, const Translations& translations)
    : m_fonts(fonts), m_translations(translations) {}

void Ui::beginFrame(double now, ImDrawList* drawList, const ImGuiIO& io, const std::string& lang,
                    bool rtl, int textSize, bool highContrast) {
    m_now = now;
    m_dt = m_lastNow < 0.0 ? 0.0f : static_cast<float>(std::clamp(now - m_lastNow, 0.0, 0.1));
    m_lastNow = now;
    m_dl = drawList;
    m_lang = lang;
    m_rtl = rtl;
    m_textSize = std::clamp(textSize, 0, kTextSizeLevels - 1);
    m_theme = makeTheme(highContrast);
    m_screen = io.DisplaySize;
    m_scale = std::max(0.4f, std::min(m_screen.x / 1920.0f, m_screen.y / 1080.0f));
    m_fontScale = m_scale / m_fonts.pixelScale();
    m_touch.begin(io, now, px(metric::kDragThreshold));
    m_hits.clear();
    m_texts.clear();
    m_clips.assign(1, Rect{{0, 0}, m_screen});
    m_scrollStack.clear();
    m_layer = 0;
    m_topLayer = 0;
    m_noMirror = 0;
    m_animating = false;
}

void Ui::endFrame() {
    for (auto& [id, state] : m_scroll) {
        if (state.lastFrame != m_frame) state.velocity = 0.0f;
    }
    ++m_frame;
    if (m_wrapCache.size() > kWrapCacheMax) {
        // Keep what was drawn recently; long lists re-wrap only what scrolls back into view.
        for (auto it = m_wrapCache.begin(); it != m_wrapCache.end();) {
            it = m_frame - it->second.frame > 120 ? m_wrapCache.erase(it) : std::next(it);
        }
        if (m_wrapCache.size() > kWrapCacheMax) m_wrapCache.clear();
    }
}

std::string Ui::t(std::string_view key, const std::map<std::string, std::string>& args) const {
    return m_translations.get(m_lang, key, args);
}

float Ui::spacingOf(const ImFont* font) const {
    for (int level = 0; level < kTextSizeLevels; ++level)
        if (m_fonts.level(level).heading == font) return kHeadingSpacing;
    return kLineSpacing;
}

std::string Ui::tIn(std::string_view lang, std::string_view key) const {
    return m_translations.get(lang, key);
}

Rect Ui::flip(const Rect& r) const {
    if (!mirrored()) return r;
    return {{m_screen.x - r.max.x, r.min.y}, {m_screen.x - r.min.x, r.max.y}};
}

ImVec2 Ui::flip(ImVec2 p) const {
    return mirrored() ? ImVec2{m_screen.x - p.x, p.y} : p;
}

const std::string& Ui::visual(std::string_view logical) {
    return m_visualCache.get(logical, baseFor(logical, m_rtl));
}

float Ui::textWidth(std::string_view logical, const ImFont* font) {
    const std::string& v = visual(logical);
    return font->CalcTextSizeA(sizeOf(font), FLT_MAX, 0.0f, v.data(), v.data() + v.size()).x;
}

void Ui::truncateToWidth(std::string& line, bool rtlLine, const ImFont* font, float width) {
    float size = sizeOf(font);
    auto measure = [&](const std::string& s) {
        return font->CalcTextSizeA(size, FLT_MAX, 0.0f, s.data(), s.data() + s.size()).x;
    };
    while (!line.empty() && measure(rtlLine ? kEllipsis + line : line + kEllipsis) > width) {
        if (rtlLine) {
            size_t i = 0;
            utf8::next(line, i);  // the visual start is the logical end of a RTL line
            line.erase(0, i);
        } else {
            popLastCodePoint(line);
        }
    }
    line = rtlLine ? kEllipsis + line : line + kEllipsis;
}

void Ui::text(const Rect& r, std::string_view logical, const ImFont* font, ImU32 color,
              Align align) {
    if (logical.empty()) return;
    if (m_recordTexts) m_texts.emplace_back(logical);
    std::string line = visual(logical);
    float size = sizeOf(font);
    float w = font->CalcTextSizeA(size, FLT_MAX, 0.0f, line.data(), line.data() + line.size()).x;
    if (w > r.w()) {
        truncateToWidth(line, baseFor(logical, m_rtl) == TextDirection::RightToLeft, font, r.w());
        w = font->CalcTextSizeA(size, FLT_MAX, 0.0f, line.data(), line.data() + line.size()).x;
    }
    Rect s = flip(r);
    bool left = (align == Align::Start) != mirrored();
    float x = align == Align::Center ? s.center().x - w * 0.5f : left ? s.min.x : s.max.x - w;
    float y = s.center().y - size * 0.5f;
    m_dl->AddText(font, size, {std::floor(x), std::floor(y)}, color, line.data(),
                  line.data() + line.size());
}

const std::vector<std::string>& Ui::wrapped(std::string_view logical, const ImFont* font,
                                            float width) {
    std::string key = fmt::format("{}|{}|{}|{}|{}", static_cast<const void*>(font), sizeOf(font),
                                  static_cast<int>(width), m_rtl, logical);
    auto it = m_wrapCache.find(key);
    if (it == m_wrapCache.end()) {
        float size = sizeOf(font);
        auto measure = [&](std::string_view s) {
            return font->CalcTextSizeA(size, FLT_MAX, 0.0f, s.data(), s.data() + s.size()).x;
        };
        WrapEntry entry;
        entry.lines = wrapForDisplay(logical, baseFor(logical, m_rtl), width, measure);
        it = m_wrapCache.emplace(std::move(key), std::move(entry)).first;
    }
    it->second.frame = m_frame;
    return it->second.lines;
}

float Ui::paragraphHeight(float width, std::string_view logical, const ImFont* font, int maxLines,
                          float spacing) {
    if (logical.empty()) return 0.0f;
    size_t n = wrapped(logical, font, width).size();
    if (maxLines > 0) n = std::min(n, static_cast<size_t>(maxLines));
    return static_cast<float>(n) * sizeOf(font) * (spacing > 0.0f ? spacing : spacingOf(font));
}

float Ui::paragraph(const Rect& r, std::string_view logical, const ImFont* font, ImU32 color,
                    int maxLines, Align align, float spacing) {
    if (logical.empty()) return 0.0f;
    if (m_recordTexts) m_texts.emplace_back(logical);
    const auto& lines = wrapped(logical, font, r.w());
    size_t n = lines.size();
    if (maxLines > 0) n = std::min(n, static_cast<size_t>(maxLines));
    float size = sizeOf(font), lh = size * (spacing > 0.0f ? spacing : spacingOf(font));
    bool rtlText = baseFor(logical, m_rtl) == TextDirection::RightToLeft;
    Rect s = flip(r);
    bool left = (align == Align::Start) != mirrored();
    for (size_t i = 0; i < n; ++i) {
        float y = r.min.y + static_cast<float>(i) * lh + (lh - size) * 0.5f;
        if (y > currentClip().max.y) break;
        std::string line = lines[i];
        if (i + 1 == n && n < lines.size()) truncateToWidth(line, rtlText, font, r.w());
        float w =
            font->CalcTextSizeA(size, FLT_MAX, 0.0f, line.data(), line.data() + line.size()).x;
        float x = align == Align::Center ? s.center().x - w * 0.5f : left ? s.min.x : s.max.x - w;
        m_dl->AddText(font, size, {std::floor(x), std::floor(y)}, color, line.data(),
                      line.data() + line.size());
    }
    return static_cast<float>(n) * lh;
}

void Ui::fill(const Rect& r, ImU32 color, float rounding) {
    Rect s = flip(r);
    m_dl->AddRectFilled(s.min, s.max, color, rounding < 0 ? px(metric::kRadius) : rounding);
}

void Ui::stroke(const Rect& r, ImU32 color, float thickness, float rounding) {
    Rect s = flip(r);
    float h = thickness * 0.5f;
    m_dl->AddRect({s.min.x + h, s.min.y + h}, {s.max.x - h, s.max.y - h}, color,
                  rounding < 0 ? px(metric::kRadius) : rounding, 0, thickness);
}

Rect Ui::currentClip() const {
    return m_clips.back();
}

bool Ui::tappable(const std::string& id, const std::string& label, const Rect& r) {
    if (m_layer < m_inputLayer) return false;  // under a prompt: inert
    Rect s = flip(r).intersect(currentClip());
    if (s.empty()) return false;
    m_hits.push_back(Hit{id, label, s.min, s.max});
    if (m_touch.pressed() && !m_touch.consumed && s.contains(m_touch.pressPos())) {
        m_touch.pressedId = id;
    }
    return m_touch.released() && !m_touch.dragging() && !m_touch.consumed &&
           m_touch.pressedId == id && s.contains(m_touch.pos());
}

void Ui::displayOnly(const std::string& id, const std::string& label, const Rect& r) {
    if (m_layer < m_inputLayer) return;
    Rect s = flip(r).intersect(currentClip());
    if (!s.empty()) m_hits.push_back(Hit{id, label, s.min, s.max});
}

bool Ui::pressing(const std::string& id) const {
    return m_touch.down() && !m_touch.dragging() && !m_touch.consumed && m_touch.pressedId == id;
}

bool Ui::button(const std::string& id, const std::string& label, const Rect& r, ButtonStyle style,
                Icon icon, const ImFont* font) {
    bool tapped = tappable(id, label, r);
    bool down = pressing(id);
    const Theme& th = m_theme;
    ImU32 textColor = th.text;
    switch (style) {
        case ButtonStyle::Primary:
            fill(r, down ? th.accentPressed : th.accent);
            if (th.borderWidth > 2.0f) stroke(r, th.border, th.borderWidth);
            textColor = th.accentText;
            break;
        case ButtonStyle::Selected:
            // A chosen chip is a tinted surface with a thick accent border and a check mark:
            // filled like a Primary action, a chosen language looked like a button to press
            // beside "Today" and "This week" (residents read colour before shape).
            chosenFrame(r, down);
            break;
        case ButtonStyle::Secondary:
        case ButtonStyle::Key:
            fill(r, down ? th.surfacePressed : th.surface);
            stroke(r, down ? th.focus : th.border, down ? th.borderWidth + 1.0f : th.borderWidth);
            break;
        case ButtonStyle::Bar:
            if (down) fill(r, IM_COL32(255, 255, 255, 60));
            stroke(r, th.barText, 2.0f);
            textColor = th.barText;
            break;
    }
    if (style == ButtonStyle::Selected && icon == Icon::None) icon = Icon::Check;
    if (!font) font = style == ButtonStyle::Key ? heading() : body();

    float pad = px(16);
    float iconSize = icon == Icon::None ? 0.0f : std::min(r.h() * 0.5f, px(40));
    float gap = icon == Icon::None || label.empty() ? 0.0f : px(12);
    float avail = r.w() - 2 * pad - iconSize - gap;
    float tw = label.empty() ? 0.0f : textWidth(label, font);
    if (tw <= avail) {
        float x = r.min.x + (r.w() - (iconSize + gap + tw)) * 0.5f;
        if (icon != Icon::None) {
            this->icon(icon, Rect::xywh(x, r.center().y - iconSize * 0.5f, iconSize, iconSize),
                       textColor);
        }
        if (!label.empty())
            text(Rect::xywh(x + iconSize + gap, r.min.y, tw + 1, r.h()), label, font, textColor);
    } else {
        float x = r.min.x + pad;
        if (icon != Icon::None) {
            this->icon(icon, Rect::xywh(x, r.center().y - iconSize * 0.5f, iconSize, iconSize),
                       textColor);
        }
        Rect tr = Rect::xywh(x + iconSize + gap, r.min.y, avail, r.h());
        constexpr float kTight = 1.12f;  // two lines of a label must fit an 80 px target
        float h = std::min(paragraphHeight(avail, label, font, 2, kTight), r.h());
        tr.min.y = r.center().y - h * 0.5f;
        paragraph(tr, label, font, textColor, 2, Align::Center, kTight);
    }
    return tapped;
}

void Ui::chosenFrame(const Rect& r, bool down) {
    fill(r, down ? m_theme.surface : m_theme.surfacePressed);
    stroke(r, m_theme.focus, m_theme.borderWidth + 3.0f);
}

bool Ui::iconButton(const std::string& id, const std::string& label, const Rect& r,
                    ButtonStyle style, Icon icon) {
    bool tapped = tappable(id, label, r);
    bool down = pressing(id);
    const Theme& th = m_theme;
    ImU32 color = th.text;
    if (style == ButtonStyle::Bar) {
        if (down) fill(r, IM_COL32(255, 255, 255, 60));
        stroke(r, th.barText, 2.0f);
        color = th.barText;
    } else if (style == ButtonStyle::Primary) {
        fill(r, down ? th.accentPressed : th.accent);
        color = th.accentText;
    } else if (style == ButtonStyle::Selected) {
        chosenFrame(r, down);
    } else {
        fill(r, down ? th.surfacePressed : th.surface);
        stroke(r, down ? th.focus : th.border, down ? th.borderWidth + 1.0f : th.borderWidth);
    }
    float side = std::min(r.h(), r.w()) * 0.5f;
    this->icon(icon, Rect::xywh(r.center().x - side * 0.5f, r.center().y - side * 0.5f, side, side),
               color);
    return tapped;
}

void Ui::pushClip(const Rect& logical) {
    Rect s = flip(logical).intersect(currentClip());
    m_clips.push_back(s);
    m_dl->PushClipRect(s.min, s.max, false);
}

void Ui::popClip() {
    if (m_clips.size() > 1) {
        m_clips.pop_back();
        m_dl->PopClipRect();
    }
}

float Ui::beginScroll(const std::string& id, const Rect& viewport, float contentHeight) {
    ScrollState& st = m_scroll[id];
    st.viewport = viewport.h();
    st.content = contentHeight;
    st.lastFrame = m_frame;
    Rect s = flip(viewport).intersect(currentClip());
    bool dragged = false;
    if (m_layer >= m_inputLayer) {
        if (m_touch.pressed() && s.contains(m_touch.pressPos())) {
            m_touch.scrollId = id;
            if (st.velocity != 0.0f) {
                st.velocity = 0.0f;  // a touch stops a fling, and is not a tap
                m_touch.consumed = true;
            }
        }
        if (m_touch.scrollId == id && m_touch.dragging() &&
            (m_touch.down() || m_touch.released())) {
            st.offset -= m_touch.deltaY();
            dragged = m_touch.down();
            if (m_touch.released()) st.velocity = -m_touch.releaseVelocityY();
        }
        if (m_touch.wheel() != 0.0f && s.contains(m_touch.pos())) {
            st.offset -= m_touch.wheel() * px(90);
        }
    }
    if (!dragged) st.coast(m_dt);
    if (st.reveal) {
        st.reveal = false;
        if (st.revealBottom - st.offset > st.viewport) st.offset = st.revealBottom - st.viewport;
        if (st.revealTop < st.offset) st.offset = st.revealTop;
    }
    st.clamp();
    if (st.velocity != 0.0f) m_animating = true;
    pushClip(viewport);
    m_scrollStack.push_back({id, viewport});
    return st.offset;
}

void Ui::endScroll() {
    popClip();
    if (m_scrollStack.empty()) return;
    auto [id, v] = m_scrollStack.back();
    m_scrollStack.pop_back();
    const ScrollState& st = m_scroll[id];
    if (st.content <= st.viewport || st.viewport <= 0.0f) return;
    // A bar at the end edge says "there is more" by its shape and place, not by colour.
    float track = v.h() - px(16);
    float thumb = std::max(px(48), track * st.viewport / st.content);
    float y = v.min.y + px(8) + (track - thumb) * (st.offset / st.maxOffset());
    fill(Rect::xywh(v.max.x - px(10), v.min.y + px(8), px(6), track), m_theme.border, px(3));
    fill(Rect::xywh(v.max.x - px(12), y, px(10), thumb), m_theme.textMuted, px(5));
}

void Ui::setInputLayer(int layer) {
    m_inputLayer = layer;
}

void Ui::resetScroll(const std::string& id) {
    m_scroll.erase(id);
}

void Ui::ensureVisible(const std::string& id, float top, float bottom) {
    ScrollState& st = m_scroll[id];
    st.velocity = 0.0f;
    st.reveal = true;  // applied by beginScroll, which knows this frame's viewport
    st.revealTop = top;
    st.revealBottom = bottom;
}
void Ui::resetAllScroll() {
    m_scroll.clear();
}

const std::vector<float>& Ui::rowTops(const std::string& id, const std::string& key, size_t rows,
                                      const std::function<float(size_t)>& rowHeight, float gap) {
    RowCache& c = m_rows[id];
    if (c.key != key || c.tops.empty() || c.tops.size() > rows + 1) {
        c.key = key;
        c.tops.assign(1, 0.0f);
    } else if (c.tops.size() < rows + 1 && c.tops.size() > 1) {
        c.tops.pop_back();  // the old last row may have gained a card
    }
    c.tops.reserve(rows + 1);
    while (c.tops.size() < rows + 1)
        c.tops.push_back(c.tops.back() + rowHeight(c.tops.size() - 1) + gap);
    return c.tops;
}

void Ui::beginLayer() {
    ++m_layer;
    m_topLayer = std::max(m_topLayer, m_layer);
}

void Ui::endLayer() {
    if (m_layer > 0) --m_layer;
}

}  // namespace fadaa::kiosk
