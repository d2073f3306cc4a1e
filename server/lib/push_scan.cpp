// server/lib/push_scan.cpp - a push body read in one pass into a PushRequest, without a JSON
// tree, for the bodies kiosks send; anything else goes to the strict reader, which names the
// problem.
//
// Why: building a nlohmann tree of a 1000-op push and reading it field by field was about a
// fifth of the server's work per push. The contract that keeps this safe: scanPushRequest
// returns a request only when parsePushRequest(parseJson(body)) would return the very same
// one; on anything it is not sure of (an escape in a string, a decimal number, a duplicate
// key, a missing field, an invalid value, an unknown kind...) it returns nullopt and the
// caller takes the strict path, so errors, and how strict the checks are, stay exactly theirs.
#include <charconv>
#include <cstdint>
#include <cstring>

#include "i18n/utf8.hpp"
#include "push_service.hpp"
#include "registration/validation.hpp"
#include "sync/json_fields.hpp"
#include "sync/json_scan.hpp"
#include "sync/wire.hpp"
#include "util/ids.hpp"

namespace fadaa::server {
namespace {

// Keys of the objects a push holds; each is a bit in a "seen" mask (a repeat is a bail-out).
enum Key : unsigned {
    kNone = 0,
    // envelope
    kKioskId = 1u << 0,
    kOps = 1u << 1,
    // op
    kOpId = 1u << 2,
    kSeq = 1u << 3,
    kKind = 1u << 4,
    kCreatedAt = 1u << 5,
    kPayload = 1u << 6,
    // payload
    kRegistrationId = 1u << 7,
    kSessionId = 1u << 8,
    kCode = 1u << 9,
    kName = 1u << 10,
    kPhone = 1u << 11,
    kAgeBand = 1u << 12,
    kAnswers = 1u << 13,
    kLocalStatus = 1u << 14,
    kLeaseId = 1u << 15,
};

struct KeyName {
    std::string_view name;
    Key key;
};

Key keyOf(std::string_view name, std::initializer_list<KeyName> allowed) {
    for (const KeyName& k : allowed)
        if (k.name == name) return k.key;
    return kNone;
}

// A payload's values as read; strings without their quotes. A null is the same as absent.
struct PayloadFields {
    unsigned seen = 0, nulls = 0;
    std::string_view registrationId, sessionId, code, name, phone, ageBand, answers, localStatus,
        leaseId;
};

class Scanner {
public:
    explicit Scanner(std::string_view text) : m_t(text) {}

    void space() { m_p = jsonscan::skipSpace(m_t, m_p); }
    bool eat(char c) {
        space();
        if (m_p < m_t.size() && m_t[m_p] == c) {
            ++m_p;
            return true;
        }
        return false;
    }
    bool atEnd() {
        space();
        return m_p == m_t.size();
    }
    size_t pos() const { return m_p; }
    std::string_view slice(size_t from) const { return m_t.substr(from, m_p - from); }

    // A string with no escapes and no control characters (UTF-8 is checked once, up front).
    bool string(std::string_view& out) {
        if (!eat('"')) return false;
        size_t start = m_p;
        while (m_p < m_t.size()) {
            auto c = static_cast<unsigned char>(m_t[m_p]);
            if (c == '"') {
                out = m_t.substr(start, m_p - start);
                ++m_p;
                return true;
            }
            if (c == '\\' || c < 0x20) return false;
            ++m_p;
        }
        return false;
    }

    bool null() { return literal("null"); }

    // An integer as JSON writes it (no fraction or exponent) that fits in 64 bits.
    bool integer(std::int64_t& out) {
        space();
        size_t start = m_p;
        if (m_p < m_t.size() && m_t[m_p] == '-') ++m_p;
        size_t digits = m_p;
        while (m_p < m_t.size() && m_t[m_p] >= '0' && m_t[m_p] <= '9') ++m_p;
        if (m_p == digits || (m_t[digits] == '0' && m_p - digits > 1)) return false;
        if (m_p < m_t.size() && (m_t[m_p] == '.' || m_t[m_p] == 'e' || m_t[m_p] == 'E'))
            return false;
        auto [end, ec] = std::from_chars(m_t.data() + start, m_t.data() + m_p, out);
        return ec == std::errc() && end == m_t.data() + m_p;
    }

    // A string, number, true, false or null: an answer's value (checked again by the tree
    // parser that reads non-empty answers).
    bool scalar() {
        space();
        if (m_p >= m_t.size()) return false;
        char c = m_t[m_p];
        std::string_view ignored;
        if (c == '"') return string(ignored);
        if (c == 't') return literal("true");
        if (c == 'f') return literal("false");
        if (c == 'n') return literal("null");
        return number();
    }

