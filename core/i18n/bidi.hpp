// core/i18n/bidi.hpp - Arabic shaping and bidi reordering for renderers that do neither.
//
// Dear ImGui draws code points left to right, one glyph each. Arabic must be shaped (letters
// joined into presentation forms) and each line reordered for display. These are pure
// functions over UTF-8, with a cache for immediate-mode UIs that ask for the same text every
// frame. Wrapping happens in logical order (wrapForDisplay), then each line is reordered.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace fadaa {

enum class TextDirection { LeftToRight, RightToLeft };

// The paragraph direction of text by its first strong character (Arabic/Hebrew: RTL).
TextDirection paragraphDirection(std::string_view utf8);
bool containsRtl(std::string_view utf8);

// Shapes and reorders one line of logical UTF-8 text into visual order (left to right as it
// must be drawn), Arabic letters in presentation forms, stray U+FEFF removed.
// `base` is the paragraph direction used for neutral runs.
std::string toVisual(std::string_view logicalLine, TextDirection base);

// Splits logical text into lines no wider than maxWidth, as measured by `measure` on the
// *visual* form of a candidate line, breaking at spaces (or anywhere if a word is too long);
// returns the visual form of each line, ready to draw.
std::vector<std::string> wrapForDisplay(std::string_view logical, TextDirection base, float maxWidth,
                                        const std::function<float(std::string_view)>& measure);

// A small LRU cache of toVisual() results, keyed by text and direction.
class VisualTextCache {
public:
    explicit VisualTextCache(size_t capacity = 4096) : m_capacity(capacity) {}
    const std::string& get(std::string_view logical, TextDirection base);
    size_t size() const;

private:
    size_t m_capacity;
    struct Impl;
    std::shared_ptr<Impl> m_impl;
};

}  // namespace fadaa
