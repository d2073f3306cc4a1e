// app/kiosk/ui/widget_qr.hpp - a QR code (libqrencode) drawn as filled squares.
//
// A registration code is shown as text for people and as a QR code for the staff's scanner.
// It is drawn dark on white with the four-module quiet zone scanners need, in both themes.
#pragma once

#include <string>
#include <vector>

namespace fadaa::kiosk {

class Ui;
struct Rect;

class QrCode {
public:
    // Encodes text (error correction level M). An empty or unencodable text gives width 0.
    explicit QrCode(const std::string& text);
    int width() const { return m_width; }  // modules per side, without the quiet zone
    bool dark(int x, int y) const { return m_modules[static_cast<size_t>(y * m_width + x)] != 0; }
    const std::string& text() const { return m_text; }

private:
    std::string m_text;
    int m_width = 0;
    std::vector<unsigned char> m_modules;
};

// Draws qr centred in r (logical), as large as fits with whole-pixel modules.
void drawQrCode(Ui& ui, const QrCode& qr, const Rect& r);

}  // namespace fadaa::kiosk
