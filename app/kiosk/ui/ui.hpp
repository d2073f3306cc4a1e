// app/kiosk/ui/ui.hpp - the drawing context every screen and widget draws through.
//
// Ui wraps one frame of ImGui drawing for a touch kiosk: screens lay things out in *logical*
// coordinates (start = left in French, right in Arabic) and Ui mirrors them for right-to-left
// languages, so no screen has two layouts. Text goes through FriBidi (shaped, reordered,
// wrapped in logical order) with caches, because immediate mode asks for the same text every
// frame. Tappable things are our own (not ImGui widgets) so that a drag cancels a press, a
// prompt on top takes every touch, and each records a Hit for scripts and tests.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include <imgui.h>

#include "i18n/bidi.hpp"
#include "i18n/translations.hpp"
#include "ui/fonts.hpp"
#include "ui/kiosk_app.hpp"
#include "ui/theme.hpp"
#include "ui/touch.hpp"

namespace fadaa::kiosk {

struct Rect {
    ImVec2 min{0, 0}, max{0, 0};
    static Rect xywh(float x, float y, float w, float h) { return {{x, y}, {x + w, y + h}}; }
    float w() const { return max.x - min.x; }
    float h() const { return max.y - min.y; }
    ImVec2 center() const { return {(min.x + max.x) * 0.5f, (min.y + max.y) * 0.5f}; }
    bool empty() const { return max.x <= min.x || max.y <= min.y; }
    bool contains(ImVec2 p) const {
        return p.x >= min.x && p.x < max.x && p.y >= min.y && p.y < max.y;
    }
    Rect inset(float d) const { return {{min.x + d, min.y + d}, {max.x - d, max.y - d}}; }
    Rect intersect(const Rect& o) const;
};

enum class Align { Start, Center, End };

enum class ButtonStyle {
    Primary,    // the one action of a screen: filled accent
    Secondary,  // other actions: outlined surface
    Selected,   // a chosen chip: tinted, thick accent border, check mark (not a fill)
    Key,        // an on-screen keyboard key
    Bar,        // on the top bar
};

// Small line icons drawn from shapes, mirrored with the layout where they point somewhere.
enum class Icon {
    None,
    Home,
    Back,
    Check,
    Clock,
    Info,
    Warning,
    Search,
    Clear,
    Calendar,
    TextSize,
    Contrast,
    Globe,
    Person,
    Backspace,
    Shift,
    Ticket
};

class Ui {
public:
    Ui(const KioskFonts& fonts, const Translations& translations);

    // Starts a frame: reads the pointer, fixes language, direction, text size and theme.
    void beginFrame(double now, ImDrawList* drawList, const ImGuiIO& io, const std::string& lang,
                    bool rtl, int textSize, bool highContrast);
    // Ends the frame: stops scroll areas that were not drawn, remembers the top layer.
    void endFrame();

    // --- state ---
    ImDrawList* dl() const { return m_dl; }
    const Theme& theme() const { return m_theme; }
    const std::string& lang() const { return m_lang; }
    bool rtl() const { return m_rtl; }
    int textSize() const { return m_textSize; }
    double now() const { return m_now; }
    float scale() const { return m_scale; }
    float px(float v) const { return v * m_scale; }
    ImVec2 screen() const { return m_screen; }
    Touch& touch() { return m_touch; }
    bool animating() const { return m_animating; }

    // --- fonts: sizes to draw at, for the chosen text size ---
    ImFont* body() const { return m_fonts.level(m_textSize).body; }
    ImFont* heading() const { return m_fonts.level(m_textSize).heading; }
    ImFont* code() const { return m_fonts.code(); }
    ImFont* bodyAt(int textSize) const { return m_fonts.level(textSize).body; }
    float sizeOf(const ImFont* font) const { return font->FontSize * m_fontScale; }
    // Line height over font size: running text breathes more than headings.
    static constexpr float kLineSpacing = 1.35f, kHeadingSpacing = 1.2f;
    float spacingOf(const ImFont* font) const;
    float lineHeight(const ImFont* font) const { return sizeOf(font) * spacingOf(font); }

    // --- strings ---
    std::string t(std::string_view key, const std::map<std::string, std::string>& args = {}) const;
    // The same key in another language (the out-of-order screen speaks all of them).
    std::string tIn(std::string_view lang, std::string_view key) const;

    // --- geometry: logical (start-based) to screen ---
    Rect flip(const Rect& logical) const;
    ImVec2 flip(ImVec2 logical) const;
    // Between these, nothing is mirrored (an on-screen keyboard keeps its physical layout).
    void pushNoMirror() { ++m_noMirror; }
    void popNoMirror() { --m_noMirror; }
    bool mirrored() const { return m_rtl && m_noMirror == 0; }

    // --- text (all take logical UTF-8) ---
    const std::string& visual(std::string_view logical);
    float textWidth(std::string_view logical, const ImFont* font);
    // One line in r, vertically centred, aligned start/centre/end; cut with an ellipsis if it
    // does not fit.
    void text(const Rect& r, std::string_view logical, const ImFont* font, ImU32 color,
              Align align = Align::Start);
    // Wrapped lines from r's top; at most maxLines (0 = all), the last cut with an ellipsis.
    // Returns the height used.
    // `spacing` is the line height over the font size (0: the font's own, spacingOf; buttons
    // use less so that two lines fit a touch target).
    float paragraph(const Rect& r, std::string_view logical, const ImFont* font, ImU32 color,
                    int maxLines = 0, Align align = Align::Start, float spacing = 0.0f);
    float paragraphHeight(float width, std::string_view logical, const ImFont* font,
                          int maxLines = 0, float spacing = 0.0f);
    const std::vector<std::string>& wrapped(std::string_view logical, const ImFont* font,
                                            float width);

