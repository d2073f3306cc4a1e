// core/sync/json_scan.cpp - a strict JSON scanner (RFC 8259) for json_scan.hpp.
#include "sync/json_scan.hpp"

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

    bool topArray(std::vector<std::string_view>* out) { return array(1, out); }

private:
    static bool isHex(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }
    static bool isDigit(char c) { return c >= '0' && c <= '9'; }

    // An array, the bracket at pos; its elements go to `out` when given.
    bool array(int depth, std::vector<std::string_view>* out = nullptr) {
        if (!eat('[')) return false;
        space();
        if (eat(']')) return true;
        for (;;) {
            space();
            size_t valueStart = m_p;
            if (!value(depth)) return false;
            if (out) out->push_back(slice(valueStart));
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

}  // namespace

std::optional<std::vector<std::string_view>> arrayElements(std::string_view text) {
    Scanner s(text);
    std::vector<std::string_view> elements;
    s.space();
    if (!s.topArray(&elements)) return std::nullopt;
    s.space();
    if (!s.atEnd() || !utf8Ok(text)) return std::nullopt;
    return elements;
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
