// core/sync/json_scan.cpp - a strict JSON scanner (RFC 8259) for json_scan.hpp.
#include "sync/json_scan.hpp"

#include <algorithm>
#include <cstring>

#include "i18n/utf8.hpp"

namespace fadaa::jsonscan {
namespace {

constexpr int kMaxDepth = 64;

// Checks JSON text and finds its values' ends. A `checked` Scanner is for text one has already
// accepted (alone, or as part of a larger document): it only finds the ends, skipping strings to
// their closing quote and other values to their end, several times faster.
class Scanner {
public:
    explicit Scanner(std::string_view text, bool checked = false) : m_t(text), m_checked(checked) {}

    void space() { m_p = skipSpace(m_t, m_p); }
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
        if (m_checked) return skipString();
        skipPlainWords();
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
        if (m_checked) return skipValue();
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

    bool topArray(std::vector<std::string_view>* out) { return array(1, out); }

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
    // Skips 8 bytes at a time while none is a quote, a backslash or a control character (the
    // bytes the loop in string() stops at), which reads the rest. Strings are most of the text
    // a push reads (its stored payloads).
    void skipPlainWords() {
        constexpr std::uint64_t kOnes = 0x0101010101010101ULL, kHigh = 0x8080808080808080ULL;
        auto hasZero = [&](std::uint64_t v) { return (v - kOnes) & ~v & kHigh; };
        while (m_p + 8 <= m_t.size()) {
            std::uint64_t w;
            std::memcpy(&w, m_t.data() + m_p, 8);
            if (hasZero(w ^ (kOnes * '"')) | hasZero(w ^ (kOnes * '\\')) |
                ((w - kOnes * 0x20) & ~w & kHigh))
                return;
            m_p += 8;
        }
    }

    // The rest of a string whose opening quote was eaten, unchecked.
    bool skipString() {
        while (m_p < m_t.size()) {
            char c = m_t[m_p++];
            if (c == '"') return true;
            if (c == '\\') ++m_p;
        }
        return false;
    }

