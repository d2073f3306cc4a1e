// core/registration/validation.hpp - checks on what a resident typed, as translation keys.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/model.hpp"
#include "registration/registration.hpp"

namespace fadaa {

// Moroccan phone numbers in any usual form ("06 12 34 56 78", "0612345678", "+212 6...",
// "00212 6...", "212...") to E.164 ("+212612345678"); nullopt if it is not a Moroccan mobile or
// fixed number.
std::optional<std::string> normalizeMoroccanPhone(std::string_view typed);

// True when text is well-formed UTF-8 (no overlongs, no surrogates, nothing above U+10FFFF).
bool isValidUtf8(std::string_view text);

// The key that identifies one person for duplicate detection: E.164 phone + name folded
// (case, accents, spaces).
std::string personKey(std::string_view e164Phone, std::string_view name);

// Checks name, phone and answers against the event's form definition. Returns every problem.
std::vector<FieldError> validateRequest(const RegistrationRequest& request,
                                        const std::vector<FormField>& form);

}  // namespace fadaa
