// app/kiosk/ui/widget_icons.cpp - small line icons drawn from shapes (no icon font to load).
//
// Icons repeat what a word already says (a check next to "Confirmed", a clock next to "Waiting
// list"), so that meaning never rests on colour or on reading alone. Icons that point (back)
// follow the reading direction.
#include <cmath>

#include "ui/ui.hpp"

namespace fadaa::kiosk {

void Ui::icon(Icon icon, const Rect& logical, ImU32 color) {
    if (icon == Icon::None) return;
    Rect r = flip(logical);
    ImDrawList* d = m_dl;
    const float s = std::min(r.w(), r.h());
    const ImVec2 c = r.center();
    const float t = std::max(2.0f, s * 0.09f);  // stroke
    auto P = [&](float x, float y) { return ImVec2{c.x + x * s * 0.5f, c.y + y * s * 0.5f}; };
    // Horizontal mirror for icons that point along the reading direction.
    const float dir = mirrored() ? -1.0f : 1.0f;
    switch (icon) {
        case Icon::None:
            break;
        case Icon::Home:
            d->AddTriangleFilled(P(0, -0.95f), P(-0.95f, -0.05f), P(0.95f, -0.05f), color);
            d->AddRectFilled(P(-0.65f, -0.1f), P(0.65f, 0.9f), color);
            break;
        case Icon::Back: {
            ImVec2 tip = P(-0.8f * dir, 0), a = P(-0.05f * dir, -0.75f), b = P(-0.05f * dir, 0.75f);
            d->AddLine(tip, P(0.85f * dir, 0), color, t * 1.2f);
            d->AddLine(tip, a, color, t * 1.2f);
            d->AddLine(tip, b, color, t * 1.2f);
            break;
        }
        case Icon::Check: {
            ImVec2 pts[3] = {P(-0.8f, 0.0f), P(-0.25f, 0.6f), P(0.85f, -0.65f)};
            d->AddPolyline(pts, 3, color, 0, t * 1.4f);
            break;
        }
        case Icon::Clock:
            d->AddCircle(c, s * 0.45f, color, 32, t);
            d->AddLine(c, P(0, -0.6f), color, t);
            d->AddLine(c, P(0.45f, 0.2f), color, t);
            break;
        case Icon::Info:
            d->AddCircle(c, s * 0.45f, color, 32, t);
            d->AddCircleFilled(P(0, -0.42f), t * 0.9f, color);
            d->AddLine(P(0, -0.15f), P(0, 0.55f), color, t * 1.2f);
            break;
        case Icon::Warning:
            d->AddTriangle(P(0, -0.9f), P(-0.95f, 0.8f), P(0.95f, 0.8f), color, t);
            d->AddLine(P(0, -0.35f), P(0, 0.3f), color, t * 1.1f);
            d->AddCircleFilled(P(0, 0.55f), t * 0.8f, color);
            break;
        case Icon::Search:
            d->AddCircle(P(-0.15f, -0.15f), s * 0.32f, color, 32, t);
            d->AddLine(P(0.3f, 0.3f), P(0.85f, 0.85f), color, t * 1.4f);
            break;
        case Icon::Clear:
            d->AddLine(P(-0.6f, -0.6f), P(0.6f, 0.6f), color, t * 1.3f);
            d->AddLine(P(-0.6f, 0.6f), P(0.6f, -0.6f), color, t * 1.3f);
            break;
        case Icon::Calendar:
            d->AddRect(P(-0.8f, -0.6f), P(0.8f, 0.85f), color, s * 0.06f, 0, t);
            d->AddRectFilled(P(-0.8f, -0.6f), P(0.8f, -0.25f), color);
            d->AddLine(P(-0.4f, -0.9f), P(-0.4f, -0.5f), color, t);
            d->AddLine(P(0.4f, -0.9f), P(0.4f, -0.5f), color, t);
            break;
        case Icon::TextSize: {
            // A small and a large "A": text size, understood in every script.
            ImFont* f = heading();
            d->AddText(f, s * 0.55f, P(-0.95f, -0.05f), color, "A");
            d->AddText(f, s * 1.0f, P(-0.2f, -0.95f), color, "A");
            break;
        }
        case Icon::Contrast:
            d->AddCircle(c, s * 0.45f, color, 32, t);
            d->PathArcTo(c, s * 0.45f, -1.5708f, 1.5708f, 24);
            d->PathFillConvex(color);
            break;
        case Icon::Globe:
            d->AddCircle(c, s * 0.45f, color, 32, t);
            for (int i = 0; i <= 24; ++i) {  // a meridian (ImGui 1.86 has no ellipse)
                float a = static_cast<float>(i) / 24.0f * 6.2832f;
                d->PathLineTo({c.x + std::cos(a) * s * 0.2f, c.y + std::sin(a) * s * 0.45f});
            }
            d->PathStroke(color, 0, t);
            d->AddLine(P(-0.9f, 0), P(0.9f, 0), color, t);
            break;
        case Icon::Person:
            d->AddCircleFilled(P(0, -0.45f), s * 0.22f, color);
            d->PathArcTo(P(0, 0.9f), s * 0.42f, 3.1416f, 6.2832f, 24);
            d->PathFillConvex(color);
            break;
        case Icon::Backspace: {
            ImVec2 pts[5] = {P(-0.95f * dir, 0), P(-0.45f * dir, -0.6f), P(0.9f * dir, -0.6f),
                             P(0.9f * dir, 0.6f), P(-0.45f * dir, 0.6f)};
            d->AddPolyline(pts, 5, color, ImDrawFlags_Closed, t);
            d->AddLine(P(-0.05f * dir, -0.28f), P(0.5f * dir, 0.28f), color, t);
            d->AddLine(P(-0.05f * dir, 0.28f), P(0.5f * dir, -0.28f), color, t);
            break;
        }
        case Icon::Shift: {
            ImVec2 pts[7] = {P(0, -0.9f),     P(0.8f, 0.0f),   P(0.35f, 0.0f), P(0.35f, 0.8f),
                             P(-0.35f, 0.8f), P(-0.35f, 0.0f), P(-0.8f, 0.0f)};
            d->AddPolyline(pts, 7, color, ImDrawFlags_Closed, t);
            break;
        }
        case Icon::Ticket:
            d->AddRect(P(-0.9f, -0.55f), P(0.9f, 0.55f), color, s * 0.08f, 0, t);
            d->AddLine(P(0.35f, -0.55f), P(0.35f, 0.55f), color, t * 0.6f);
            break;
    }
}

}  // namespace fadaa::kiosk