    bool peekNull() {
        space();
        return m_t.substr(m_p, 4) == "null";
    }

private:
    bool literal(std::string_view word) {
        space();
        if (m_t.substr(m_p, word.size()) != word) return false;
        m_p += word.size();
        return true;
    }

    bool number() {
        if (m_p < m_t.size() && m_t[m_p] == '-') ++m_p;
        size_t digits = m_p;
        while (m_p < m_t.size() && m_t[m_p] >= '0' && m_t[m_p] <= '9') ++m_p;
        if (m_p == digits || (m_t[digits] == '0' && m_p - digits > 1)) return false;
        if (m_p < m_t.size() && m_t[m_p] == '.') {
            size_t frac = ++m_p;
            while (m_p < m_t.size() && m_t[m_p] >= '0' && m_t[m_p] <= '9') ++m_p;
            if (m_p == frac) return false;
        }
        if (m_p < m_t.size() && (m_t[m_p] == 'e' || m_t[m_p] == 'E')) {
            ++m_p;
            if (m_p < m_t.size() && (m_t[m_p] == '+' || m_t[m_p] == '-')) ++m_p;
            size_t exp = m_p;
            while (m_p < m_t.size() && m_t[m_p] >= '0' && m_t[m_p] <= '9') ++m_p;
            if (m_p == exp) return false;
        }
        return true;
    }

