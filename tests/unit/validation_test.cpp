// tests/unit/validation_test.cpp - what a resident typed, checked into translation keys.
#include <catch2/catch.hpp>

#include <random>
#include <string>

#include "catalogue/search_text.hpp"
#include "i18n/utf8.hpp"
#include "registration/validation.hpp"

using namespace fadaa;

namespace {

RegistrationRequest validRequest() {
    RegistrationRequest r;
    r.sessionId = "s1";
    r.name = "Fatima Zahra";
    r.phone = "0612345678";
    return r;
}

// The errors of a request whose only problem is in `name`.
std::vector<FieldError> nameErrors(const std::string& name) {
    RegistrationRequest r = validRequest();
    r.name = name;
    return validateRequest(r, {});
}

std::string onlyKey(const std::vector<FieldError>& errors) {
    if (errors.size() != 1) return "<" + std::to_string(errors.size()) + " errors>";
    return errors[0].messageKey;
}

FormField field(std::string key, FieldType type, bool required = false) {
    FormField f;
    f.key = std::move(key);
    f.type = type;
    f.required = required;
    return f;
}

// A chess competition's form: section (choice), rating (number), club (text), minor (boolean).
std::vector<FormField> chessForm() {
    FormField section = field("section", FieldType::Choice, true);
    section.choices = {{"u12", {}}, {"u16", {}}, {"open", {}}};
    FormField rating = field("rating", FieldType::Number);
    rating.min = 0;
    rating.max = 3000;
    FormField club = field("club", FieldType::Text);
    club.maxLength = 10;
    return {section, rating, club, field("minor", FieldType::Boolean)};
}

}  // namespace

TEST_CASE("UTF-8 is checked strictly") {
    CHECK(isValidUtf8(""));
    CHECK(isValidUtf8("Théâtre مسرح ⵜⴰⵎⴰⵣⵉⵖⵜ 🎭"));
    CHECK(isValidUtf8("\xf4\x8f\xbf\xbf"));        // U+10FFFF, the last scalar value
    CHECK_FALSE(isValidUtf8("\xc0\xaf"));          // overlong '/'
    CHECK_FALSE(isValidUtf8("\xc1\xbf"));          // overlong
    CHECK_FALSE(isValidUtf8("\xe0\x80\xaf"));      // overlong, 3 bytes
    CHECK_FALSE(isValidUtf8("\xf0\x80\x80\xaf"));  // overlong, 4 bytes
    CHECK_FALSE(isValidUtf8("\xed\xa0\x80"));      // U+D800, a surrogate
    CHECK_FALSE(isValidUtf8("\xed\xbf\xbf"));      // U+DFFF
    CHECK_FALSE(isValidUtf8("\xf4\x90\x80\x80"));  // above U+10FFFF
    CHECK_FALSE(isValidUtf8("\xf5\x80\x80\x80"));
    CHECK_FALSE(isValidUtf8("\x80"));          // a lone continuation byte
    CHECK_FALSE(isValidUtf8("abc\xe2\x82"));   // truncated at the end
    CHECK_FALSE(isValidUtf8("\xe2\x28\xa1"));  // bad continuation
    CHECK_FALSE(isValidUtf8("\xff"));
}

TEST_CASE("a valid request has no errors and is cleaned for the store") {
    RegistrationRequest r = validRequest();
    r.name = "  Fatima \u00a0  Zahra\u200f ";
    r.phone = "+212 6 12 34 56 78";
    r.ageBand = "  adult ";
    r.answers = {{"section", "open"}, {"rating", " 1\u00a0850 "}, {"minor", "No"}, {"club", ""}};
    auto checked = checkRequest(r, chessForm());
    REQUIRE(checked.errors.empty());
    CHECK(checked.cleaned.name == "Fatima Zahra");
    CHECK(checked.cleaned.phone == "+212612345678");
    CHECK(checked.cleaned.ageBand == std::optional<std::string>("adult"));
    CHECK(checked.cleaned.answers == std::map<std::string, std::string>{{"section", "open"},
                                                                        {"rating", "1850"},
                                                                        {"minor", "false"}});
}

