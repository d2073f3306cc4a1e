// core/registration/validation.cpp - name, phone and form-answer checks (see validation.hpp).
#include "registration/validation.hpp"

#include <algorithm>
#include <cstdint>

#include "catalogue/search_text.hpp"
#include "i18n/utf8.hpp"

namespace fadaa {
namespace {

// The code points of text, or nullopt when it is not well-formed UTF-8.
std::optional<std::u32string> decodeUtf8(std::string_view text) {
    if (utf8::firstInvalid(text)) return std::nullopt;
    return utf8::decode(text);
}

// Unicode space separators (Zs): collapsed to one ASCII space in names and answers.
bool isSpace(char32_t cp) {
    return cp == 0x20 || cp == 0xA0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200A) ||
           cp == 0x202F || cp == 0x205F || cp == 0x3000;
}

// Invisible marks that only steer display (LRM, RLM, ALM, BOM/ZWNBSP). An Arabic keyboard or a
// copied contact may add them; they carry no meaning, so they are dropped rather than refused.
bool isDroppedMark(char32_t cp) {
    return cp == 0x200E || cp == 0x200F || cp == 0x061C || cp == 0xFEFF;
}

// Characters never accepted in a name or a text answer: C0/C1 controls (tab and newline
// included: no kiosk keyboard types them), bidi embeddings/overrides/isolates (they can make
// text read differently on screen than in the store), line/paragraph separators, interlinear
// annotation controls and noncharacters.
bool isForbidden(char32_t cp) {
    return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || (cp >= 0x202A && cp <= 0x202E) ||
           (cp >= 0x2066 && cp <= 0x2069) || cp == 0x2028 || cp == 0x2029 ||
           (cp >= 0xFFF9 && cp <= 0xFFFB) || (cp >= 0xFDD0 && cp <= 0xFDEF) ||
           (cp & 0xFFFE) == 0xFFFE;
}

// A rough "is a letter" without ICU: ASCII letters, and any code point from U+00C0 up that is
// not a digit, punctuation, symbol, combining mark, emoji or private use. Enough to refuse a
// "name" made only of digits, dots or emoji, which is what it is for.
bool isLetter(char32_t cp) {
    if ((cp >= 'A' && cp <= 'Z') || (cp >= 'a' && cp <= 'z')) return true;
    if (cp < 0xC0 || cp == 0xD7 || cp == 0xF7) return false;
    if (cp >= 0x0300 && cp <= 0x036F) return false;  // combining diacritics
    if ((cp >= 0x0600 && cp <= 0x061F) || (cp >= 0x064B && cp <= 0x066D) || cp == 0x0670 ||
        cp == 0x06D4 || (cp >= 0x06D6 && cp <= 0x06ED) || (cp >= 0x06F0 && cp <= 0x06F9))
        return false;                                  // Arabic marks, digits
    if (cp >= 0x2000 && cp <= 0x2BFF) return false;    // punctuation, symbols
    if (cp >= 0x3000 && cp <= 0x303F) return false;    // CJK punctuation
    if (cp >= 0xE000 && cp <= 0xF8FF) return false;    // private use
    if (cp >= 0xFE00 && cp <= 0xFE2F) return false;    // variation selectors
    if (cp >= 0xFF00 && cp <= 0xFF20) return false;    // fullwidth punct, digits
    if (cp >= 0x1F000 && cp <= 0x1FAFF) return false;  // emoji and pictographs
    if (cp >= 0xF0000) return false;                   // private use planes
    return true;
}

// The decimal value of an ASCII, Arabic-Indic or Eastern Arabic-Indic digit, or -1.
int digitValue(char32_t cp) {
    if (cp >= '0' && cp <= '9') return static_cast<int>(cp - '0');
    if (cp >= 0x0660 && cp <= 0x0669) return static_cast<int>(cp - 0x0660);
    if (cp >= 0x06F0 && cp <= 0x06F9) return static_cast<int>(cp - 0x06F0);
    return -1;
}

// Trims, collapses spaces and drops display marks, on decoded text.
std::u32string cleanCodePoints(const std::u32string& in) {
    std::u32string out;
    bool pendingSpace = false;
    for (char32_t cp : in) {
        if (isDroppedMark(cp)) continue;
        if (isSpace(cp)) {
            pendingSpace = !out.empty();
            continue;
        }
        if (pendingSpace) out.push_back(U' ');
        pendingSpace = false;
        out.push_back(cp);
    }
    return out;
}

bool anyForbidden(const std::u32string& text) {
    return std::any_of(text.begin(), text.end(), isForbidden);
}

// A whole number in plain or Arabic-Indic digits with an optional sign; nullopt when it is not
// one, or has more than 18 digits (so it always fits in int64).
std::optional<std::int64_t> parseWholeNumber(const std::u32string& text) {
    size_t i = 0;
    bool negative = false;
    if (i < text.size() && (text[i] == U'+' || text[i] == U'-' || text[i] == 0x2212)) {
        negative = text[i] != U'+';
        ++i;
    }
    if (i == text.size() || text.size() - i > 18) return std::nullopt;
    std::int64_t value = 0;
    for (; i < text.size(); ++i) {
        int d = digitValue(text[i]);
        if (d < 0) return std::nullopt;
        value = value * 10 + d;
    }
    return negative ? -value : value;
}

std::string asciiLower(std::string text) {
    for (char& c : text)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return text;
}

// Checks one answer against its field. Returns the error key, or "" with `out` normalised.
std::string checkAnswer(const FormField& field, const std::u32string& value, std::string& out) {
    std::string text = utf8::encode(value);
    switch (field.type) {
        case FieldType::Text:
            if (anyForbidden(value)) return "error.field.invalid";
            if (static_cast<std::int64_t>(value.size()) > field.maxLength)
                return "error.field.too_long";
            out = text;
            return {};
        case FieldType::Number: {
            std::u32string compact;
            for (char32_t cp : value)
                if (cp != U' ') compact.push_back(cp);  // "1 850" as some write ratings
            auto number = parseWholeNumber(compact);
            if (!number) return "error.field.not_a_number";
            if ((field.min && *number < *field.min) || (field.max && *number > *field.max))
                return "error.field.out_of_range";
            out = std::to_string(*number);
            return {};
        }
        case FieldType::Choice:
            for (const FormChoice& choice : field.choices) {
                if (choice.value == text) {
                    out = text;
                    return {};
                }
            }
            return "error.field.bad_choice";
        case FieldType::Phone: {
            auto phone = normalizeMoroccanPhone(text);
            if (!phone) return "error.phone.invalid";
            out = *phone;
            return {};
        }
        case FieldType::Boolean: {
            std::string word = asciiLower(text);
            if (word == "yes" || word == "true" || word == "1")
                out = "true";
            else if (word == "no" || word == "false" || word == "0")
                out = "false";
            else
                return "error.field.bad_choice";
            return {};
        }
    }
    return "error.field.invalid";
}

void checkName(const std::string& typed, std::vector<FieldError>& errors, std::string& out) {
    auto decoded = decodeUtf8(typed);
    if (!decoded) {
        errors.push_back({"name", "error.text.invalid_utf8"});
        return;
    }
    std::u32string name = cleanCodePoints(*decoded);
    const char* key = nullptr;
    if (name.empty())
        key = "error.name.required";
    else if (anyForbidden(name))
        key = "error.name.invalid";
    else if (name.size() < static_cast<size_t>(kNameMinLength))
        key = "error.name.too_short";
    else if (name.size() > static_cast<size_t>(kNameMaxLength))
        key = "error.name.too_long";
    else if (std::none_of(name.begin(), name.end(), isLetter))
        key = "error.name.invalid";
    if (key)
        errors.push_back({"name", key});
    else
        out = utf8::encode(name);
}

void checkPhone(const std::string& typed, std::vector<FieldError>& errors, std::string& out) {
    auto decoded = decodeUtf8(typed);
    if (!decoded) {
        errors.push_back({"phone", "error.text.invalid_utf8"});
        return;
    }
    if (cleanCodePoints(*decoded).empty()) {
        errors.push_back({"phone", "error.phone.required"});
        return;
    }
    auto phone = normalizeMoroccanPhone(typed);
    if (!phone)
        errors.push_back({"phone", "error.phone.invalid"});
    else
        out = *phone;
}

void checkAgeBand(const std::optional<std::string>& typed, std::vector<FieldError>& errors,
                  std::optional<std::string>& out) {
    if (!typed) return;
    auto decoded = decodeUtf8(*typed);
    if (!decoded) {
        errors.push_back({"age_band", "error.text.invalid_utf8"});
        return;
    }
    std::u32string band = cleanCodePoints(*decoded);
    if (band.empty()) return;
    if (anyForbidden(band) || band.size() > static_cast<size_t>(kAgeBandMaxLength)) {
        errors.push_back({"age_band", "error.age_band.invalid"});
        return;
    }
    out = utf8::encode(band);
}

}  // namespace

