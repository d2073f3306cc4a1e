// core/sync/json_scan.hpp - strict JSON validation that yields an object's top-level members
// as raw text, without building a tree.
//
// Why: a push request is assembled from payloads stored as JSON text; parsing each into a
// nlohmann tree and writing it out again was most of the kiosk's push work. Validation is as
// strict as the parser the server uses (RFC 8259 grammar, well-formed UTF-8), so what passes
// here is what the server can read.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace fadaa::jsonscan {

// One member of an object: its key as written between the quotes (escapes not decoded) and
// its value's exact text (a string value keeps its quotes).
struct Member {
    std::string_view key;
    std::string_view value;
};

// The position of the first byte at or after `p` that is not JSON whitespace (space, tab,
// newline, carriage return); text.size() if there is none.
inline size_t skipSpace(std::string_view text, size_t p) {
    while (p < text.size() &&
           (text[p] == ' ' || text[p] == '\t' || text[p] == '\n' || text[p] == '\r'))
        ++p;
    return p;
}

// The members of `text`, in order, when it is exactly one valid JSON object (whitespace around
// it allowed, nesting at most 64 deep); nullopt otherwise. Views point into `text`.
std::optional<std::vector<Member>> objectMembers(std::string_view text);

// The elements of `text`, in order, as their exact text, when it is exactly one valid JSON
// array (same rules as objectMembers); nullopt otherwise. Views point into `text`.
std::optional<std::vector<std::string_view>> arrayElements(std::string_view text);

// For text already accepted as a whole by objectMembers or arrayElements (alone or as a value
// inside a larger document that was): the same members or elements, found without checking the
// text again (strings are skipped to their closing quote, other values to their end), several
// times cheaper. Safe on any input (never reads outside `text`), but only checked text gives
// meaningful results; nullopt when `text` is not an object (an array) at all.
std::optional<std::vector<Member>> checkedObjectMembers(std::string_view text);
std::optional<std::vector<std::string_view>> checkedArrayElements(std::string_view text);

// The text a JSON string value stands for (escapes decoded, \u surrogate pairs joined into
// UTF-8), given its exact text with the quotes, as objectMembers yields it; nullopt when `raw`
// is not one string (or has a lone surrogate, which nlohmann also refuses).
std::optional<std::string> stringValue(std::string_view raw);

// The value of an integer literal (no fraction or exponent) that fits in 64 bits, given its
// exact text; nullopt for anything else.
std::optional<std::int64_t> integerValue(std::string_view raw);

}  // namespace fadaa::jsonscan