TEST_CASE("name: required and 2 to 80 characters and printable with a letter") {
    CHECK(nameErrors("").at(0).field == "name");
    CHECK(onlyKey(nameErrors("")) == "error.name.required");
    CHECK(onlyKey(nameErrors("   \u00a0 ")) == "error.name.required");
    CHECK(onlyKey(nameErrors("A")) == "error.name.too_short");
    CHECK(onlyKey(nameErrors(" م ")) == "error.name.too_short");
    CHECK(nameErrors("Al").empty());
    CHECK(nameErrors("عمر").empty());
    CHECK(nameErrors("ⵜⵉⵍⴻⵍⵍⵉ").empty());
    CHECK(nameErrors("Aït-Ali O'Brien").empty());

    // Length is counted in code points, not bytes: 80 Arabic letters (160 bytes) pass.
    std::string arabic80;
    for (int i = 0; i < 80; ++i) arabic80 += "ب";
    CHECK(nameErrors(arabic80).empty());
    CHECK(onlyKey(nameErrors(arabic80 + "ب")) == "error.name.too_long");
    CHECK(onlyKey(nameErrors(std::string(81, 'a'))) == "error.name.too_long");
    // Spaces collapse before counting.
    CHECK(nameErrors(std::string(40, 'a') + std::string(30, ' ') + std::string(39, 'b')).empty());

    CHECK(onlyKey(nameErrors("Ali\tBen")) == "error.name.invalid");
    CHECK(onlyKey(nameErrors("Ali\nBen")) == "error.name.invalid");
    CHECK(onlyKey(nameErrors(std::string("Ali\0Ben", 7))) == "error.name.invalid");
    CHECK(onlyKey(nameErrors("Ali\x7f")) == "error.name.invalid");
    CHECK(onlyKey(nameErrors("Ali \u202e nhoJ")) == "error.name.invalid");    // RTL override
    CHECK(onlyKey(nameErrors("Ali \u2066x\u2069")) == "error.name.invalid");  // isolate
    CHECK(onlyKey(nameErrors("12345")) == "error.name.invalid");
    CHECK(onlyKey(nameErrors("١٢٣")) == "error.name.invalid");  // Arabic-Indic digits
    CHECK(onlyKey(nameErrors("...")) == "error.name.invalid");
    CHECK(onlyKey(nameErrors("🎭🎭")) == "error.name.invalid");
    CHECK(onlyKey(nameErrors("Ali\xc0\xaf")) == "error.text.invalid_utf8");
    CHECK(onlyKey(nameErrors("\xed\xa0\x80xx")) == "error.text.invalid_utf8");
}

TEST_CASE("cleanName trims and collapses spaces and drops direction marks") {
    CHECK(cleanName("  a \u3000\u2009 b  ") == std::optional<std::string>("a b"));
    CHECK(cleanName("\u200fسارة\u200f") == std::optional<std::string>("سارة"));
    CHECK(cleanName("") == std::optional<std::string>(""));
    CHECK_FALSE(cleanName("\xc3").has_value());
}

TEST_CASE("phone: required and Moroccan") {
    RegistrationRequest r = validRequest();
    r.phone = "  ";
    auto errors = validateRequest(r, {});
    REQUIRE(errors.size() == 1);
    CHECK(errors[0].field == "phone");
    CHECK(errors[0].messageKey == "error.phone.required");
    r.phone = "+33 6 12 34 56 78";
    CHECK(onlyKey(validateRequest(r, {})) == "error.phone.invalid");
    r.phone = "06\xff";
    CHECK(onlyKey(validateRequest(r, {})) == "error.text.invalid_utf8");
}

