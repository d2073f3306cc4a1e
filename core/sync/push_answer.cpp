// core/sync/push_answer.cpp - the push answer read with the strict scanner (json_scan).
#include "sync/push_answer.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <span>

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
    RawFields f(raw, Where{index, true}, wire::kRegistrationStateKeys);
    return wire::registrationStateFrom(f);
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

// The answer as the server writes it, read in one pass: every string plain ASCII (no escape,
// no control or non-ASCII byte), every key known and seen once, every value within its limits.
// Such text is valid JSON and valid UTF-8, and what this gives for it is what the strict reader
// gives. Anything else, hostile or merely unusual, makes it give up (nullopt) and the strict
// reader reads the answer and names what is wrong. Why: validating the text, splitting it and
// picking each object's members were three walks over a 250 KB answer (19k instructions per
// result; callgrind, 2026-11-29), where one does.
class PlainAnswer {
public:
    explicit PlainAnswer(std::string_view text) : m_t(text) {}

    std::optional<PushAnswer> read() {
        PushAnswer answer;
        static constexpr std::string_view kKeys[] = {"results", "server_time"};
        Keys keys{kKeys};
        bool ok = members(keys, [&](size_t key) {
            if (key == 0) return elements(answer.results);
            return null() || (answer.serverTime = integer()).has_value();
        });
        space();
        if (!ok || !keys.seen(0) || m_p != m_t.size()) return std::nullopt;
        return answer;
    }

private:
    void space() { m_p = jsonscan::skipSpace(m_t, m_p); }
    bool eat(char c) {
        space();
        if (m_p >= m_t.size() || m_t[m_p] != c) return false;
        ++m_p;
        return true;
    }
    bool null() {
        space();
        if (m_t.substr(m_p, 4) != "null") return false;
        m_p += 4;
        return true;
    }

    // A plain string of at most maxBytes bytes, without its quotes.
    std::optional<std::string_view> plain(size_t maxBytes) {
        if (!eat('"')) return std::nullopt;
        size_t start = m_p;
        for (; m_p < m_t.size(); ++m_p) {
            auto c = static_cast<unsigned char>(m_t[m_p]);
            if (c == '"') break;
            if (c < 0x20 || c > 0x7E || c == '\\') return std::nullopt;
        }
        if (m_p >= m_t.size() || m_p - start > maxBytes) return std::nullopt;
        return m_t.substr(start, m_p++ - start);
    }
    // Into `out` unless null (then out stays as it is); false when neither.
    bool optPlain(std::optional<std::string>& out, size_t maxBytes) {
        if (null()) return true;
        auto s = plain(maxBytes);
        if (s) out.emplace(*s);
        return s.has_value();
    }

    std::optional<std::int64_t> integer() {
        space();
        size_t start = m_p;
        if (m_p < m_t.size() && m_t[m_p] == '-') ++m_p;
        while (m_p < m_t.size() && m_t[m_p] >= '0' && m_t[m_p] <= '9') ++m_p;
        if (m_p < m_t.size() && (m_t[m_p] == '.' || m_t[m_p] == 'e' || m_t[m_p] == 'E'))
            return std::nullopt;
        return jsonscan::integerValue(m_t.substr(start, m_p - start));
    }

    // The keys an object may have, each at most once.
    struct Keys {
        std::span<const std::string_view> names;
        unsigned seenMask = 0;
        bool seen(size_t i) const { return (seenMask >> i) & 1; }
    };

    // An object's members, each value read by member(index of its key in `keys`); false on
    // anything unexpected (an unknown or repeated key too).
    template <typename Member>
    bool members(Keys& keys, Member member) {
        if (!eat('{')) return false;
        if (eat('}')) return true;
        do {
            auto key = plain(32);
            if (!key || !eat(':')) return false;
            auto it = std::find(keys.names.begin(), keys.names.end(), *key);
            auto i = static_cast<size_t>(it - keys.names.begin());
            if (it == keys.names.end() || keys.seen(i)) return false;
            keys.seenMask |= 1u << i;
            if (!member(i)) return false;
        } while (eat(','));
        return eat('}');
    }

    bool elements(std::vector<PushResult>& out) {
        if (!eat('[')) return false;
        if (eat(']')) return true;
        do {
            if (!result(out.emplace_back())) return false;
        } while (eat(','));
        return eat(']');
    }

    bool result(PushResult& r) {
        std::optional<std::string> opId, result, original, reason, message;
        static constexpr std::string_view kKeys[] = {"op_id",  "result",  "original_result",
                                                     "reason", "message", "registration"};
        Keys keys{kKeys};
        bool ok = members(keys, [&](size_t key) {
            switch (key) {
                case 0:
                    return optPlain(opId, 64);
                case 1:
                    return optPlain(result, 16);
                case 2:
                    return optPlain(original, 16);
                case 3:
                    return optPlain(reason, 64);
                case 4:
                    return optPlain(message, 1024);
                default:
                    return null() || registration(r.registration.emplace());
            }
        });
        if (!ok || !opId || !result) return false;
        if (*result != "applied" && *result != "duplicate" && *result != "rejected" &&
            *result != "remapped")
            return false;
        r.opId = std::move(*opId);
        r.result = std::move(*result);
        r.effective = r.result == "duplicate" ? original.value_or("applied") : r.result;
        r.reason = reason.value_or("");
        r.message = message.value_or("");
        return true;
    }

    bool registration(wire::RegistrationState& r) {
        std::optional<std::string> id, sessionId, status, code;
        static constexpr std::string_view kKeys[] = {"id", "session_id", "status", "code",
                                                     "waitlist_position"};
        Keys keys{kKeys};
        bool ok = members(keys, [&](size_t key) {
            switch (key) {
                case 0:
                    return optPlain(id, 64);
                case 1:
                    return optPlain(sessionId, 64);
                case 2:
                    return optPlain(status, 16);
                case 3:
                    return optPlain(code, 16);
                default:
                    return null() || (r.waitlistPosition = integer()).has_value();
            }
        });
        if (!ok || !id || !sessionId || !status || !code) return false;
        if (!registrationStatusFromString(*status) || *status == "provisional") return false;
        r.id = std::move(*id);
        r.sessionId = std::move(*sessionId);
        r.status = std::move(*status);
        r.code = std::move(*code);
        return true;
    }

    std::string_view m_t;
    size_t m_p = 0;
};

// The answer read with every check and a precise error (any answer PlainAnswer gives up on).
PushAnswer readAnswerStrictly(std::string_view text) {
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

}  // namespace

PushAnswer readPushAnswer(std::string_view text) {
    if (std::optional<PushAnswer> plain = PlainAnswer(text).read()) return std::move(*plain);
    return readAnswerStrictly(text);
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
