// app/kiosk/ui/widgets.hpp - the pieces screens are built from: the top bar, prompts, session
// cards and seat badges, form fields and choice chips.
#pragma once

#include <string>
#include <vector>

#include "ui/ui.hpp"
#include "ui/view_models.hpp"

namespace fadaa::kiosk {

// --- widget_chrome.cpp: on every screen ---

struct TopBarVm {
    std::string title;  // logical text, current language
    bool showHome = true, showBack = true, showLanguage = true;
    SyncIndicator sync;
};

// The bar across the top: Home and Back at the start, then the sync state when enrolled; the
// screen's title; text size, contrast and language at the end. Hit ids: bar.home, bar.back,
// bar.text_size, bar.contrast, bar.language.
void drawTopBar(Ui& ui, const TopBarVm& vm, Actions& actions);
float topBarHeight(const Ui& ui);

// A prompt over the screen (layer 1): the shade, a centred card; returns the card's inner rect.
Rect beginPrompt(Ui& ui, float width, float height);
void endPrompt(Ui& ui);
// A prompt's two answers side by side along the bottom of its inner rect. Returns 0 when the
// first was tapped, 1 for the second, -1 for none.
struct PromptChoice {
    const char* id;
    std::string label;
    ButtonStyle style;
    Icon icon;
};
int drawPromptChoices(Ui& ui, const Rect& in, const PromptChoice& first,
                      const PromptChoice& second);
float promptChoicesHeight(const Ui& ui);

// The four languages, each in its own script. Hit ids: language.<code>, language.close.
void drawLanguagePanel(Ui& ui, const std::vector<LanguageVm>& languages, Actions& actions);
// "Are you still there?" with the seconds left. Hit ids: idle.continue, idle.start_over.
void drawIdlePrompt(Ui& ui, int secondsLeft, Actions& actions);
// Language buttons in a row (home screen). Hit ids: <prefix>.<code>.
void drawLanguageRow(Ui& ui, const std::vector<LanguageVm>& languages, const Rect& r,
                     const std::string& idPrefix, Actions& actions);

// --- widget_card.cpp: sessions ---

// A pill with an icon and a word for the seat state.
void drawSeatBadge(Ui& ui, SeatState state, const std::string& text, const Rect& r);
float seatBadgeHeight(const Ui& ui);
// The height a session card needs at this width and the current text size: its title takes
// one line or two (at most), as it needs.
float sessionCardHeight(Ui& ui, const SessionCardVm& card, float width);
// A large card: title (two lines at most), day and time, venue, seats, from the top of r (r
// may be taller than the card needs: cards in a row share the row's height). Returns true on
// a tap anywhere in r.
bool drawSessionCard(Ui& ui, const std::string& id, const SessionCardVm& card, const Rect& r);
// A compact selectable row for one session of an event (detail screen).
bool drawSessionRow(Ui& ui, const std::string& id, const SessionCardVm& row, const Rect& r,
                    bool selected);
float sessionRowHeight(Ui& ui);

// --- widget_field.cpp: forms ---

// A text box showing `typedValue` (logical; nothing while Ui::concealTyped()) with a caret when
// focused, its label above and its error (a translation key) below. Returns true when tapped (to
// focus it).
bool drawTextField(Ui& ui, const std::string& id, const std::string& label,
                   const std::string& typedValue, const std::string& errorKey, const Rect& r,
                   bool focused);
float textFieldHeight(Ui& ui, bool withError);
// Line height over font size inside a chip whose label wraps (tighter than running text).
inline constexpr float kChipLineSpacing = 1.15f;
// Where drawChips puts each chip (logical rects, in `chips` order) and the height used.
struct ChipsLayout {
    std::vector<Rect> rects;
    float height = 0.0f;
};
// Chips from r's top-left across r's width. With perRow > 0 and every label fitting its cell
// on one line: a grid of perRow equal cells. Otherwise each chip is as wide as its label needs
// (at least two touch targets wide), as many to a row as fit (perRow at most, when > 0), the
// rows that wrapped stretched to the full width; a label wider than the whole row wraps and
// its chip (and row) grows to hold every line. Nothing is ever cut.
ChipsLayout layoutChips(Ui& ui, const std::vector<CategoryVm>& chips, const Rect& r, int perRow);
// Chips laid out by layoutChips, the one whose id equals `selected` drawn chosen (filled, with
// a check mark). Returns the index tapped or -1; `height` gets the height used.
int drawChips(Ui& ui, const std::string& idPrefix, const std::vector<CategoryVm>& chips,
              const std::string& selected, const Rect& r, float& height, int perRow = 0);
// The room a label has inside a chip `chipWidth` wide (the check mark's room and padding off).
float chipTextWidth(Ui& ui, float chipWidth);
// The height drawChips will use for these chips across `width`.
float chipsHeight(Ui& ui, const std::vector<CategoryVm>& chips, float width, int perRow);
// A field's problem: warning icon and the message. Returns the height used (0 for no error).
float drawFieldError(Ui& ui, const std::string& errorKey, const Rect& r);
float fieldErrorHeight(Ui& ui, const std::string& errorKey, float width);

}  // namespace fadaa::kiosk
