// tests/unit/phone_test.cpp - Moroccan phone numbers in the forms residents type, to E.164.
#include <catch2/catch.hpp>

#include "registration/validation.hpp"

using namespace fadaa;

TEST_CASE("usual ways of writing a Moroccan mobile all give the same E.164 number") {
    const char* forms[] = {
        "06 12 34 56 78",
        "0612345678",
        "06.12.34.56.78",
        "0612-34-56-78",
        "06-12-34-56-78",
        "+212 6 12 34 56 78",
        "+212612345678",
        "00212 6 12 34 56 78",
        "00212612345678",
        "212 6 12 34 56 78",
        "212612345678",
        "(+212) 6-12-34-56-78",
        "+212 (0)6 12 34 56 78",
        "00212 06 12 34 56 78",
        "  06 12 34 56 78  ",
        "06\u00a012\u00a034\u00a056\u00a078",  // no-break spaces
        "\u200f06 12 34 56 78",                // a right-to-left mark from an Arabic UI
        "\u0660\u0666\u0661\u0662\u0663\u0664\u0665\u0666\u0667\u0668",  // Arabic-Indic digits
        "\u06f0\u06f6\u06f1\u06f2\u06f3\u06f4\u06f5\u06f6\u06f7\u06f8",  // Eastern Arabic-Indic
        "612345678",  // national number without the 0
    };
    for (const char* typed : forms) {
        INFO(typed);
        CHECK(normalizeMoroccanPhone(typed) == std::optional<std::string>("+212612345678"));
    }
}

TEST_CASE("mobile 07 and fixed 05 and 08 numbers are accepted") {
    CHECK(normalizeMoroccanPhone("07 00 11 22 33") == std::optional<std::string>("+212700112233"));
    CHECK(normalizeMoroccanPhone("0524 12 34 56") == std::optional<std::string>("+212524123456"));
    CHECK(normalizeMoroccanPhone("+212 5 37 12 34 56") ==
          std::optional<std::string>("+212537123456"));
    CHECK(normalizeMoroccanPhone("0808 12 34 56") == std::optional<std::string>("+212808123456"));
}

TEST_CASE("numbers of other lengths or prefixes or countries are refused") {
    const char* refused[] = {
        "",                     // nothing
        "   ",                  // spaces only
        "061234567",            // 9 digits with the trunk 0: one missing
        "06123456789",          // one too many
        "0112345678",           // 01 is no Moroccan range
        "0212345678",           // 02 neither
        "0912345678",           // nor 09
        "+33 6 12 34 56 78",    // French
        "0033612345678",        // French, international
        "+212 6 12 34 56 7",    // short after the country code
        "+212 6 12 34 56 789",  // long after the country code
        "+212 1 12 34 56 78",   // bad range after the country code
        "212345678",            // looks like 212 but is a 9-digit number starting with 2
        "06 12 34 56 7a",       // a letter
        "06 12 34 + 56 78",     // a plus in the middle
        "++212612345678",       // two plus signs
        "6123456789",           // 10 digits without a leading 0
        "tel: 0612345678",      // words
        "0612345678 ext 2",     // extension
        "\xff\xfe",             // not UTF-8
    };
    for (const char* typed : refused) {
        INFO(typed);
        CHECK_FALSE(normalizeMoroccanPhone(typed).has_value());
    }
    CHECK_FALSE(normalizeMoroccanPhone(std::string(200, '0')).has_value());
}

TEST_CASE("a phone answer and the phone field are both normalised on registration checks") {
    FormField guardian;
    guardian.key = "guardian_phone";
    guardian.type = FieldType::Phone;
    RegistrationRequest r;
    r.name = "Sara";
    r.phone = "00212 7 00 11 22 33";
    r.answers["guardian_phone"] = "06-12-34-56-78";
    auto checked = checkRequest(r, {guardian});
    REQUIRE(checked.errors.empty());
    CHECK(checked.cleaned.phone == "+212700112233");
    CHECK(checked.cleaned.answers.at("guardian_phone") == "+212612345678");

    r.answers["guardian_phone"] = "12345";
    auto errors = validateRequest(r, {guardian});
    REQUIRE(errors.size() == 1);
    CHECK(errors[0].field == "guardian_phone");
    CHECK(errors[0].messageKey == "error.phone.invalid");
}
