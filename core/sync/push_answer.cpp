// core/sync/push_answer.cpp - the push answer read with the strict scanner (json_scan).
#include "sync/push_answer.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "model/model.hpp"
#include "sync/json_fields.hpp"
#include "sync/json_scan.hpp"
#include "sync/sync_apply.hpp"

namespace fadaa {

namespace {

// What a raw JSON value is, in words for an error message (as describeJsonType says it).
std::string describeRaw(std::string_view raw) {
    switch (raw.empty() ? ' ' : raw.front()) {
        case '{':
            return "an object";
        case '[':
            return "a list";
        case '"':
            return "text";
        case 'n':
            return "null";
        case 't':
        case 'f':
            return "true/false";
        default:
            return raw.find_first_of(".eE") == std::string_view::npos ? "a number"
                                                                      : "a decimal number";
    }
}

// Where an object sits in the answer: results[index], or results[index].registration. Kept as
// parts and joined only for an error message (the answer holds a thousand of them).
struct Where {
    size_t index;
    bool registration;
    std::string path() const {
        return fmt::format("results[{}]{}", index, registration ? ".registration" : "");
    }
};

// One object's members, read like JsonFields: unknown keys refused, null the same as absent.
// Its text is part of an answer readPushAnswer has checked as a whole.
class RawFields {
public:
    RawFields(std::string_view text, Where where, std::initializer_list<std::string_view> allowed)
        : m_where(where) {
        auto members = text.front() == '{' ? jsonscan::checkedObjectMembers(text) : std::nullopt;
        if (!members)
            throw WireError("wrong_type", fmt::format("{} must be an object, not {}", where.path(),
                                                      describeRaw(text)));
        m_members = std::move(*members);
        for (const jsonscan::Member& m : m_members) {
            if (std::find(allowed.begin(), allowed.end(), m.key) == allowed.end())
                throw WireError("unknown_field", fmt::format("unknown field {}", pathOf(m.key)));
        }
    }

    std::string pathOf(std::string_view key) const {
        return fmt::format("{}.{}", m_where.path(), key);
    }

    // The raw value, or an empty view when the key is absent or null.
    std::string_view find(std::string_view key) const {
        for (const jsonscan::Member& m : m_members)
            if (m.key == key) return m.value == "null" ? std::string_view() : m.value;
        return {};
    }

    std::string text(std::string_view key, size_t maxBytes) const {
        std::string_view raw = find(key);
        if (raw.empty())
            throw WireError("missing_field", fmt::format("missing field {}", pathOf(key)));
        return textOf(key, raw, maxBytes);
    }

    std::optional<std::string> optText(std::string_view key, size_t maxBytes) const {
        std::string_view raw = find(key);
        if (raw.empty()) return std::nullopt;
        return textOf(key, raw, maxBytes);
    }

    std::optional<std::int64_t> optInteger(std::string_view key) const {
        std::string_view raw = find(key);
        if (raw.empty()) return std::nullopt;
        if (auto v = jsonscan::integerValue(raw)) return v;
        throw WireError("wrong_type", fmt::format("{} must be an integer, not {}", pathOf(key),
                                                  describeRaw(raw)));
    }

    [[noreturn]] void invalid(std::string_view key, const std::string& why) const {
        throw WireError("invalid_value", fmt::format("{}: {}", pathOf(key), why));
    }

private:
    std::string textOf(std::string_view key, std::string_view raw, size_t maxBytes) const {
        std::optional<std::string> s;
        if (raw.front() == '"' && raw.find('\\') == std::string_view::npos)
            s.emplace(raw.substr(1, raw.size() - 2));  // checked with the whole answer
        else if (raw.front() == '"')
            s = jsonscan::stringValue(raw);
        if (!s)
            throw WireError("wrong_type",
                            fmt::format("{} must be text, not {}", pathOf(key), describeRaw(raw)));
        if (s->size() > maxBytes) invalid(key, fmt::format("longer than {} bytes", maxBytes));
        return std::move(*s);
    }

    Where m_where;
    std::vector<jsonscan::Member> m_members;
};

wire::RegistrationState registrationOf(std::string_view raw, size_t index) {
    RawFields f(raw, Where{index, true},
                {"id", "session_id", "status", "waitlist_position", "code"});
    wire::RegistrationState r;
    r.id = f.text("id", 64);
    r.sessionId = f.text("session_id", 64);
    r.status = f.text("status", 16);
    if (!registrationStatusFromString(r.status) || r.status == "provisional")
        f.invalid("status", "not a status the server decides");
    r.code = f.text("code", 16);
    r.waitlistPosition = f.optInteger("waitlist_position");
    return r;
}

PushResult resultOf(std::string_view raw, size_t index) {
    RawFields f(raw, Where{index, false},
                {"op_id", "result", "reason", "message", "registration", "original_result"});
    PushResult r;
    r.opId = f.text("op_id", 64);
    r.result = f.text("result", 16);
    if (r.result != "applied" && r.result != "duplicate" && r.result != "rejected" &&
        r.result != "remapped")
        f.invalid("result", "unknown result");
    r.effective =
        r.result == "duplicate" ? f.optText("original_result", 16).value_or("applied") : r.result;
    r.reason = f.optText("reason", 64).value_or("");
    r.message = f.optText("message", 1024).value_or("");
    std::string_view registration = f.find("registration");
    if (!registration.empty()) r.registration = registrationOf(registration, index);
    return r;
}

}  // namespace

PushAnswer readPushAnswer(std::string_view text) {
    auto top = jsonscan::objectMembers(text);
    if (!top) {
        // The scanner says only "not valid"; the tree parser says which (and where).
        parseJson(text);
        throw WireError("malformed_json", "the push answer is not one JSON object");
    }
    PushAnswer answer;
    std::string_view results;
    for (const jsonscan::Member& m : *top) {
        if (m.key == "results") {
            results = m.value;
        } else if (m.key == "server_time") {
            if (m.value == "null") continue;
            answer.serverTime = jsonscan::integerValue(m.value);
            if (!answer.serverTime)
                throw WireError("wrong_type", fmt::format("server_time must be an integer, not {}",
                                                          describeRaw(m.value)));
        } else {
            throw WireError("unknown_field", fmt::format("unknown field {}", m.key));
        }
    }
    if (results.empty()) throw WireError("missing_field", "missing field results");
    // The whole text was checked above; the nested values are only split from here on.
    auto elements = results.front() == '[' ? jsonscan::checkedArrayElements(results) : std::nullopt;
    if (!elements)
        throw WireError("wrong_type",
                        fmt::format("results must be an array, not {}", describeRaw(results)));
    answer.results.reserve(elements->size());
    for (size_t i = 0; i < elements->size(); ++i)
        answer.results.push_back(resultOf((*elements)[i], i));
    return answer;
}

void checkAnswersOps(const PushAnswer& answer, const std::vector<OutboxOp>& sent) {
    if (answer.results.size() != sent.size())
        throw WireError("invalid_value", fmt::format("the server answered {} results for {} ops",
                                                     answer.results.size(), sent.size()));
    for (size_t i = 0; i < sent.size(); ++i)
        if (answer.results[i].opId != sent[i].opId)
            throw WireError("invalid_value",
                            fmt::format("results[{}].op_id: does not match the op sent", i));
}

}  // namespace fadaa