    // Any value, unchecked: strings and nested brackets followed, scalars up to a delimiter.
    bool skipValue() {
        if (m_p >= m_t.size()) return false;
        char c = m_t[m_p];
        if (c == '"') return string();
        if (c != '{' && c != '[') {
            size_t start = m_p;
            while (m_p < m_t.size() &&
                   std::string_view(",}] \t\n\r").find(m_t[m_p]) == std::string_view::npos)
                ++m_p;
            return m_p > start;
        }
        int depth = 0;
        while (m_p < m_t.size()) {
            c = m_t[m_p];
            if (c == '"') {
                if (!string()) return false;
                continue;
            }
            ++m_p;
            if (c == '{' || c == '[') ++depth;
            if ((c == '}' || c == ']') && --depth == 0) return true;
        }
        return false;
    }

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
    bool m_checked;
    size_t m_p = 0;
};

bool utf8Ok(std::string_view text) {
    // ASCII text (most of it) passes 8 bytes at a time.
    size_t i = 0;
    for (std::uint64_t w; i + 8 <= text.size(); i += 8) {
        std::memcpy(&w, text.data() + i, 8);
        if (w & 0x8080808080808080ULL) return !utf8::firstInvalid(text).has_value();
    }
    for (; i < text.size(); ++i)
        if (static_cast<unsigned char>(text[i]) >= 0x80)
            return !utf8::firstInvalid(text).has_value();
    return true;
}

}  // namespace

std::optional<std::vector<Member>> objectMembers(std::string_view text) {
    Scanner s(text);
    std::vector<Member> members;
    members.reserve(16);  // a stored payload's members without growing (five allocations)
    s.space();
    if (!s.object(1, &members)) return std::nullopt;
    s.space();
    if (!s.atEnd() || !utf8Ok(text)) return std::nullopt;
    return members;
}

std::optional<std::vector<std::string_view>> arrayElements(std::string_view text) {
    Scanner s(text);
    std::vector<std::string_view> elements;
    s.space();
    if (!s.topArray(&elements)) return std::nullopt;
    s.space();
    if (!s.atEnd() || !utf8Ok(text)) return std::nullopt;
    return elements;
}

namespace {

int hexDigit(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

// Four hex digits at `at`, or -1.
long hex4(std::string_view t, size_t at) {
    if (at + 4 > t.size()) return -1;
    long v = 0;
    for (size_t i = at; i < at + 4; ++i) {
        int d = hexDigit(t[i]);
        if (d < 0) return -1;
        v = v * 16 + d;
    }
    return v;
}

void appendUtf8(std::string& out, long cp) {
    if (cp < 0x80) {
        out += static_cast<char>(cp);
    } else if (cp < 0x800) {
        out += static_cast<char>(0xC0 | (cp >> 6));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out += static_cast<char>(0xE0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (cp >> 18));
        out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    }
}

}  // namespace

std::optional<std::vector<Member>> checkedObjectMembers(std::string_view text) {
    Scanner s(text, true);
    std::vector<Member> members;
    s.space();
    if (!s.object(1, &members)) return std::nullopt;
    return members;
}

std::optional<std::vector<std::string_view>> checkedArrayElements(std::string_view text) {
    Scanner s(text, true);
    std::vector<std::string_view> elements;
    s.space();
    if (!s.topArray(&elements)) return std::nullopt;
    return elements;
}

std::optional<std::string> stringValue(std::string_view raw) {
    Scanner s(raw);
    if (!s.string() || !s.atEnd() || !utf8Ok(raw)) return std::nullopt;
    std::string_view inner = raw.substr(1, raw.size() - 2);
    if (inner.find('\\') == std::string_view::npos) return std::string(inner);
    std::string out;
    out.reserve(inner.size());
    for (size_t i = 0; i < inner.size(); ++i) {
        if (inner[i] != '\\') {
            out += inner[i];
            continue;
        }
        char e = inner[++i];  // the scanner checked that an escape is complete
        switch (e) {
            case 'b':
                out += '\b';
                break;
            case 'f':
                out += '\f';
                break;
            case 'n':
                out += '\n';
                break;
            case 'r':
                out += '\r';
                break;
            case 't':
                out += '\t';
                break;
            case 'u': {
                long cp = hex4(inner, i + 1);
                i += 4;
                if (cp >= 0xDC00 && cp <= 0xDFFF) return std::nullopt;  // a lone low surrogate
                if (cp >= 0xD800 && cp <= 0xDBFF) {
                    long low = i + 2 < inner.size() && inner[i + 1] == '\\' && inner[i + 2] == 'u'
                                   ? hex4(inner, i + 3)
                                   : -1;
                    if (low < 0xDC00 || low > 0xDFFF) return std::nullopt;
                    cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
                    i += 6;
                }
                appendUtf8(out, cp);
                break;
            }
            default:
                out += e;  // " \\ /
        }
    }
    return out;
}

std::optional<std::int64_t> integerValue(std::string_view raw) {
    size_t i = raw.size() > 0 && raw[0] == '-' ? 1 : 0;
    if (i == raw.size() || raw.size() - i > 19) return std::nullopt;
    if (raw[i] == '0' && raw.size() - i > 1) return std::nullopt;  // no leading zeros
    std::uint64_t v = 0;
    for (size_t k = i; k < raw.size(); ++k) {
        if (raw[k] < '0' || raw[k] > '9') return std::nullopt;
        v = v * 10 + static_cast<std::uint64_t>(raw[k] - '0');
    }
    // 19 digits fit in uint64; the signed range is what a JSON integer may hold here.
    if (i == 0 && v > static_cast<std::uint64_t>(INT64_MAX)) return std::nullopt;
    if (i == 1 && v > static_cast<std::uint64_t>(INT64_MAX) + 1) return std::nullopt;
    return i == 1 ? static_cast<std::int64_t>(0 - v) : static_cast<std::int64_t>(v);
}

}  // namespace fadaa::jsonscan
