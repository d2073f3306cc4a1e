// app/kiosk/ui/theme.cpp - the colours of the default and high-contrast themes.
#include "ui/theme.hpp"

namespace fadaa::kiosk {
namespace {

constexpr ImU32 rgb(unsigned r, unsigned g, unsigned b, unsigned a = 255) {
    return IM_COL32(r, g, b, a);
}

}  // namespace

Theme makeTheme(bool highContrast) {
    Theme t{};
    if (!highContrast) {
        // Warm paper background, white cards, deep teal for action: calm, and every text
        // colour is at least 7:1 against its background (WCAG AAA).
        t.background = rgb(0xF3, 0xF1, 0xEC);
        t.surface = rgb(0xFF, 0xFF, 0xFF);
        t.surfacePressed = rgb(0xD9, 0xE8, 0xE6);
        t.text = rgb(0x1A, 0x1F, 0x24);
        t.textMuted = rgb(0x43, 0x4B, 0x53);
        t.border = rgb(0xB8, 0xBE, 0xC4);
        t.borderWidth = 2.0f;
        t.accent = rgb(0x0A, 0x5C, 0x58);
        t.accentPressed = rgb(0x06, 0x3D, 0x3A);
        t.accentText = rgb(0xFF, 0xFF, 0xFF);
        t.focus = rgb(0x0A, 0x5C, 0x58);
        t.okBack = rgb(0xE2, 0xF2, 0xE5);
        t.okText = rgb(0x14, 0x55, 0x28);
        t.waitBack = rgb(0xFD, 0xEF, 0xD2);
        t.waitText = rgb(0x6B, 0x45, 0x00);
        t.errorBack = rgb(0xFB, 0xE4, 0xE2);
        t.errorText = rgb(0x8E, 0x15, 0x15);
        t.shade = rgb(0x10, 0x14, 0x18, 0xB0);
        t.barBack = rgb(0x12, 0x3A, 0x44);
        t.barText = rgb(0xFF, 0xFF, 0xFF);
        t.keyboardBack = rgb(0xDD, 0xE2, 0xE3);
    } else {
        // Black and white with yellow for action and focus; thick borders instead of fills.
        t.background = rgb(0x00, 0x00, 0x00);
        t.surface = rgb(0x00, 0x00, 0x00);
        t.surfacePressed = rgb(0x33, 0x33, 0x33);
        t.text = rgb(0xFF, 0xFF, 0xFF);
        t.textMuted = rgb(0xFF, 0xFF, 0xFF);
        t.border = rgb(0xFF, 0xFF, 0xFF);
        t.borderWidth = 3.0f;
        t.accent = rgb(0xFF, 0xE0, 0x00);
        t.accentPressed = rgb(0xC8, 0xB0, 0x00);
        t.accentText = rgb(0x00, 0x00, 0x00);
        t.focus = rgb(0xFF, 0xE0, 0x00);
        t.okBack = rgb(0x00, 0x00, 0x00);
        t.okText = rgb(0x7C, 0xFF, 0x8A);
        t.waitBack = rgb(0x00, 0x00, 0x00);
        t.waitText = rgb(0xFF, 0xE0, 0x00);
        t.errorBack = rgb(0x00, 0x00, 0x00);
        t.errorText = rgb(0xFF, 0x9A, 0x9A);
        t.shade = rgb(0x00, 0x00, 0x00, 0xE0);
        t.barBack = rgb(0x00, 0x00, 0x00);
        t.barText = rgb(0xFF, 0xFF, 0xFF);
        t.keyboardBack = rgb(0x1A, 0x1A, 0x1A);
    }
    return t;
}

}  // namespace fadaa::kiosk
