// core/i18n/utf8.hpp - small UTF-8 <-> code point helpers shared by the i18n code.
//
// Strict decoding (RFC 3629): overlong forms, surrogates and values above U+10FFFF are
// invalid. Kept in core so any part of Fadaa that needs code points can use one decoder.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace fadaa::utf8 {

inline constexpr char32_t kReplacement = 0xFFFD;

// Decodes one code point starting at text[pos]; advances pos past it. On an invalid or
// truncated sequence returns nullopt and advances pos by one byte, so a caller can resync.
std::optional<char32_t> next(std::string_view text, std::size_t& pos);

// Every code point of text; each invalid byte becomes U+FFFD.
std::u32string decode(std::string_view text);

// Appends the UTF-8 form of cp (U+FFFD for a surrogate or a value above U+10FFFF).
void append(std::string& out, char32_t cp);
std::string encode(std::u32string_view cps);

// The byte offset of the first invalid sequence, or nullopt when text is well-formed UTF-8.
std::optional<std::size_t> firstInvalid(std::string_view text);

}  // namespace fadaa::utf8
