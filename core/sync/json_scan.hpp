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

// The elements of `text`, in order, each as its exact text, when it is exactly one valid JSON
// array (the same rules as objectMembers); nullopt otherwise. Views point into `text`.
std::optional<std::vector<std::string_view>> arrayElements(std::string_view text);

}  // namespace fadaa::jsonscan