std::optional<std::string> normalizeMoroccanPhone(std::string_view typed) {
    if (typed.size() > 64) return std::nullopt;  // no phone number is that long, however typed
    auto decoded = decodeUtf8(typed);
    if (!decoded) return std::nullopt;
    std::string digits;
    bool plus = false;
    for (char32_t cp : *decoded) {
        int d = digitValue(cp);
        if (d >= 0) {
            digits.push_back(static_cast<char>('0' + d));
        } else if (cp == U'+') {
            if (plus || !digits.empty()) return std::nullopt;  // '+' only before the digits
            plus = true;
        } else if (!(isSpace(cp) || isDroppedMark(cp) || cp == U'-' || cp == U'.' || cp == U'/' ||
                     cp == U'(' || cp == U')' || cp == 0x2010 || cp == 0x2011)) {
            return std::nullopt;
        }
    }
    auto startsWith = [&](std::string_view prefix) { return digits.rfind(prefix, 0) == 0; };
    std::string national;
    bool international = true;
    if (plus) {
        if (!startsWith("212")) return std::nullopt;
        national = digits.substr(3);
    } else if (startsWith("00212")) {
        national = digits.substr(5);
    } else if (startsWith("212") && digits.size() >= 12) {
        national = digits.substr(3);
    } else {
        international = false;
        national = startsWith("0") ? digits.substr(1) : digits;
        if (digits.size() != 10 && digits.size() != 9) return std::nullopt;
        if (digits.size() == 9 && startsWith("0")) return std::nullopt;
    }
    // "+212 (0)6 12 .." and "00212 06 .." keep the trunk 0 after the country code.
    if (international && national.size() == 10 && national[0] == '0') national.erase(0, 1);
    if (national.size() != 9 || national[0] < '5' || national[0] > '8') return std::nullopt;
    return "+212" + national;
}

