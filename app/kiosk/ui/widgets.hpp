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
// The fixed height of a session card at the current text size.
float sessionCardHeight(Ui& ui);
// A large card: title (two lines at most), day and time, venue, seats. Returns true on a tap.
bool drawSessionCard(Ui& ui, const std::string& id, const SessionCardVm& card, const Rect& r);
// A compact selectable row for one session of an event (detail screen).
bool drawSessionRow(Ui& ui, const std::string& id, const SessionCardVm& row, const Rect& r,
                    bool selected);
float sessionRowHeight(Ui& ui);

// --- widget_field.cpp: forms ---

// A text box showing `value` (logical) with a caret when focused, its label above and its
// error (a translation key) below. Returns true when tapped (to focus it).
bool drawTextField(Ui& ui, const std::string& id, const std::string& label,
                   const std::string& value, const std::string& errorKey, const Rect& r,
                   bool focused);
float textFieldHeight(Ui& ui, bool withError);
// A row of chips, wrapping; the one equal to `selected` is drawn selected. Returns the index
// tapped or -1; `height` gets the height used.
int drawChips(Ui& ui, const std::string& idPrefix, const std::vector<CategoryVm>& chips,
              const std::string& selected, const Rect& r, float& height, int perRow = 0);
// The height drawChips will use for `count` chips at `perRow` a row.
float chipsHeight(const Ui& ui, size_t count, int perRow);
// A field's problem: warning icon and the message. Returns the height used (0 for no error).
float drawFieldError(Ui& ui, const std::string& errorKey, const Rect& r);
float fieldErrorHeight(Ui& ui, const std::string& errorKey, float width);

}  // namespace fadaa::kiosk
