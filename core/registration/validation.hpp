// core/registration/validation.hpp - checks on what a resident typed, as translation keys.
//
// Every problem is reported as a FieldError whose messageKey is a key into the per-language
// translation files (assets/i18n/*.json), never an English sentence. The complete list of keys
// this module and RegistrationService return, for translators:
//
//   error.name.required          the name is empty (or only spaces)
//   error.name.too_short         fewer than 2 characters (code points) after trimming
//   error.name.too_long          more than 80 characters (code points)
//   error.name.invalid           control or bidi-override characters, or no letter at all
//   error.phone.required         the phone number is empty
//   error.phone.invalid          not a Moroccan mobile or fixed number (also for form fields
//                                of type phone; FieldError::field then names the form field)
//   error.age_band.invalid       age band longer than 20 characters or with control characters
//   error.field.required         a required form field was left empty
//   error.field.not_a_number     a number field holds something else than a whole number
//   error.field.out_of_range     a number below the field's min or above its max
//   error.field.bad_choice       a value that is not one of the field's choices (choice), or
//                                not yes/no (boolean)
//   error.field.too_long         text longer than the field's max_length (code points)
//   error.field.invalid          text with control or bidi-override characters
//   error.field.unknown          an answer for a field the event's form does not have
//   error.text.invalid_utf8      any text (name, phone, answer, answer key) that is not
//                                well-formed UTF-8
//   error.session.not_found      no such session in this store
//   error.session.cancelled      the session was cancelled
//   error.session.closed         registration has closed (reg_closes_at, default the start)
//   error.session.not_open_yet   registration opens later (reg_opens_at)
//   error.session.no_registration  the event takes no registration (just come)
//
// FieldError::field is "name", "phone", "age_band", "session", "answers" (for an answer key
// that is not valid UTF-8) or the form field's key.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/model.hpp"
#include "registration/registration.hpp"

namespace fadaa {

// Every key above, for a test that each language file has them all.
inline constexpr std::string_view kRegistrationMessageKeys[] = {
    "error.name.required",        "error.name.too_short",          "error.name.too_long",
    "error.name.invalid",         "error.phone.required",          "error.phone.invalid",
    "error.age_band.invalid",     "error.field.required",          "error.field.not_a_number",
    "error.field.out_of_range",   "error.field.bad_choice",        "error.field.too_long",
    "error.field.invalid",        "error.field.unknown",           "error.text.invalid_utf8",
    "error.session.not_found",    "error.session.cancelled",       "error.session.closed",
    "error.session.not_open_yet", "error.session.no_registration",
};

// Limits on a name, in code points, after trimming and collapsing spaces.
inline constexpr int kNameMinLength = 2;
inline constexpr int kNameMaxLength = 80;
inline constexpr int kAgeBandMaxLength = 20;

// Moroccan phone numbers in any usual form ("06 12 34 56 78", "0612345678", "+212 6...",
// "00212 6...", "212 6...", "(+212) 6-12-34-56-78", "+212 (0)6...", Arabic-Indic digits) to
// E.164 ("+212612345678"). Accepted: 9 national digits starting with 5 (fixed), 6 or 7 (mobile)
// or 8 (fixed/VoIP). nullopt for anything else (other lengths, prefixes, letters).
std::optional<std::string> normalizeMoroccanPhone(std::string_view typed);

// True when text is well-formed UTF-8 (no overlongs, no surrogates, nothing above U+10FFFF).
bool isValidUtf8(std::string_view text);

// A name as it is stored: trimmed, runs of spaces (any Unicode space) collapsed to one ASCII
// space. Does not validate; nullopt only when typed is not valid UTF-8.
std::optional<std::string> cleanName(std::string_view typed);

// The key that identifies one person for duplicate detection: E.164 phone + name folded
// (case, accents, Arabic letter forms via normalizeForSearch; spaces, hyphens, apostrophes and
// dots dropped), so "Aït-Ali  Sara" and "ait ali sara" with the same phone are one person.
std::string personKey(std::string_view e164Phone, std::string_view name);

// Checks name, phone and answers against the event's form definition. Returns every problem,
// in a stable order: name, phone, age band, form fields in form order, unknown answer keys.
std::vector<FieldError> validateRequest(const RegistrationRequest& request,
                                        const std::vector<FormField>& form);

// validateRequest plus the cleaned request to store when there are no errors: name cleaned,
// phone in E.164, age band trimmed (empty -> nullopt), answers trimmed and normalised (numbers
// in plain decimal, phones in E.164, booleans "true"/"false"), empty optional answers dropped.
struct ValidatedRequest {
    std::vector<FieldError> errors;
    RegistrationRequest cleaned;  // meaningful only when errors is empty
};
ValidatedRequest checkRequest(const RegistrationRequest& request,
                              const std::vector<FormField>& form);

}  // namespace fadaa