    std::string_view m_t;
    size_t m_p = 0;
};

// Calls member(key, scanner) for each member of the object at the scanner; false when the
// object is malformed or member() refuses.
template <class F>
bool members(Scanner& s, F&& member) {
    if (!s.eat('{')) return false;
    if (s.eat('}')) return true;
    do {
        std::string_view key;
        if (!s.string(key) || !s.eat(':') || !member(key)) return false;
    } while (s.eat(','));
    return s.eat('}');
}

// The answers object's text (its members are scalars; anything else is a bail-out).
bool answersObject(Scanner& s, std::string_view& out) {
    s.space();
    size_t start = s.pos();
    bool ok = members(s, [&](std::string_view) { return s.scalar(); });
    out = s.slice(start);
    return ok;
}

bool payload(Scanner& s, PayloadFields& p) {
    return members(s, [&](std::string_view name) {
        Key k = keyOf(name, {{"registration_id", kRegistrationId},
                             {"session_id", kSessionId},
                             {"code", kCode},
                             {"name", kName},
                             {"phone", kPhone},
                             {"age_band", kAgeBand},
                             {"answers", kAnswers},
                             {"local_status", kLocalStatus},
                             {"lease_id", kLeaseId}});
        if (k == kNone || (p.seen & k)) return false;
        p.seen |= k;
        if (s.peekNull()) {
            p.nulls |= k;
            return s.null();
        }
        switch (k) {
            case kRegistrationId:
                return s.string(p.registrationId);
            case kSessionId:
                return s.string(p.sessionId);
            case kCode:
                return s.string(p.code);
            case kName:
                return s.string(p.name);
            case kPhone:
                return s.string(p.phone);
            case kAgeBand:
                return s.string(p.ageBand);
            case kAnswers:
                return answersObject(s, p.answers);
            case kLocalStatus:
                return s.string(p.localStatus);
            default:
                return s.string(p.leaseId);
        }
    });
}

bool uuidValue(std::string_view v) {
    return v.size() <= 36 && isUuid(v);
}

// A register payload's values checked as parseRegister checks them; false on any problem.
bool registerIntent(const PayloadFields& p, RegisterIntent& r) {
    const unsigned required = kRegistrationId | kSessionId | kCode | kName | kPhone | kLocalStatus;
    if ((p.seen & required) != required || (p.nulls & required)) return false;
    if (!uuidValue(p.registrationId) || !wire::isValidRecordId(p.sessionId)) return false;
    if (p.code.size() > kPushCodeMax || !pushcheck::canonicalCode(p.code)) return false;
    if (p.name.empty() || p.name.size() > kPushNameMax) return false;
    if (p.phone.size() > kPushPhoneMax || !pushcheck::e164Form(p.phone)) return false;
    if (p.ageBand.size() > kPushAgeBandMax) return false;
    if (p.localStatus.size() > kPushStatusMax || !pushcheck::localStatus(p.localStatus))
        return false;
    bool hasLease = (p.seen & kLeaseId) && !(p.nulls & kLeaseId);
    if (hasLease && !uuidValue(p.leaseId)) return false;
    r.registrationId = p.registrationId;
    r.sessionId = p.sessionId;
    r.code = p.code;
    r.name = p.name;
    r.phone = p.phone;
    if ((p.seen & kAgeBand) && !(p.nulls & kAgeBand)) r.ageBand = std::string(p.ageBand);
    r.personKey = personKey(r.phone, r.name);
    if (!(p.seen & kAnswers) || (p.nulls & kAnswers)) {
        r.answers = "{}";
    } else {
        std::string_view text = p.answers;
        size_t inner = text.find_first_not_of(" \t\n\r", 1);
        if (text[inner] == '}') {
            r.answers = "{}";
        } else {
            nlohmann::json answers = nlohmann::json::parse(text, nullptr, false);
            if (answers.is_discarded() || pushcheck::answersProblem(answers, r.answers))
                return false;
        }
    }
    r.localStatus = p.localStatus;
    if (hasLease) r.leaseId = std::string(p.leaseId);
    return true;
}

bool op(Scanner& s, PushOp& out) {
    unsigned seen = 0;
    std::string_view opId, kind;
    PayloadFields p;
    bool ok = members(s, [&](std::string_view name) {
        Key k = keyOf(name, {{"op_id", kOpId},
                             {"seq", kSeq},
                             {"kind", kKind},
                             {"created_at", kCreatedAt},
                             {"payload", kPayload}});
        if (k == kNone || (seen & k)) return false;
        seen |= k;
        switch (k) {
            case kOpId:
                return s.string(opId);
            case kSeq:
                return s.integer(out.seq);
            case kKind:
                return s.string(kind);
            case kCreatedAt:
                return s.integer(out.createdAt);
            default:
                return payload(s, p);
        }
    });
    if (!ok || seen != (kOpId | kSeq | kKind | kCreatedAt | kPayload) || !uuidValue(opId))
        return false;
    out.opId = opId;
    out.kind = kind;
    if (kind == "register") {
        if (!registerIntent(p, out.reg)) return false;
        out.registrationId = out.reg.registrationId;
        return true;
    }
    // cancel and check_in carry only the registration id; other kinds take the strict path.
    if (kind != "cancel" && kind != "check_in") return false;
    if (p.seen != kRegistrationId || p.nulls || !uuidValue(p.registrationId)) return false;
    out.registrationId = p.registrationId;
    return true;
}

// True when every byte sequence outside ASCII is well-formed UTF-8 (the same rule as
// utf8::firstInvalid, which decodes every byte: ASCII runs are skipped 8 bytes at a time here).
bool utf8Valid(std::string_view text) {
    size_t pos = 0;
    while (pos < text.size()) {
        if (pos + 8 <= text.size()) {
            std::uint64_t word;
            std::memcpy(&word, text.data() + pos, 8);
            if (!(word & 0x8080808080808080ull)) {
                pos += 8;
                continue;
            }
        }
        if (static_cast<unsigned char>(text[pos]) < 0x80) {
            ++pos;
        } else if (!utf8::next(text, pos)) {
            return false;
        }
    }
    return true;
}

}  // namespace

std::optional<PushRequest> scanPushRequest(std::string_view body, size_t maxOps) {
    if (!utf8Valid(body)) return std::nullopt;
    Scanner s(body);
    PushRequest req;
    unsigned seen = 0;
    bool ok = members(s, [&](std::string_view name) {
        Key k = keyOf(name, {{"kiosk_id", kKioskId}, {"ops", kOps}});
        if (k == kNone || (seen & k)) return false;
        seen |= k;
        if (k == kKioskId) {
            std::string_view id;
            if (!s.string(id) || id.size() > kPushKioskIdMax) return false;
            req.kioskId = id;
            return true;
        }
        if (!s.eat('[')) return false;
        if (s.eat(']')) return true;
        do {
            if (req.ops.size() == maxOps) return false;
            PushOp& o = req.ops.emplace_back();
            if (!op(s, o)) return false;
            if (req.ops.size() > 1 && o.seq <= req.ops[req.ops.size() - 2].seq) return false;
        } while (s.eat(','));
        return s.eat(']');
    });
    if (!ok || seen != (kKioskId | kOps) || !s.atEnd()) return std::nullopt;
    return req;
}

PushRequest readPushRequest(std::string_view body, size_t maxOps) {
    if (auto fast = scanPushRequest(body, maxOps)) return std::move(*fast);
    return parsePushRequest(parseJson(body), maxOps);
}

}  // namespace fadaa::server
