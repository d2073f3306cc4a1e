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
// must be drawn), Arabic letters in presentation forms, brackets in RTL runs mirrored, the
// U+FEFF FriBidi leaves after a lam-alef ligature and bidi/joining controls (LRM, RLM, ZWJ,
// embeddings, isolates) removed. Latin words and numbers inside Arabic stay readable left to
// right. `base` is the paragraph direction: it orders the runs and places neutral characters
// (spaces, punctuation) between runs of different directions. For text of unknown language,
// pass paragraphDirection(text). Invalid UTF-8 bytes become U+FFFD. Pure and thread-safe.
std::string toVisual(std::string_view logicalLine, TextDirection base);

// Splits logical text into lines no wider than maxWidth, as measured by `measure` on the
// *visual* form of a candidate line, breaking at spaces (or between code points if a word is
// too long; a single glyph wider than the line gets a line of its own); returns the visual
// form of each line, ready to draw. '\n' starts a new line (an empty paragraph gives an empty
// line); spaces at a break are dropped, spaces between words on a line are kept.
// Cost: one toVisual() + measure() per word, so cache the result while text and width stay.
std::vector<std::string> wrapForDisplay(std::string_view logical, TextDirection base,
                                        float maxWidth,
                                        const std::function<float(std::string_view)>& measure);

// A small LRU cache of toVisual() results, keyed by text and direction, for immediate-mode
// UIs that ask for the same strings every frame. Not thread-safe: one per UI thread. Copies
// share one cache.
class VisualTextCache {
public:
    explicit VisualTextCache(size_t capacity = 4096);
    // toVisual(logical, base), computed once per text while it stays among the `capacity` most
    // recently asked. A lookup allocates nothing. The reference stays valid until capacity - 1
    // other texts have been asked for (or clear()); copy it to keep it longer.
    const std::string& get(std::string_view logical, TextDirection base);
    size_t size() const;
    // Lookups answered from the cache / computed, since construction or clear().
    size_t hits() const;
    size_t misses() const;
    void clear();

private:
    size_t m_capacity;
    struct Impl;
    std::shared_ptr<Impl> m_impl;
};

}  // namespace fadaa
