// core/util/utf8.hpp - strict UTF-8 decoding and encoding (RFC 3629).
//
// Strict means: no overlong forms, no surrogates (U+D800-U+DFFF), nothing above U+10FFFF, no
// truncated sequences. Text that reaches the store or the screen has passed through here, so
// later code may assume well-formed UTF-8.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace fadaa {

// The code points of text, or nullopt when text is not well-formed UTF-8.
std::optional<std::u32string> decodeUtf8(std::string_view text);

// Appends code point cp (assumed to be a valid scalar value) to out as UTF-8.
void appendUtf8(std::string& out, char32_t cp);

// The UTF-8 form of a sequence of scalar values.
std::string encodeUtf8(std::u32string_view text);

// True when text is well-formed UTF-8.
bool isWellFormedUtf8(std::string_view text);

}  // namespace fadaa