TEST_CASE("age band: optional and short and printable") {
    RegistrationRequest r = validRequest();
    r.ageBand = "   ";
    auto checked = checkRequest(r, {});
    CHECK(checked.errors.empty());
    CHECK_FALSE(checked.cleaned.ageBand.has_value());
    r.ageBand = std::string(21, 'x');
    CHECK(onlyKey(validateRequest(r, {})) == "error.age_band.invalid");
    r.ageBand = "a\x01";
    CHECK(onlyKey(validateRequest(r, {})) == "error.age_band.invalid");
    r.ageBand = "\xc0\x80";
    CHECK(onlyKey(validateRequest(r, {})) == "error.text.invalid_utf8");
}

TEST_CASE("every problem is reported at once in a stable order") {
    RegistrationRequest r;
    r.name = "";
    r.phone = "123";
    r.answers = {{"zzz", "1"}, {"rating", "abc"}};
    auto errors = validateRequest(r, chessForm());
    REQUIRE(errors.size() == 5);
    CHECK(errors[0].field == "name");
    CHECK(errors[1].field == "phone");
    CHECK(errors[2].field == "section");
    CHECK(errors[2].messageKey == "error.field.required");
    CHECK(errors[3].field == "rating");
    CHECK(errors[3].messageKey == "error.field.not_a_number");
    CHECK(errors[4].field == "zzz");
    CHECK(errors[4].messageKey == "error.field.unknown");
}

TEST_CASE("answers are checked against the event's form definition") {
    auto answerError = [](std::map<std::string, std::string> answers) {
        RegistrationRequest r = validRequest();
        r.answers = std::move(answers);
        if (!r.answers.count("section")) r.answers["section"] = "u12";
        return validateRequest(r, chessForm());
    };
    SECTION("required") {
        CHECK(onlyKey(answerError({{"section", ""}})) == "error.field.required");
        CHECK(onlyKey(answerError({{"section", "  "}})) == "error.field.required");
        CHECK(answerError({}).empty());  // optional fields may be left out
    }
    SECTION("number: whole, within min and max") {
        CHECK(answerError({{"rating", "0"}}).empty());
        CHECK(answerError({{"rating", "3000"}}).empty());
        CHECK(answerError({{"rating", "١٥٠٠"}}).empty());  // Arabic-Indic digits
        CHECK(onlyKey(answerError({{"rating", "3001"}})) == "error.field.out_of_range");
        CHECK(onlyKey(answerError({{"rating", "-1"}})) == "error.field.out_of_range");
        CHECK(onlyKey(answerError({{"rating", "99999999999999999999"}})) ==
              "error.field.not_a_number");
        CHECK(onlyKey(answerError({{"rating", "12.5"}})) == "error.field.not_a_number");
        CHECK(onlyKey(answerError({{"rating", "1e3"}})) == "error.field.not_a_number");
        CHECK(onlyKey(answerError({{"rating", "-"}})) == "error.field.not_a_number");
        CHECK(onlyKey(answerError({{"rating", "twelve"}})) == "error.field.not_a_number");
    }
    SECTION("choice: one of the choices, exactly") {
        CHECK(answerError({{"section", "u16"}}).empty());
        CHECK(onlyKey(answerError({{"section", "U16"}})) == "error.field.bad_choice");
        CHECK(onlyKey(answerError({{"section", "senior"}})) == "error.field.bad_choice");
    }
    SECTION("boolean: yes/no/true/false/1/0") {
        for (const char* yes : {"yes", "YES", "true", "1", "no", "False", "0"})
            CHECK(answerError({{"minor", yes}}).empty());
        CHECK(onlyKey(answerError({{"minor", "maybe"}})) == "error.field.bad_choice");
        CHECK(onlyKey(answerError({{"minor", "2"}})) == "error.field.bad_choice");
    }
    SECTION("text: max_length in code points, printable") {
        CHECK(answerError({{"club", "نادي    بنجر"}}).empty());  // 9 once spaces collapse
        CHECK(answerError({{"club", "ناديبنجرير"}}).empty());    // 10 code points, 20 bytes
        CHECK(onlyKey(answerError({{"club", "ناديبنجريرر"}})) == "error.field.too_long");
        CHECK(onlyKey(answerError({{"club", "a\x1b[31m"}})) == "error.field.invalid");
        CHECK(onlyKey(answerError({{"club", "ab\xe0\x80\x80"}})) == "error.text.invalid_utf8");
    }
    SECTION("unknown keys are refused") {
        auto errors = answerError({{"fide_id", "123"}});
        REQUIRE(errors.size() == 1);
        CHECK(errors[0].field == "fide_id");
        CHECK(errors[0].messageKey == "error.field.unknown");
        errors = answerError({{"k\xff", "1"}});
        REQUIRE(errors.size() == 1);
        CHECK(errors[0].field == "answers");
        CHECK(errors[0].messageKey == "error.text.invalid_utf8");
    }
}

