// app/kiosk/ui/fonts.hpp - the kiosk's font atlas: Noto Sans + Noto Sans Arabic + Noto Sans
// Tifinagh found through fontconfig, merged into one ImFont per role and text size.
//
// Why merged fonts: ImGui draws one ImFont per string, and a French screen may show an Arabic
// venue name. The Arabic font is merged at a larger pixel size because ImGui sizes a font by
// ascent minus descent, and Noto Sans Arabic's tall line metrics would otherwise make its
// letters look a third smaller than the Latin ones (design.md section 4).
#pragma once

#include <array>
#include <filesystem>
#include <string>
#include <string_view>

#include <imgui.h>

namespace fadaa::kiosk {

// The number of text sizes a resident can choose from (normal, large, larger).
inline constexpr int kTextSizeLevels = 3;

// The fonts drawn at one text size.
struct FontSet {
    ImFont* body = nullptr;     // running text, buttons, fields
    ImFont* heading = nullptr;  // titles, card headlines (bold)
};

// Finds a font file by family and style through fontconfig. Throws std::runtime_error naming
// the Debian package (fonts-noto-core) when the family is not installed: fontconfig would
// otherwise silently hand back some other font.
std::filesystem::path findFontFile(std::string_view family, std::string_view style);

class KioskFonts {
public:
    // Adds every font to `atlas` (which must be empty) at sizes for a 1080p screen times
    // pixelScale, and builds it. Throws std::runtime_error on a missing font.
    void build(ImFontAtlas& atlas, float pixelScale);

    const FontSet& level(int textSize) const;
    ImFont* code() const { return m_code; }  // very large Latin capitals and digits only
    float pixelScale() const { return m_pixelScale; }
    // The factor applied to the Arabic font's pixel size, measured from the two fonts' metrics.
    float arabicScale() const { return m_arabicScale; }

    // True when every code point of the UTF-8 text has a glyph in `font`. Spaces and the
    // invisible joiners FriBidi may leave behind count as present. `missing` gets the first
    // missing code point.
    static bool hasGlyphs(const ImFont* font, std::string_view utf8, char32_t* missing = nullptr);

private:
    std::array<FontSet, kTextSizeLevels> m_levels{};
    ImFont* m_code = nullptr;
    float m_pixelScale = 1.0f;
    float m_arabicScale = 1.0f;
};

}  // namespace fadaa::kiosk
