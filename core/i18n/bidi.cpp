// core/i18n/bidi.cpp - Arabic shaping and bidi reordering with FriBidi (see bidi.hpp).
//
// The pipeline of toVisual() is the one fribidi_log2vis runs, spelled out so we control the
// flags and can clean up after it: bidi types and brackets -> paragraph embedding levels at a
// forced base direction -> Arabic joining -> shaping into presentation forms (and mirroring of
// brackets inside RTL runs) -> reordering of the line -> removal of characters a font atlas has
// no glyph for (the U+FEFF FriBidi leaves where a lam-alef ligature swallowed the alef, and
// bidi/joining controls, which have done their work by then).
#include "i18n/bidi.hpp"

#include <fribidi.h>

#include <algorithm>
#include <list>
#include <unordered_map>

#include "i18n/utf8.hpp"

namespace fadaa {

namespace {

// Characters that only steer bidi or joining: invisible, and absent from our fonts.
bool isInvisibleControl(char32_t cp) {
    return cp == 0xFEFF || cp == 0x061C || (cp >= 0x200B && cp <= 0x200F) ||
           (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069);
}

bool isRtlType(FriBidiCharType type) {
    return type == FRIBIDI_TYPE_RTL || type == FRIBIDI_TYPE_AL;
}

// Text that no bidi or shaping step can change when laid out left to right: nothing from the
// Hebrew block (U+0590) up is present, which excludes every RTL letter, Arabic presentation
// form and bidi control.
bool isPlainLtr(std::string_view text) {
    std::size_t pos = 0;
    while (pos < text.size()) {
        const auto cp = utf8::next(text, pos);
        if (!cp || *cp >= 0x0590) return false;
    }
    return true;
}

}  // namespace

TextDirection paragraphDirection(std::string_view utf8Text) {
    // Rule P2 of UAX #9: the first strong letter decides, skipping isolated runs.
    int isolateDepth = 0;
    std::size_t pos = 0;
    while (pos < utf8Text.size()) {
        const auto cp = utf8::next(utf8Text, pos);
        if (!cp) continue;
        if (*cp >= 0x2066 && *cp <= 0x2068) {
            ++isolateDepth;
            continue;
        }
        if (*cp == 0x2069) {
            if (isolateDepth > 0) --isolateDepth;
            continue;
        }
        if (isolateDepth > 0) continue;
        const FriBidiCharType type = fribidi_get_bidi_type(*cp);
        if (type == FRIBIDI_TYPE_LTR) return TextDirection::LeftToRight;
        if (isRtlType(type)) return TextDirection::RightToLeft;
    }
    return TextDirection::LeftToRight;
}

bool containsRtl(std::string_view utf8Text) {
    std::size_t pos = 0;
    while (pos < utf8Text.size()) {
        const auto cp = utf8::next(utf8Text, pos);
        if (cp && *cp >= 0x0590 && isRtlType(fribidi_get_bidi_type(*cp))) return true;
    }
    return false;
}

std::string toVisual(std::string_view logicalLine, TextDirection base) {
    if (base == TextDirection::LeftToRight && isPlainLtr(logicalLine))
        return std::string(logicalLine);

    // FriBidi works on its own UTF-32 type; copy rather than alias the char32_t buffer.
    const std::u32string decoded = utf8::decode(logicalLine);
    std::vector<FriBidiChar> str(decoded.begin(), decoded.end());
    const auto len = static_cast<FriBidiStrIndex>(str.size());
    if (len == 0) return {};
    FriBidiChar* chars = str.data();

    std::vector<FriBidiCharType> types(str.size());
    std::vector<FriBidiBracketType> brackets(str.size());
    std::vector<FriBidiLevel> levels(str.size());
    std::vector<FriBidiArabicProp> joining(str.size());

    fribidi_get_bidi_types(chars, len, types.data());
    fribidi_get_bracket_types(chars, len, types.data(), brackets.data());
    FriBidiParType parType = base == TextDirection::RightToLeft ? FRIBIDI_PAR_RTL : FRIBIDI_PAR_LTR;
    if (fribidi_get_par_embedding_levels_ex(types.data(), brackets.data(), len, &parType,
                                            levels.data()) == 0)
        return std::string(logicalLine);  // only on allocation failure: show it unshaped

    const FriBidiFlags flags = FRIBIDI_FLAGS_DEFAULT | FRIBIDI_FLAGS_ARABIC;
    fribidi_get_joining_types(chars, len, joining.data());
    fribidi_join_arabic(types.data(), len, levels.data(), joining.data());
    fribidi_shape(flags, levels.data(), len, joining.data(), chars);
    if (fribidi_reorder_line(flags, types.data(), len, 0, parType, levels.data(), chars, nullptr) ==
        0)
        return std::string(logicalLine);

    std::string out;
    out.reserve(logicalLine.size() + 8);
    for (FriBidiChar cp : str)
        if (!isInvisibleControl(cp)) utf8::append(out, cp);
    return out;
}

namespace {

bool isBreakSpace(char c) {
    return c == ' ' || c == '\t';
}

// Byte offsets of the code point boundaries of text (including text.size()).
std::vector<std::size_t> codePointBoundaries(std::string_view text) {
    std::vector<std::size_t> bounds{0};
    std::size_t pos = 0;
    while (pos < text.size()) {
        utf8::next(text, pos);
        bounds.push_back(pos);
    }
    return bounds;
}

// Wraps one paragraph (no newline inside) into `lines`.
void wrapParagraph(std::string_view para, TextDirection base, float maxWidth,
                   const std::function<float(std::string_view)>& measure,
                   std::vector<std::string>& lines) {
    const auto fits = [&](std::string_view logical) {
        return measure(toVisual(logical, base)) <= maxWidth;
    };
    // Splits a word wider than the line at code point boundaries; every piece but the last
    // becomes a line of its own. Returns the byte offset where the last piece starts.
    const auto splitLongWord = [&](std::size_t start, std::size_t end) {
        const auto bounds = codePointBoundaries(para.substr(start, end - start));
        std::size_t first = 0;  // index into bounds
        while (first + 1 < bounds.size()) {
            // The longest prefix that fits, by binary search; at least one code point so the
            // loop always advances even if a single glyph is wider than the line.
            std::size_t lo = first + 1, hi = bounds.size() - 1;
            while (lo < hi) {
                const std::size_t mid = (lo + hi + 1) / 2;
                if (fits(para.substr(start + bounds[first], bounds[mid] - bounds[first])))
                    lo = mid;
                else
                    hi = mid - 1;
            }
            if (lo == bounds.size() - 1) break;  // the rest fits: it stays open for more words
            lines.push_back(
                toVisual(para.substr(start + bounds[first], bounds[lo] - bounds[first]), base));
            first = lo;
        }
        return start + bounds[first];
    };

    std::size_t lineStart = std::string_view::npos, lineEnd = 0;
    std::size_t pos = 0;
    while (pos < para.size()) {
        while (pos < para.size() && isBreakSpace(para[pos])) ++pos;
        if (pos == para.size()) break;
        const std::size_t wordStart = pos;
        while (pos < para.size() && !isBreakSpace(para[pos])) ++pos;
        const std::size_t wordEnd = pos;

        if (lineStart != std::string_view::npos &&
            fits(para.substr(lineStart, wordEnd - lineStart))) {
            lineEnd = wordEnd;
            continue;
        }
        if (lineStart != std::string_view::npos)
            lines.push_back(toVisual(para.substr(lineStart, lineEnd - lineStart), base));
        lineStart = fits(para.substr(wordStart, wordEnd - wordStart))
                        ? wordStart
                        : splitLongWord(wordStart, wordEnd);
        lineEnd = wordEnd;
    }
    if (lineStart == std::string_view::npos)
        lines.emplace_back();  // an empty paragraph is an empty line
    else
        lines.push_back(toVisual(para.substr(lineStart, lineEnd - lineStart), base));
}

}  // namespace

std::vector<std::string> wrapForDisplay(std::string_view logical, TextDirection base,
                                        float maxWidth,
                                        const std::function<float(std::string_view)>& measure) {
    std::vector<std::string> lines;
    std::size_t start = 0;
    while (true) {
        std::size_t end = logical.find('\n', start);
        const bool last = end == std::string_view::npos;
        if (last) end = logical.size();
        std::string_view para = logical.substr(start, end - start);
        if (!para.empty() && para.back() == '\r') para.remove_suffix(1);
        wrapParagraph(para, base, maxWidth, measure, lines);
        if (last) break;
        start = end + 1;
    }
    return lines;
}

// ---------------------------------------------------------------------------------------------
// VisualTextCache: a list in recency order (front = most recent) and a hash index over it whose
// keys view the strings stored in the list nodes, so a lookup allocates nothing.

namespace {

struct CacheKey {
    std::string_view text;
    TextDirection dir;
    bool operator==(const CacheKey&) const = default;
};

struct CacheKeyHash {
    std::size_t operator()(const CacheKey& k) const {
        return std::hash<std::string_view>{}(k.text) ^
               (k.dir == TextDirection::RightToLeft ? 0x9e3779b97f4a7c15ULL : 0);
    }
};

struct CacheEntry {
    std::string logical;
    TextDirection dir;
    std::string visual;
};

}  // namespace

struct VisualTextCache::Impl {
    std::list<CacheEntry> entries;
    std::unordered_map<CacheKey, std::list<CacheEntry>::iterator, CacheKeyHash> index;
    std::size_t hits = 0;
    std::size_t misses = 0;
};

VisualTextCache::VisualTextCache(size_t capacity)
    : m_capacity(capacity), m_impl(std::make_shared<Impl>()) {}

const std::string& VisualTextCache::get(std::string_view logical, TextDirection base) {
    Impl& impl = *m_impl;
    if (auto it = impl.index.find(CacheKey{logical, base}); it != impl.index.end()) {
        ++impl.hits;
        impl.entries.splice(impl.entries.begin(), impl.entries, it->second);
        return it->second->visual;
    }
    ++impl.misses;
    impl.entries.push_front(CacheEntry{std::string(logical), base, toVisual(logical, base)});
    impl.index.emplace(CacheKey{impl.entries.front().logical, base}, impl.entries.begin());
    // Capacity 0 still keeps the newest entry: the returned reference must stay valid.
    while (impl.entries.size() > std::max<std::size_t>(m_capacity, 1)) {
        const CacheEntry& oldest = impl.entries.back();
        impl.index.erase(CacheKey{oldest.logical, oldest.dir});
        impl.entries.pop_back();
    }
    return impl.entries.front().visual;
}

size_t VisualTextCache::size() const {
    return m_impl ? m_impl->entries.size() : 0;
}
size_t VisualTextCache::hits() const {
    return m_impl ? m_impl->hits : 0;
}
size_t VisualTextCache::misses() const {
    return m_impl ? m_impl->misses : 0;
}

void VisualTextCache::clear() {
    if (m_impl) *m_impl = Impl{};
}

}  // namespace fadaa