TEST_CASE("personKey ignores case and spacing and punctuation of the name but not the phone") {
    std::string key = personKey("+212612345678", "Aït-Ali Sara");
    CHECK(personKey("+212612345678", "  aït  ali   SARA ") == key);
    CHECK(personKey("+212612345678", "AïtAli Sara") == key);
    CHECK(personKey("+212612345678", "Ait Ali Sara") == personKey("+212612345678", "ait ali sara"));
    CHECK(personKey("+212612345678", "Aït-Ali Samir") != key);
    CHECK(personKey("+212700112233", "Aït-Ali Sara") != key);
    CHECK(personKey("+212612345678", "سارة") == personKey("+212612345678", " سارة "));
}

// personKey's definition, written as it reads (and as personKey once ran it): the cleaned name
// folded for search, separators dropped. Keys are stored on kiosks and the server, so the
// one-pass personKey must give these exact bytes for any name.
namespace {
std::string personKeyAsDefined(std::string_view phone, std::string_view name) {
    std::string folded = normalizeForSearch(cleanName(name).value_or(std::string(name)));
    std::string key(phone);
    key.push_back('|');
    size_t i = 0;
    while (i < folded.size()) {
        std::optional<char32_t> cp = utf8::next(folded, i);
        if (!cp) continue;
        bool separator = *cp == U' ' || *cp == U'-' || *cp == U'\'' || *cp == U'.' ||
                         *cp == 0x2019 || *cp == 0x02BC || (*cp >= 0x2010 && *cp <= 0x2015);
        if (!separator) utf8::append(key, *cp);
    }
    return key;
}
}  // namespace

TEST_CASE("personKey gives the key its definition gives, for any name") {
    // Code points from every class the definition treats apart: ASCII letters, digits and
    // separators; Unicode spaces and dropped marks; combining accents; invisible characters;
    // Latin letters folded to one or two; Arabic letters, variants, harakat, tatweel, digits;
    // typographic apostrophes and dashes; Tifinagh; an emoji.
    const std::u32string alphabet =
        U"aZm09 -'.,_\u00A0\u2003\u3000\u200E\u200F\u061C\uFEFF\u0301\u0327\u200B\u00AD"
        U"\u2060\u00C9\u00EF\u00E7\u00C6\u00DF\u0152\u0133\u00D7\u0627\u0623\u0629"
        U"\u0649\u064E\u0651\u0640\u0670\u0663\u06F5\u06CC\u2019\u02BC\u2010\u2014"
        U"\u2D30\u2D4F\U0001F600";
    std::mt19937 rng(20261130);
    std::uniform_int_distribution<size_t> pick(0, alphabet.size() - 1), length(0, 12);
    std::uniform_int_distribution<int> percent(0, 99);
    for (int n = 0; n < 20000; ++n) {
        std::string name;
        for (size_t k = length(rng); k > 0; --k) {
            if (percent(rng) == 0)
                name.push_back(static_cast<char>(0xC3));  // a truncated sequence: not UTF-8
            else
                utf8::append(name, alphabet[pick(rng)]);
        }
        INFO("name bytes: " << name.size());
        REQUIRE(personKey("+212612345678", name) == personKeyAsDefined("+212612345678", name));
    }
}
