// app/kiosk/ui/fonts.hpp - the kiosk's font atlas: Noto Sans + Noto Sans Arabic + Noto Sans
// Tifinagh found through fontconfig, merged into one ImFont per role, baked for the text size
// the resident sees.
//
// Why merged fonts: ImGui draws one ImFont per string, and a French screen may show an Arabic
// venue name. The Arabic font is merged at a larger pixel size because ImGui sizes a font by
// ascent minus descent, and Noto Sans Arabic's tall line metrics would otherwise make its
// letters look a third smaller than the Latin ones (design.md section 4); Tifinagh is merged
// larger too, because at equal height its thin geometric letters read a size smaller.
//
// Why one text size: baking all three sizes took 6138 glyphs, a 2048x1547 texture and
// 230-450 ms, the longest step before the first frame on a software GL. An atlas holds the
// chosen size (body + heading), the small print (body at size 0, for the sync indicator) and
// the code font; another size is baked on a worker thread when the resident asks for it
// (KioskApp::updateFonts) and swapped in between frames.
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
    // Clears `atlas`, adds the fonts of `textSize` (0..kTextSizeLevels-1, clamped), the small
    // print and the code font at sizes for a 1080p screen times pixelScale, and builds it.
    // Finds the font files through fontconfig on the first call (copies reuse them, so a
    // worker thread's build does not ask fontconfig again). Throws std::runtime_error on a
    // missing font.
    void build(ImFontAtlas& atlas, float pixelScale, int textSize);

    // Where build() keeps the atlases it baked, one file per fonts + sizes + glyph ranges, to
    // load instead of baking again (about 10 ms instead of 100-300 ms on a 2-core kiosk).
    // Empty (the default): no cache. Process-wide; fadaa-kiosk sets it at start-up. A cache
    // file that cannot be read or written is only logged: the atlas is baked as without one.
    static void setCacheDir(std::filesystem::path dir);

    // The text size the last build() baked.
    int bakedLevel() const { return m_baked; }
    // The fonts for textSize: those of bakedLevel() when textSize is not baked (the screens
    // keep their size until the new atlas is swapped in), except that level(0).body, the small
    // print, is always baked (with the baked size's heading while size 0 is not).
    const FontSet& level(int textSize) const;
    ImFont* code() const { return m_code; }  // very large Latin capitals and digits only
    float pixelScale() const { return m_pixelScale; }
    // The factor applied to the Arabic font's pixel size, measured from the two fonts' metrics.
    float arabicScale() const { return m_arabicScale; }
    // The same for Noto Sans Tifinagh: its letters' height over Latin capitals', times 1.2.
    float tifinaghScale() const { return m_tifinaghScale; }

    // True when every code point of the UTF-8 text has a glyph in `font`. Spaces and the
    // invisible joiners FriBidi may leave behind count as present. `missing` gets the first
    // missing code point.
    static bool hasGlyphs(const ImFont* font, std::string_view utf8, char32_t* missing = nullptr);

private:
    struct Files {
        std::filesystem::path latin, latinBold, arabic, arabicBold, tifinagh;
    };
    void findFiles();
    std::string cacheKey(float pixelScale, int textSize) const;
    bool loadCached(ImFontAtlas& atlas, const std::string& key);
    void saveCached(const ImFontAtlas& atlas, const std::string& key) const;

    Files m_files;
    std::array<FontSet, kTextSizeLevels> m_levels{};
    ImFont* m_code = nullptr;
    int m_baked = 0;
    float m_pixelScale = 1.0f;
    float m_arabicScale = 1.0f;
    float m_tifinaghScale = 1.0f;
};

}  // namespace fadaa::kiosk
