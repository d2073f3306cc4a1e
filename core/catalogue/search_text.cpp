// core/catalogue/search_text.cpp - see search_text.hpp. Normalisation works code point by code
// point; bad bytes are skipped, never fatal: search must not fail because one catalogue entry
// or one typed query is malformed.
#include "catalogue/search_text.hpp"

#include <cstdint>
#include <optional>
#include <utility>

#include "i18n/utf8.hpp"

namespace fadaa {
namespace {

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

// True when text[i] begins a letter of the Arabic block (U+0600-U+06FF: two bytes, D8-DB).
bool isArabicAt(std::string_view text, size_t i) {
    auto lead = static_cast<unsigned char>(text[i]);
    return lead >= 0xD8 && lead <= 0xDB && i + 1 < text.size();
}

// The article and the particles that attach to it, longest first. Normalised forms: alef
// variants are already ا.
constexpr std::string_view kArticles[] = {"وال", "بال", "فال", "كال", "ال", "لل"};

}  // namespace

std::string arabicWordsWithoutArticle(std::string_view normalized) {
    std::string out;
    size_t i = 0;
    while (i < normalized.size()) {
        if (!isArabicAt(normalized, i)) {
            ++i;
            continue;
        }
        size_t start = i;
        while (i < normalized.size() && isArabicAt(normalized, i)) i += 2;
        std::string_view word = normalized.substr(start, i - start);
        for (std::string_view article : kArticles) {
            if (word.size() >= article.size() + 4 && word.substr(0, article.size()) == article) {
                out += word.substr(article.size());
                out += ' ';
                break;
            }
        }
    }
    return out;
}

void appendFoldedForSearch(std::string& out, char32_t code) {
    auto cp = static_cast<std::int32_t>(code);
    if (cp < 0x80) {
        out.push_back(static_cast<char>(cp >= 'A' && cp <= 'Z' ? cp - 'A' + 'a' : cp));
        return;
    }
    if (cp >= 0x0300 && cp <= 0x036F) return;  // combining accents (decomposed é = e + ´)
    if (isInvisible(cp)) return;
    if (foldLatin(out, cp)) return;
    if (cp >= 0x0600 && cp <= 0x06FF) {
        std::int32_t folded = foldArabic(cp);
        if (folded >= 0) utf8::append(out, static_cast<char32_t>(folded == 0 ? cp : folded));
        return;
    }
    utf8::append(out, code);  // Tifinagh and everything else: as written
}

std::string normalizeForSearch(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    size_t i = 0;
    while (i < text.size())
        if (std::optional<char32_t> cp = utf8::next(text, i)) appendFoldedForSearch(out, *cp);
    // (an invalid byte is dropped)
    return out;
}

}  // namespace fadaa
