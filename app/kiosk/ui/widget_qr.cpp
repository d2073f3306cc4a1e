// app/kiosk/ui/widget_qr.cpp - encoding with libqrencode and drawing module runs as rectangles.
#include "ui/widget_qr.hpp"

#include <qrencode.h>

#include <algorithm>
#include <cmath>

#include "ui/ui.hpp"

namespace fadaa::kiosk {

QrCode::QrCode(const std::string& text) : m_text(text) {
    if (text.empty()) return;
    QRcode* qr = QRcode_encodeString(text.c_str(), 0, QR_ECLEVEL_M, QR_MODE_8, 1);
    if (!qr) return;
    m_width = qr->width;
    m_modules.resize(static_cast<size_t>(m_width * m_width));
    for (size_t i = 0; i < m_modules.size(); ++i) m_modules[i] = qr->data[i] & 1;
    QRcode_free(qr);
}

void drawQrCode(Ui& ui, const QrCode& qr, const Rect& r) {
    if (qr.width() == 0) return;
    const int quiet = 4;
    const int total = qr.width() + 2 * quiet;
    const float module = std::floor(std::min(r.w(), r.h()) / static_cast<float>(total));
    if (module < 1.0f) return;
    const float side = module * static_cast<float>(total);
    Rect s = ui.flip(r);  // a QR code is never mirrored, only placed
    ImVec2 origin{std::floor(s.center().x - side * 0.5f), std::floor(s.center().y - side * 0.5f)};
    ImDrawList* d = ui.dl();
    d->AddRectFilled(origin, {origin.x + side, origin.y + side}, IM_COL32(255, 255, 255, 255));
    const ImU32 dark = IM_COL32(0, 0, 0, 255);
    for (int y = 0; y < qr.width(); ++y) {
        int x = 0;
        while (x < qr.width()) {
            if (!qr.dark(x, y)) {
                ++x;
                continue;
            }
            int start = x;
            while (x < qr.width() && qr.dark(x, y)) ++x;
            float x0 = origin.x + static_cast<float>(start + quiet) * module;
            float y0 = origin.y + static_cast<float>(y + quiet) * module;
            d->AddRectFilled({x0, y0}, {x0 + static_cast<float>(x - start) * module, y0 + module},
                             dark);
        }
    }
}

}  // namespace fadaa::kiosk