    // --- shapes (logical rects) ---
    void fill(const Rect& r, ImU32 color, float rounding = -1.0f);
    void stroke(const Rect& r, ImU32 color, float thickness, float rounding = -1.0f);
    // The ground of something chosen (a language, a filter, a choice): a tinted surface with a
    // thick accent border, lighter while pressed. Never a fill in the accent colour, which is
    // what an action to press looks like.
    void chosenFrame(const Rect& r, bool down);
    void icon(Icon icon, const Rect& r, ImU32 color);

    // --- tappables ---
    // Records a Hit and returns true when a tap (press and release inside, no drag) ended on r
    // this frame. Draws nothing. pressing(id) says whether a finger holds it now.
    bool tappable(const std::string& id, const std::string& label, const Rect& r);
    bool pressing(const std::string& id) const;
    // Records a Hit for something shown but not tappable (the registration code), so that a
    // script can read it; it takes no press.
    void displayOnly(const std::string& id, const std::string& label, const Rect& r);
    // A drawn button: background by style, optional icon at the start, label centred (or at the
    // start when an icon leads), wrapped to two lines if it must.
    bool button(const std::string& id, const std::string& label, const Rect& r, ButtonStyle style,
                Icon icon = Icon::None, const ImFont* font = nullptr);
    // A button that shows only its icon (a narrow key, a crowded bar); the Hit keeps the label.
    bool iconButton(const std::string& id, const std::string& label, const Rect& r,
                    ButtonStyle style, Icon icon);

    // --- clipping, scrolling, layers ---
    void pushClip(const Rect& logical);
    void popClip();
    // A vertically scrolling area: returns how far its content is scrolled (subtract from y).
    // contentHeight is what the area holds; dragging anywhere in it scrolls, with inertia.
    float beginScroll(const std::string& id, const Rect& viewport, float contentHeight);
    void endScroll();
    void resetScroll(const std::string& id);
    // Scrolls area `id` just enough that content rows top..bottom are in view (top first if
    // both do not fit). Call before its beginScroll, which applies it.
    void ensureVisible(const std::string& id, float top, float bottom);
    void resetAllScroll();
    // The tops of a long list's rows (rows + 1 values: the last is the content height), kept
    // between frames under `id`: rowHeight(i) is asked only for rows not measured yet, all of
    // them again when `key` changes (the list's content, width, text size). The last row is
    // measured again when rows are appended (it may gain a card). Each row ends with `gap`.
    const std::vector<float>& rowTops(const std::string& id, const std::string& key, size_t rows,
                                      const std::function<float(size_t)>& rowHeight, float gap);
    // Things drawn inside a layer above 0 (a prompt) take every touch; those below are inert.
    // The app says before drawing which layer takes input (1 while a prompt is open, else 0).
    void setInputLayer(int layer);
    void beginLayer();
    void endLayer();

    // While on (the "still there?" prompt is up), text boxes draw no value: whoever stands at
    // the kiosk now may not be the resident who typed it.
    void setConcealTyped(bool on) { m_concealTyped = on; }
    bool concealTyped() const { return m_concealTyped; }

    const std::vector<Hit>& hits() const { return m_hits; }
    // For tests: when on, every text drawn in a frame is kept (logical form) until the next.
    void setTextRecording(bool on) { m_recordTexts = on; }
    void noteText(std::string_view logical) {
        if (m_recordTexts) m_texts.emplace_back(logical);
    }
    const std::vector<std::string>& drawnTexts() const { return m_texts; }

private:
    const KioskFonts& m_fonts;
    const Translations& m_translations;
    VisualTextCache m_visualCache{4096};
    struct WrapEntry {
        std::vector<std::string> lines;
        int frame = 0;
    };
    std::unordered_map<std::string, WrapEntry> m_wrapCache;

    ImDrawList* m_dl = nullptr;
    Theme m_theme{};
    std::string m_lang;
    bool m_rtl = false;
    int m_noMirror = 0;
    int m_textSize = 1;
    double m_now = 0.0, m_lastNow = -1.0;
    float m_dt = 0.0f;
    float m_scale = 1.0f, m_fontScale = 1.0f;
    ImVec2 m_screen{1920, 1080};
    int m_frame = 0;

    Touch m_touch;
    std::vector<Hit> m_hits;
    bool m_recordTexts = false;
    bool m_concealTyped = false;
    std::vector<std::string> m_texts;
    std::vector<Rect> m_clips;  // screen coordinates
    std::unordered_map<std::string, ScrollState> m_scroll;
    struct RowCache {
        std::string key;
        std::vector<float> tops;
    };
    std::unordered_map<std::string, RowCache> m_rows;
    std::vector<std::pair<std::string, Rect>> m_scrollStack;
    int m_layer = 0, m_inputLayer = 0, m_topLayer = 0;
    bool m_animating = false;

    Rect currentClip() const;
    void truncateToWidth(std::string& visualLine, bool rtlLine, const ImFont* font, float width);
};

}  // namespace fadaa::kiosk
