// app/kiosk/ui/screen_out_of_order.cpp - "temporarily out of order, please ask the staff",
// in every language the kiosk offers, while the store cannot be used. Nothing to tap: the
// kiosk retries by itself and comes back to the home screen when the store answers.
#include "ui/screens.hpp"
#include "ui/widgets.hpp"

namespace fadaa::kiosk {

void drawOutOfOrderScreen(Ui& ui, const std::vector<std::string>& languages) {
    const Theme& th = ui.theme();
    ImVec2 s = ui.screen();
    ui.fill(Rect{{0, 0}, s}, th.background, 0.0f);
    const float w = std::min(s.x - ui.px(120), ui.px(1400));
    const float x = (s.x - w) * 0.5f;
    const float lhH = ui.lineHeight(ui.heading()), lhB = ui.lineHeight(ui.body());
    const float iconSize = ui.px(120);
    float blockH = iconSize + ui.px(40);
    for (const auto& lang : languages) {
        blockH += ui.paragraphHeight(w, ui.tIn(lang, "outoforder.title"), ui.heading()) +
                  ui.paragraphHeight(w, ui.tIn(lang, "outoforder.body"), ui.body()) + ui.px(36);
    }
    float y = std::max(ui.px(40), (s.y - blockH) * 0.5f);
    ui.icon(Icon::Warning, Rect::xywh(s.x * 0.5f - iconSize * 0.5f, y, iconSize, iconSize),
            th.text);
    y += iconSize + ui.px(40);
    // Centred lines read the same way in both directions; each language in its own order.
    for (const auto& lang : languages) {
        y += ui.paragraph(Rect::xywh(x, y, w, lhH * 3), ui.tIn(lang, "outoforder.title"),
                          ui.heading(), th.text, 0, Align::Center);
        y += ui.paragraph(Rect::xywh(x, y, w, lhB * 3), ui.tIn(lang, "outoforder.body"), ui.body(),
                          th.textMuted, 0, Align::Center);
        y += ui.px(36);
    }
}

}  // namespace fadaa::kiosk
