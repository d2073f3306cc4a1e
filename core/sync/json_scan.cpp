// core/sync/json_scan.cpp - a strict JSON scanner (RFC 8259) for json_scan.hpp.
#include "sync/json_scan.hpp"

#include <algorithm>

#include "i18n/utf8.hpp"

namespace fadaa::jsonscan {
namespace {

constexpr int kMaxDepth = 64;

class Scanner {
public:
    explicit Scanner(std::string_view text) : m_t(text) {}

    void space() {
        while (m_p < m_t.size() &&
               (m_t[m_p] == ' ' || m_t[m_p] == '\t' || m_t[m_p] == '\n' || m_t[m_p] == '\r'))
            ++m_p;
    }
    bool atEnd() const { return m_p == m_t.size(); }
    size_t pos() const { return m_p; }
    std::string_view slice(size_t from) const { return m_t.substr(from, m_p - from); }
    bool peek(char c) const { return m_p < m_t.size() && m_t[m_p] == c; }
    bool eat(char c) {
        if (!peek(c)) return false;
        ++m_p;
        return true;
    }

    // A string, the opening quote at pos. Escapes checked; bytes >= 0x80 are checked as UTF-8
    // once for the whole text by the caller.
    bool string() {
        if (!eat('"')) return false;
        while (m_p < m_t.size()) {
            auto c = static_cast<unsigned char>(m_t[m_p++]);
            if (c == '"') return true;
            if (c < 0x20) return false;
            if (c != '\\') continue;
            if (m_p >= m_t.size()) return false;
            char e = m_t[m_p++];
            if (e == 'u') {
                for (int i = 0; i < 4; ++i, ++m_p)
                    if (m_p >= m_t.size() || !isHex(m_t[m_p])) return false;
            } else if (std::string_view("\"\\/bfnrt").find(e) == std::string_view::npos) {
                return false;
            }
        }
        return false;
    }

    bool value(int depth) {
        if (depth > kMaxDepth || m_p >= m_t.size()) return false;
        char c = m_t[m_p];
        if (c == '{') return object(depth + 1, nullptr);
        if (c == '[') return array(depth + 1);
        if (c == '"') return string();
        if (c == 't') return literal("true");
        if (c == 'f') return literal("false");
        if (c == 'n') return literal("null");
        return number();
    }

    // An object, the brace at pos; its members go to `out` when given.
    bool object(int depth, std::vector<Member>* out) {
        if (!eat('{')) return false;
        space();
        if (eat('}')) return true;
        for (;;) {
            space();
            size_t keyStart = m_p;
            if (!string()) return false;
            std::string_view key = m_t.substr(keyStart + 1, m_p - keyStart - 2);
            space();
            if (!eat(':')) return false;
            space();
            size_t valueStart = m_p;
            if (!value(depth)) return false;
            if (out) out->push_back({key, slice(valueStart)});
            space();
            if (eat('}')) return true;
            if (!eat(',')) return false;
        }
    }

private:
    static bool isHex(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }
    static bool isDigit(char c) { return c >= '0' && c <= '9'; }

    bool array(int depth) {
        if (!eat('[')) return false;
        space();
        if (eat(']')) return true;
        for (;;) {
            space();
            if (!value(depth)) return false;
            space();
            if (eat(']')) return true;
            if (!eat(',')) return false;
        }
    }

    bool literal(std::string_view word) {
        if (m_t.substr(m_p, word.size()) != word) return false;
        m_p += word.size();
        return true;
    }

    bool digits() {
        size_t start = m_p;
        while (m_p < m_t.size() && isDigit(m_t[m_p])) ++m_p;
        return m_p > start;
    }

    bool number() {
        eat('-');
        if (eat('0')) {
            if (m_p < m_t.size() && isDigit(m_t[m_p])) return false;  // no leading zeros
        } else if (!digits()) {
            return false;
        }
        if (eat('.') && !digits()) return false;
        if (peek('e') || peek('E')) {
            ++m_p;
            if (!eat('+')) eat('-');
            if (!digits()) return false;
        }
        return true;
    }

    std::string_view m_t;
    size_t m_p = 0;
};

bool utf8Ok(std::string_view text) {
    for (unsigned char c : text)
        if (c >= 0x80) return !utf8::firstInvalid(text).has_value();
    return true;
}

// Skipping through text known to be valid JSON: only where each value ends is needed.
bool isSpace(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

size_t skipSpace(std::string_view t, size_t p) {
    while (p < t.size() && isSpace(t[p])) ++p;
    return p;
}

// The position after the string whose opening quote is at p.
size_t skipString(std::string_view t, size_t p) {
    for (++p; p < t.size(); ++p) {
        if (t[p] == '\\')
            ++p;
        else if (t[p] == '"')
            return p + 1;
    }
    return t.size();
}

// The position after the value that starts at p.
size_t skipValue(std::string_view t, size_t p) {
    if (p >= t.size()) return t.size();
    if (t[p] == '"') return skipString(t, p);
    if (t[p] != '{' && t[p] != '[') {
        while (p < t.size() && t[p] != ',' && t[p] != '}' && t[p] != ']' && !isSpace(t[p])) ++p;
        return p;
    }
    int depth = 0;
    while (p < t.size()) {
        char c = t[p];
        if (c == '"') {
            p = skipString(t, p);
            continue;
        }
        if (c == '{' || c == '[') ++depth;
        if ((c == '}' || c == ']') && --depth == 0) return p + 1;
        ++p;
    }
    return t.size();
}

}  // namespace

std::vector<Member> membersOfValid(std::string_view t) {
    std::vector<Member> out;
    size_t p = skipSpace(t, 0);
    if (p >= t.size() || t[p] != '{') return out;
    p = skipSpace(t, p + 1);
    while (p < t.size() && t[p] == '"') {
        size_t keyEnd = skipString(t, p);
        if (keyEnd - p < 2) break;
        std::string_view key = t.substr(p + 1, keyEnd - p - 2);
        p = skipSpace(t, keyEnd);
        p = skipSpace(t, p + 1);  // past the colon
        size_t valueEnd = skipValue(t, p);
        out.push_back({key, t.substr(std::min(p, t.size()), valueEnd - std::min(p, valueEnd))});
        p = skipSpace(t, valueEnd);
        if (p < t.size() && t[p] == ',') p = skipSpace(t, p + 1);
    }
    return out;
}

std::vector<std::string_view> elementsOfValid(std::string_view t) {
    std::vector<std::string_view> out;
    size_t p = skipSpace(t, 0);
    if (p >= t.size() || t[p] != '[') return out;
    p = skipSpace(t, p + 1);
    while (p < t.size() && t[p] != ']') {
        size_t end = skipValue(t, p);
        if (end == p) break;  // not a value: text that was not accepted
        out.push_back(t.substr(p, end - p));
        p = skipSpace(t, end);
        if (p < t.size() && t[p] == ',') p = skipSpace(t, p + 1);
    }
    return out;
}

std::optional<std::vector<Member>> objectMembers(std::string_view text) {
    Scanner s(text);
    std::vector<Member> members;
    s.space();
    if (!s.object(1, &members)) return std::nullopt;
    s.space();
    if (!s.atEnd() || !utf8Ok(text)) return std::nullopt;
    return members;
}

}  // namespace fadaa::jsonscan
