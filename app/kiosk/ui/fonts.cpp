// app/kiosk/ui/fonts.cpp - finding the Noto fonts through fontconfig, baking the atlas, and
// keeping baked atlases in a disk cache.
#include "ui/fonts.hpp"

#include <unistd.h>

#include <fontconfig/fontconfig.h>
#include <ft2build.h>
#include FT_FREETYPE_H
#include <imgui_freetype.h>

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cstring>
#include <fstream>
#include <functional>
#include <initializer_list>
#include <memory>
#include <mutex>
#include <sstream>
#include <stdexcept>
#include <system_error>

#include <fmt/format.h>

#include "i18n/utf8.hpp"

namespace fadaa::kiosk {
namespace {

constexpr const char* kPackageHint =
    "; install the Debian package fonts-noto-core (make deps does it)";

// Sizes in pixels on a 1080p screen, per text size level. The smallest body size still gives
// capitals about 5 mm high on a 22-inch screen, readable from a step away.
constexpr float kBodySizes[kTextSizeLevels] = {28.0f, 34.0f, 42.0f};
constexpr float kHeadingSizes[kTextSizeLevels] = {36.0f, 44.0f, 54.0f};
constexpr float kCodeSize = 120.0f;

// Latin: ASCII, Latin-1, Latin Extended-A (French and Tamazight in Latin script), general
// punctuation (dashes, quotes, ellipsis), the euro sign.
constexpr ImWchar kLatinRanges[] = {0x0020, 0x017F, 0x2010, 0x205E, 0x20AC, 0x20AC, 0};
// Arabic: the base block (harakat, Arabic punctuation), the presentation forms FriBidi shapes
// into (FB50-FBFF holds the Moroccan letters' forms, e.g. veh U+06A4 and ng U+06AD; all of
// FE70-FEFF for the common letters and lam-alef). ASCII too, so that spaces and digits inside
// an Arabic run have metrics in this merged source (design.md section 4).
constexpr ImWchar kArabicRanges[] = {0x0020, 0x007E, 0x0600, 0x06FF, 0xFB50,
                                     0xFBFF, 0xFE70, 0xFEFF, 0};
constexpr ImWchar kTifinaghRanges[] = {0x2D30, 0x2D7F, 0};
constexpr ImWchar kCodeRanges[] = {0x0020, 0x005A, 0};  // digits, capitals, space, dash

struct FcDeleter {
    void operator()(FcPattern* p) const { FcPatternDestroy(p); }
};
using FcPatternPtr = std::unique_ptr<FcPattern, FcDeleter>;

// A font's vertical metrics, in line heights (ascent minus descent: the unit ImGui sizes a
// font by): `line` per em, and the mean ink height of `sample` glyphs (0 when none given).
struct Metrics {
    float linePerEm = 0.0f;
    float inkPerLine = 0.0f;
};

Metrics measureFont(const std::filesystem::path& file, std::initializer_list<char32_t> sample) {
    FT_Library lib = nullptr;
    if (FT_Init_FreeType(&lib) != 0) throw std::runtime_error("FreeType failed to start");
    FT_Face face = nullptr;
    Metrics m;
    if (FT_New_Face(lib, file.c_str(), 0, &face) == 0) {
        const float line = static_cast<float>(face->ascender - face->descender);
        if (face->units_per_EM > 0 && line > 0) {
            m.linePerEm = line / static_cast<float>(face->units_per_EM);
            float ink = 0.0f;
            int counted = 0;
            for (char32_t cp : sample) {
                FT_UInt index = FT_Get_Char_Index(face, cp);
                if (index == 0 || FT_Load_Glyph(face, index, FT_LOAD_NO_SCALE) != 0) continue;
                ink += static_cast<float>(face->glyph->metrics.height);
                ++counted;
            }
            if (counted > 0) m.inkPerLine = ink / static_cast<float>(counted) / line;
        }
        FT_Done_Face(face);
    }
    FT_Done_FreeType(lib);
    if (m.linePerEm <= 0.0f || (sample.size() > 0 && m.inkPerLine <= 0.0f))
        throw std::runtime_error("cannot read font metrics of " + file.string());
    return m;
}

// --- the baked-atlas cache ---

std::mutex g_cacheMutex;
std::filesystem::path g_cacheDir;

std::filesystem::path cacheDir() {
    std::lock_guard lock(g_cacheMutex);
    return g_cacheDir;
}

// Bump when the file layout changes.
constexpr char kCacheMagic[8] = {'F', 'A', 'T', 'L', 'A', 'S', '0', '1'};

// Everything a cached atlas's bytes depend on that the key does not already name: the ImGui
// build (ImFontGlyph's layout, the builder) is part of the key too.
void describeRanges(std::ostringstream& out, const ImWchar* ranges) {
    for (; *ranges; ++ranges) out << std::hex << *ranges << ',';
    out << std::dec << ';';
}

void describeFile(std::ostringstream& out, const std::filesystem::path& file) {
    std::error_code ec;
    const auto size = std::filesystem::file_size(file, ec);
    const auto time = std::filesystem::last_write_time(file, ec);
    out << file.string() << ':' << size << ':' << time.time_since_epoch().count() << ';';
}

template <typename T>
void put(std::ostream& out, const T& value) {
    out.write(reinterpret_cast<const char*>(&value), sizeof value);
}

template <typename T>
bool get(std::istream& in, T& value) {
    return static_cast<bool>(in.read(reinterpret_cast<char*>(&value), sizeof value));
}

}  // namespace

std::filesystem::path findFontFile(std::string_view family, std::string_view style) {
    if (!FcInit()) throw std::runtime_error("fontconfig failed to start");
    std::string name = std::string(family) + ":style=" + std::string(style);
    FcPatternPtr pattern(FcNameParse(reinterpret_cast<const FcChar8*>(name.c_str())));
    if (!pattern) throw std::runtime_error("bad font name " + name);
    FcConfigSubstitute(nullptr, pattern.get(), FcMatchPattern);
    FcDefaultSubstitute(pattern.get());
    FcResult result = FcResultNoMatch;
    FcPatternPtr match(FcFontMatch(nullptr, pattern.get(), &result));
    FcChar8* foundFamily = nullptr;
    FcChar8* file = nullptr;
    if (!match || FcPatternGetString(match.get(), FC_FAMILY, 0, &foundFamily) != FcResultMatch ||
        FcPatternGetString(match.get(), FC_FILE, 0, &file) != FcResultMatch ||
        std::string_view(reinterpret_cast<const char*>(foundFamily)) != family) {
        throw std::runtime_error("font \"" + std::string(family) + "\" not found" + kPackageHint);
    }
    std::filesystem::path path(reinterpret_cast<const char*>(file));
    if (!std::filesystem::exists(path)) {
        throw std::runtime_error("font file " + path.string() + " is missing" + kPackageHint);
    }
    return path;
}

void KioskFonts::findFiles() {
    if (!m_files.latin.empty()) return;
    Files files;
    files.latin = findFontFile("Noto Sans", "Regular");
    files.latinBold = findFontFile("Noto Sans", "Bold");
    files.arabic = findFontFile("Noto Sans Arabic", "Regular");
    files.arabicBold = findFontFile("Noto Sans Arabic", "Bold");
    files.tifinagh = findFontFile("Noto Sans Tifinagh", "Regular");

    // Same em size as the Latin font, then a tenth larger: Arabic letters have a small body
    // for their em, and at equal em they read smaller next to Latin text.
    const Metrics latin = measureFont(files.latin, {U'H', U'E', U'N'});
    m_arabicScale = measureFont(files.arabic, {}).linePerEm / latin.linePerEm * 1.1f;
    // Tifinagh letters stand on the baseline as tall as Latin capitals at the same em, yet
    // read a size smaller: open geometric shapes, one thin weight (the font has no bold, so
    // Tifinagh headings stay light next to bold Latin ones). Match their measured height to
    // the capitals', then a fifth larger (Arabic gets a tenth, above, for the same reason).
    const Metrics tifinagh =
        measureFont(files.tifinagh, {U'\u2D4D', U'\u2D4F', U'\u2D5C', U'\u2D63', U'\u2D59'});
    m_tifinaghScale = latin.inkPerLine / tifinagh.inkPerLine * 1.2f;
    m_files = std::move(files);
}

void KioskFonts::build(ImFontAtlas& atlas, float pixelScale, int textSize) {
    if (pixelScale <= 0.0f) pixelScale = 1.0f;
    textSize = std::clamp(textSize, 0, kTextSizeLevels - 1);
    findFiles();
    m_pixelScale = pixelScale;
    m_baked = textSize;
    m_levels = {};
    const int small = textSize != 0 ? 2 : -1;  // the fonts' order, as added below
    const int code = textSize != 0 ? 3 : 2;
    auto assignRoles = [&] {
        m_levels[textSize].body = atlas.Fonts[0];
        m_levels[textSize].heading = atlas.Fonts[1];
        if (small >= 0) {
            // The small print; until size 0 is baked, its headings are the baked size's.
            m_levels[0].body = atlas.Fonts[small];
            m_levels[0].heading = atlas.Fonts[1];
        }
        m_code = atlas.Fonts[code];
    };
    const std::string key = cacheDir().empty() ? std::string() : cacheKey(pixelScale, textSize);
    if (!key.empty() && loadCached(atlas, key)) {
        if (atlas.Fonts.Size == code + 1) return assignRoles();
        atlas.Clear();  // a cache of another shape (cannot happen with the same key)
    }

    atlas.Clear();
    // FreeType with light hinting: crisp stems at our sizes without distorting letter shapes.
    atlas.FontBuilderIO = ImGuiFreeType::GetBuilderForFreeType();
    atlas.FontBuilderFlags = ImGuiFreeTypeBuilderFlags_LightHinting;
    atlas.Flags |= ImFontAtlasFlags_NoPowerOfTwoHeight;

    auto addMerged = [&](float size, bool bold) {
        ImFontConfig cfg;
        cfg.OversampleH = 1;  // large sizes: no horizontal oversampling (memory, sharpness)
        cfg.OversampleV = 1;
        cfg.PixelSnapH = true;
        const auto& latin = bold ? m_files.latinBold : m_files.latin;
        ImFont* font =
            atlas.AddFontFromFileTTF(latin.c_str(), size * pixelScale, &cfg, kLatinRanges);
        if (!font) throw std::runtime_error("cannot load " + latin.string() + kPackageHint);
        cfg.MergeMode = true;
        const auto& arabic = bold ? m_files.arabicBold : m_files.arabic;
        if (!atlas.AddFontFromFileTTF(arabic.c_str(), size * pixelScale * m_arabicScale, &cfg,
                                      kArabicRanges)) {
            throw std::runtime_error("cannot load " + arabic.string() + kPackageHint);
        }
        if (!atlas.AddFontFromFileTTF(m_files.tifinagh.c_str(), size * pixelScale * m_tifinaghScale,
                                      &cfg, kTifinaghRanges)) {
            throw std::runtime_error("cannot load " + m_files.tifinagh.string() + kPackageHint);
        }
        return font;
    };
    addMerged(kBodySizes[textSize], false);
    addMerged(kHeadingSizes[textSize], true);
    if (small >= 0) addMerged(kBodySizes[0], false);
    ImFontConfig codeCfg;
    codeCfg.OversampleH = 1;
    codeCfg.OversampleV = 1;
    codeCfg.PixelSnapH = true;
    if (!atlas.AddFontFromFileTTF(m_files.latinBold.c_str(), kCodeSize * pixelScale, &codeCfg,
                                  kCodeRanges))
        throw std::runtime_error("cannot load " + m_files.latinBold.string() + kPackageHint);
    if (!atlas.Build()) throw std::runtime_error("building the font atlas failed");
    assignRoles();
    if (!key.empty()) saveCached(atlas, key);
}

void KioskFonts::setCacheDir(std::filesystem::path dir) {
    std::lock_guard lock(g_cacheMutex);
    g_cacheDir = std::move(dir);
}

std::string KioskFonts::cacheKey(float pixelScale, int textSize) const {
    std::ostringstream out;
    out << "imgui " << IMGUI_VERSION_NUM << " glyph " << sizeof(ImFontGlyph) << ";";
    for (const auto* file : {&m_files.latin, &m_files.latinBold, &m_files.arabic,
                             &m_files.arabicBold, &m_files.tifinagh})
        describeFile(out, *file);
    out << "scale " << pixelScale << " arabic " << m_arabicScale << " tifinagh " << m_tifinaghScale
        << " size " << textSize << " body " << kBodySizes[textSize] << " heading "
        << kHeadingSizes[textSize] << " small " << kBodySizes[0] << " code " << kCodeSize << ";";
    for (const ImWchar* ranges : {kLatinRanges, kArabicRanges, kTifinaghRanges, kCodeRanges})
        describeRanges(out, ranges);
    return out.str();
}

// File: magic, key length + key, texture width + height + white pixel + line UVs, font count,
// per font (size, ascent, descent, fallback/ellipsis/dot chars, surface, glyph count, glyphs),
// then the alpha pixels. Fonts come back in the order they were added, so the roles do too.
void KioskFonts::saveCached(const ImFontAtlas& atlas, const std::string& key) const {
    const std::filesystem::path dir = cacheDir();
    if (dir.empty() || !atlas.TexPixelsAlpha8) return;
    const auto file = dir / fmt::format("atlas-{:016x}.bin", std::hash<std::string>{}(key));
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    // Written aside, then renamed: a reader never sees half a file, nor does a power cut.
    // Named per process and atlas: two kiosks on one cache, or two bakes, never share it.
    const auto temp = file.string() + fmt::format(".{}.{}.tmp", static_cast<long>(getpid()),
                                                  static_cast<const void*>(&atlas));
    {
        std::ofstream out(temp, std::ios::binary | std::ios::trunc);
        out.write(kCacheMagic, sizeof kCacheMagic);
        put(out, static_cast<std::uint32_t>(key.size()));
        out.write(key.data(), static_cast<std::streamsize>(key.size()));
        put(out, atlas.TexWidth);
        put(out, atlas.TexHeight);
        put(out, atlas.TexUvWhitePixel);
        put(out, atlas.TexUvLines);
        put(out, static_cast<std::int32_t>(atlas.Fonts.Size));
        for (const ImFont* font : atlas.Fonts) {
            put(out, font->FontSize);
            put(out, font->Ascent);
            put(out, font->Descent);
            put(out, font->FallbackChar);
            put(out, font->EllipsisChar);
            put(out, font->DotChar);
            put(out, font->MetricsTotalSurface);
            put(out, static_cast<std::int32_t>(font->Glyphs.Size));
            out.write(reinterpret_cast<const char*>(font->Glyphs.Data),
                      static_cast<std::streamsize>(font->Glyphs.size_in_bytes()));
        }
        out.write(reinterpret_cast<const char*>(atlas.TexPixelsAlpha8),
                  static_cast<std::streamsize>(atlas.TexWidth) * atlas.TexHeight);
        if (!out.flush()) {
            spdlog::warn("fonts: cannot write the atlas cache {}", temp);
            std::filesystem::remove(temp, ec);
            return;
        }
    }
    std::filesystem::rename(temp, file, ec);
    if (ec) {
        spdlog::warn("fonts: cannot write the atlas cache {}: {}", file.string(), ec.message());
        std::filesystem::remove(temp, ec);
    }
}

bool KioskFonts::loadCached(ImFontAtlas& atlas, const std::string& key) {
    const std::filesystem::path dir = cacheDir();
    if (dir.empty()) return false;
    const auto file = dir / fmt::format("atlas-{:016x}.bin", std::hash<std::string>{}(key));
    std::ifstream in(file, std::ios::binary);
    if (!in) return false;  // not baked yet: the usual first start
    auto fail = [&](const char* why) {
        spdlog::warn("fonts: ignoring the atlas cache {}: {}", file.string(), why);
        atlas.Clear();
        return false;
    };
    char magic[sizeof kCacheMagic] = {};
    std::uint32_t keySize = 0;
    if (!in.read(magic, sizeof magic) || std::memcmp(magic, kCacheMagic, sizeof magic) != 0 ||
        !get(in, keySize) || keySize != key.size())
        return fail("another format or another key");
    std::string storedKey(keySize, '\0');
    if (!in.read(storedKey.data(), keySize) || storedKey != key) return fail("another key");

    atlas.Clear();
    std::int32_t fonts = 0;
    if (!get(in, atlas.TexWidth) || !get(in, atlas.TexHeight) || !get(in, atlas.TexUvWhitePixel) ||
        !get(in, atlas.TexUvLines) || !get(in, fonts) || atlas.TexWidth <= 0 ||
        atlas.TexHeight <= 0 || atlas.TexWidth > 16384 || atlas.TexHeight > 16384 || fonts <= 0 ||
        fonts > 16)
        return fail("truncated or damaged");
    for (std::int32_t i = 0; i < fonts; ++i) {
        ImFont* font = IM_NEW(ImFont)();
        atlas.Fonts.push_back(font);
        font->ContainerAtlas = &atlas;
        std::int32_t glyphs = 0;
        if (!get(in, font->FontSize) || !get(in, font->Ascent) || !get(in, font->Descent) ||
            !get(in, font->FallbackChar) || !get(in, font->EllipsisChar) ||
            !get(in, font->DotChar) || !get(in, font->MetricsTotalSurface) || !get(in, glyphs) ||
            glyphs <= 0 || glyphs >= 0xFFFF)
            return fail("truncated or damaged");
        font->Glyphs.resize(glyphs);
        if (!in.read(reinterpret_cast<char*>(font->Glyphs.Data),
                     static_cast<std::streamsize>(font->Glyphs.size_in_bytes())))
            return fail("truncated");
        // The index by code point, the fallback glyph and the tab are derived from the glyphs,
        // exactly as a bake derives them (the tab glyph is already the last one).
        font->BuildLookupTable();
    }
    const size_t pixels =
        static_cast<size_t>(atlas.TexWidth) * static_cast<size_t>(atlas.TexHeight);
    atlas.TexPixelsAlpha8 = static_cast<unsigned char*>(IM_ALLOC(pixels));
    if (!in.read(reinterpret_cast<char*>(atlas.TexPixelsAlpha8),
                 static_cast<std::streamsize>(pixels)) ||
        in.peek() != std::char_traits<char>::eof())
        return fail("truncated or damaged");
    atlas.TexUvScale = ImVec2(1.0f / static_cast<float>(atlas.TexWidth),
                              1.0f / static_cast<float>(atlas.TexHeight));
    atlas.TexPixelsUseColors = false;
    atlas.TexReady = true;
    return true;
}

const FontSet& KioskFonts::level(int textSize) const {
    if (textSize < 0) textSize = 0;
    if (textSize >= kTextSizeLevels) textSize = kTextSizeLevels - 1;
    const FontSet& set = m_levels[static_cast<size_t>(textSize)];
    return set.heading ? set : m_levels[static_cast<size_t>(m_baked)];
}

bool KioskFonts::hasGlyphs(const ImFont* font, std::string_view text, char32_t* missing) {
    for (size_t i = 0; i < text.size();) {
        char32_t cp = utf8::next(text, i).value_or(utf8::kReplacement);
        // Controls and invisible formatting marks are never drawn as glyphs.
        bool invisible = cp < 0x20 || cp == 0x200B || cp == 0x200C || cp == 0x200D ||
                         cp == 0x200E || cp == 0x200F || cp == 0xFEFF ||
                         (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069);
        if (invisible) continue;
        if (cp > 0xFFFF || !font->FindGlyphNoFallback(static_cast<ImWchar>(cp))) {
            if (missing) *missing = cp;
            return false;
        }
    }
    return true;
}

}  // namespace fadaa::kiosk
