// core/sync/json_scan.hpp - strict JSON validation that yields an object's top-level members
// as raw text, without building a tree.
//
// Why: a push request is assembled from payloads stored as JSON text; parsing each into a
// nlohmann tree and writing it out again was most of the kiosk's push work. Validation is as
// strict as the parser the server uses (RFC 8259 grammar, well-formed UTF-8), so what passes
// here is what the server can read.
#pragma once

#include <optional>
#include <string_view>
#include <vector>

namespace fadaa::jsonscan {

// One member of an object: its key as written between the quotes (escapes not decoded) and
// its value's exact text (a string value keeps its quotes).
struct Member {
    std::string_view key;
    std::string_view value;
};

// The members of `text`, in order, when it is exactly one valid JSON object (whitespace around
// it allowed, nesting at most 64 deep); nullopt otherwise. Views point into `text`.
std::optional<std::vector<Member>> objectMembers(std::string_view text);

// The members of an object, or the elements of an array (each as its exact text), in text that
// objectMembers() has already accepted as a whole (a member's value, or a value within one):
// nothing is checked again, so a document is validated once however deep it is read. For text
// that was not accepted the result is unspecified (whatever is found; never out of bounds).
std::vector<Member> membersOfValid(std::string_view text);
std::vector<std::string_view> elementsOfValid(std::string_view text);

}  // namespace fadaa::jsonscan