bool isValidUtf8(std::string_view text) {
    return !utf8::firstInvalid(text).has_value();
}

std::optional<std::string> cleanName(std::string_view typed) {
    auto decoded = decodeUtf8(typed);
    if (!decoded) return std::nullopt;
    return utf8::encode(cleanCodePoints(*decoded));
}

std::string personKey(std::string_view e164Phone, std::string_view name) {
    // One pass over the name, equal to normalizeForSearch(cleanName(name)) with separators
    // dropped: the spaces cleanName collapses are separators anyway, the marks it drops are
    // dropped, and folding never turns a code point into a separator other than itself
    // (appendFoldedForSearch). It ran as four passes, each decoding or encoding the whole name
    // again: 5.7% of the server's instructions in a 10k push (callgrind).
    // Not well-formed UTF-8 (never for a validated name): cleanName fails and the name is
    // folded as it is, bad bytes dropped.
    const bool valid = !utf8::firstInvalid(name);
    std::string key;
    key.reserve(e164Phone.size() + 1 + name.size());
    key.append(e164Phone);
    key.push_back('|');
    size_t i = 0;
    while (i < name.size()) {
        std::optional<char32_t> cp = utf8::next(name, i);
        if (!cp || (valid && (isSpace(*cp) || isDroppedMark(*cp)))) continue;
        bool separator = *cp == U' ' || *cp == U'-' || *cp == U'\'' || *cp == U'.' ||
                         *cp == 0x2019 || *cp == 0x02BC || (*cp >= 0x2010 && *cp <= 0x2015);
        if (!separator) appendFoldedForSearch(key, *cp);
    }
    return key;
}

ValidatedRequest checkRequest(const RegistrationRequest& request,
                              const std::vector<FormField>& form) {
    ValidatedRequest result;
    RegistrationRequest& cleaned = result.cleaned;
    std::vector<FieldError>& errors = result.errors;
    cleaned.sessionId = request.sessionId;
    checkName(request.name, errors, cleaned.name);
    checkPhone(request.phone, errors, cleaned.phone);
    checkAgeBand(request.ageBand, errors, cleaned.ageBand);

    for (const FormField& field : form) {
        auto it = request.answers.find(field.key);
        if (it == request.answers.end()) {
            if (field.required) errors.push_back({field.key, "error.field.required"});
            continue;
        }
        auto decoded = decodeUtf8(it->second);
        if (!decoded) {
            errors.push_back({field.key, "error.text.invalid_utf8"});
            continue;
        }
        std::u32string value = cleanCodePoints(*decoded);
        if (value.empty()) {
            if (field.required) errors.push_back({field.key, "error.field.required"});
            continue;
        }
        std::string normalised;
        std::string key = checkAnswer(field, value, normalised);
        if (!key.empty())
            errors.push_back({field.key, std::move(key)});
        else
            cleaned.answers[field.key] = std::move(normalised);
    }
    for (const auto& [key, value] : request.answers) {
        bool known =
            std::any_of(form.begin(), form.end(), [&](const FormField& f) { return f.key == key; });
        if (known) continue;
        if (!isValidUtf8(key))
            errors.push_back({"answers", "error.text.invalid_utf8"});
        else
            errors.push_back({key, "error.field.unknown"});
    }
    return result;
}

std::vector<FieldError> validateRequest(const RegistrationRequest& request,
                                        const std::vector<FormField>& form) {
    return checkRequest(request, form).errors;
}

}  // namespace fadaa
