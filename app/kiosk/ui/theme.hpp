// app/kiosk/ui/theme.hpp - the kiosk's two colour themes (calm default, high contrast) and
// its layout metrics on a 1080p screen.
//
// Colour never carries meaning alone: every state drawn in a colour also has a word and a
// shape (a check mark, a clock, a border), so the themes only change how loud things are.
#pragma once

#include <imgui.h>

namespace fadaa::kiosk {

struct Theme {
    ImU32 background;      // the screen
    ImU32 surface;         // cards, fields, keys
    ImU32 surfacePressed;  // a surface under a finger
    ImU32 text;
    ImU32 textMuted;  // secondary lines (still at least 7:1 against surface)
    ImU32 border;
    float borderWidth;
    ImU32 accent;  // primary buttons, the selected chip
    ImU32 accentPressed;
    ImU32 accentText;            // text on accent
    ImU32 focus;                 // the field being typed into
    ImU32 okBack, okText;        // confirmed, seats left
    ImU32 waitBack, waitText;    // waiting list, nearly full
    ImU32 errorBack, errorText;  // a field's problem, full and closed
    ImU32 shade;                 // behind a prompt
    ImU32 barBack, barText;      // the top bar
    ImU32 keyboardBack;          // behind the on-screen keyboard's keys
};

Theme makeTheme(bool highContrast);

// Layout metrics in pixels at 1080p; multiplied by Ui::scale() when drawn.
namespace metric {
inline constexpr float kTouch = 80.0f;  // minimum touch target (about 21 mm at 22")
inline constexpr float kBar = 104.0f;   // top bar height
inline constexpr float kGap = 20.0f;    // between things
inline constexpr float kPad = 28.0f;    // inside cards and at screen edges
inline constexpr float kRadius = 14.0f;
inline constexpr float kDragThreshold = 15.0f;  // a drag never triggers the button it began on
}  // namespace metric

}  // namespace fadaa::kiosk
