// core/catalogue/search_text.cpp - see search_text.hpp. Normalisation works code point by code
// point over a lenient UTF-8 decoder (bad bytes are skipped, never fatal: search must not fail
// because one catalogue entry or one typed query is malformed).
#include "catalogue/search_text.hpp"

#include <cstdint>
#include <utility>

namespace fadaa {
namespace {

// Decodes the code point at text[i], advancing i past it. Returns -1 (and advances one byte)
// for a byte that does not start a well-formed sequence: stray continuation bytes, overlong
// forms, surrogates, values above U+10FFFF and truncated sequences.
std::int32_t decodeNext(std::string_view text, size_t& i) {
    auto byte = [&](size_t k) { return static_cast<unsigned char>(text[k]); };
    unsigned char b0 = byte(i);
    if (b0 < 0x80) {
        ++i;
        return b0;
    }
    int length = 0;
    std::int32_t cp = 0;
    std::int32_t minimum = 0;
    if ((b0 & 0xE0) == 0xC0) {
        length = 2, cp = b0 & 0x1F, minimum = 0x80;
    } else if ((b0 & 0xF0) == 0xE0) {
        length = 3, cp = b0 & 0x0F, minimum = 0x800;
    } else if ((b0 & 0xF8) == 0xF0) {
        length = 4, cp = b0 & 0x07, minimum = 0x10000;
    } else {
        ++i;
        return -1;
    }
    if (i + static_cast<size_t>(length) > text.size()) {
        ++i;
        return -1;
    }
    for (int k = 1; k < length; ++k) {
        unsigned char b = byte(i + static_cast<size_t>(k));
        if ((b & 0xC0) != 0x80) {
            ++i;
            return -1;
        }
        cp = (cp << 6) | (b & 0x3F);
    }
    if (cp < minimum || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
        ++i;
        return -1;
    }
    i += static_cast<size_t>(length);
    return cp;
}

void appendCodePoint(std::string& out, std::int32_t cp) {
    auto put = [&](int value) { out.push_back(static_cast<char>(value)); };
    if (cp < 0x80) {
        put(cp);
    } else if (cp < 0x800) {
        put(0xC0 | (cp >> 6));
        put(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        put(0xE0 | (cp >> 12));
        put(0x80 | ((cp >> 6) & 0x3F));
        put(0x80 | (cp & 0x3F));
    } else {
        put(0xF0 | (cp >> 18));
        put(0x80 | ((cp >> 12) & 0x3F));
        put(0x80 | ((cp >> 6) & 0x3F));
        put(0x80 | (cp & 0x3F));
    }
}

// Base letters of U+00C0-U+00FF and U+0100-U+017F, lower case. '*' marks a letter folded to two
// (see foldLatin); '.' a character that is not a letter (x and / signs), kept as it is.
constexpr std::string_view kLatin1 =
    "aaaaaa*ceeeeiiiidnooooo.ouuuuy**"   // U+00C0-U+00DF
    "aaaaaa*ceeeeiiiidnooooo.ouuuuy*y";  // U+00E0-U+00FF
constexpr std::string_view kLatinExtA =
    "aaaaaaccccccccdd"   // U+0100
    "ddeeeeeeeeeegggg"   // U+0110
    "gggghhhhiiiiiiii"   // U+0120
    "ii**jjkkklllllll"   // U+0130
    "lllnnnnnnnnnoooo"   // U+0140
    "oo**rrrrrrssssss"   // U+0150
    "ssttttttuuuuuuuu"   // U+0160
    "uuuuwwyyyzzzzzzs";  // U+0170

constexpr std::pair<std::int32_t, std::string_view> kFoldedToTwo[] = {
    {0xC6, "ae"},  {0xE6, "ae"},  {0xDE, "th"},  {0xFE, "th"}, {0xDF, "ss"},
    {0x132, "ij"}, {0x133, "ij"}, {0x152, "oe"}, {0x153, "oe"}};  // Æ æ Þ þ ß Ĳ ĳ Œ œ

// Appends the folded form of a Latin letter from U+00C0-U+017F. Returns false if cp is not one.
bool foldLatin(std::string& out, std::int32_t cp) {
    char base = 0;
    if (cp >= 0xC0 && cp <= 0xFF)
        base = kLatin1[static_cast<size_t>(cp - 0xC0)];
    else if (cp >= 0x100 && cp <= 0x17F)
        base = kLatinExtA[static_cast<size_t>(cp - 0x100)];
    else
        return false;
    if (base == '.') return false;
    if (base != '*') {
        out.push_back(base);
        return true;
    }
    for (const auto& [letter, folded] : kFoldedToTwo) {
        if (letter == cp) {
            out += folded;
            return true;
        }
    }
    return false;
}

// Arabic letters unified with the form residents usually type, and the Persian-keyboard forms
// of two Arabic letters. -1: dropped (tatweel, superscript alef).
constexpr std::pair<std::int32_t, std::int32_t> kArabicVariants[] = {
    {0x0623, 0x0627}, {0x0625, 0x0627}, {0x0622, 0x0627}, {0x0671, 0x0627},  // أ إ آ ٱ -> ا
    {0x0629, 0x0647},                                                        // ة -> ه
    {0x0649, 0x064A},                                                        // ى -> ي
    {0x0624, 0x0648},                                                        // ؤ -> و
    {0x0626, 0x064A},                                                        // ئ -> ي
    {0x06CC, 0x064A}, {0x06A9, 0x0643},                                      // ی -> ي, ک -> ك
    {0x0640, -1},     {0x0670, -1}};

// Arabic: the variant a letter is unified to, 0 when cp is kept as it is, -1 when it is dropped.
std::int32_t foldArabic(std::int32_t cp) {
    for (const auto& [letter, folded] : kArabicVariants)
        if (letter == cp) return folded;
    if (cp >= 0x064B && cp <= 0x065F) return -1;                   // harakat, shadda, sukun, ...
    if (cp >= 0x0610 && cp <= 0x061A) return -1;                   // honorific and Quranic signs
    if (cp >= 0x06D6 && cp <= 0x06ED) return -1;                   // Quranic annotation marks
    if (cp >= 0x0660 && cp <= 0x0669) return '0' + (cp - 0x0660);  // Arabic-Indic digits
    if (cp >= 0x06F0 && cp <= 0x06F9) return '0' + (cp - 0x06F0);  // Eastern Arabic-Indic
    return 0;
}

// Invisible characters that copy-paste and keyboards insert inside words; dropped so that they
// neither split a word nor make two spellings differ.
bool isInvisible(std::int32_t cp) {
    return (cp >= 0x200B && cp <= 0x200F) || cp == 0x061C || cp == 0xFEFF || cp == 0x00AD ||
           (cp >= 0x2060 && cp <= 0x2064);
}

}  // namespace

std::string normalizeForSearch(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    size_t i = 0;
    while (i < text.size()) {
        std::int32_t cp = decodeNext(text, i);
        if (cp < 0) continue;  // invalid byte: dropped
        if (cp < 0x80) {
            out.push_back(static_cast<char>(cp >= 'A' && cp <= 'Z' ? cp - 'A' + 'a' : cp));
            continue;
        }
        if (cp >= 0x0300 && cp <= 0x036F) continue;  // combining accents (decomposed é = e + ´)
        if (isInvisible(cp)) continue;
        if (foldLatin(out, cp)) continue;
        if (cp >= 0x0600 && cp <= 0x06FF) {
            std::int32_t folded = foldArabic(cp);
            if (folded < 0) continue;
            appendCodePoint(out, folded == 0 ? cp : folded);
            continue;
        }
        appendCodePoint(out, cp);  // Tifinagh and everything else: as written
    }
    return out;
}

}  // namespace fadaa
