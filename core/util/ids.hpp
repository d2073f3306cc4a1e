// core/util/ids.hpp - identifiers: UUIDv7 for ids that leave the device, Crockford base32
// codes for people.
#pragma once

#include <string>
#include <string_view>

namespace fadaa {

// A new UUIDv7 (RFC 9562): 48-bit Unix milliseconds, then random bits from libsodium.
// Time-ordered, so ids sort roughly by creation and index well.
std::string newUuidV7();

// True when text is a canonical lower-case UUID (8-4-4-4-12 hex).
bool isUuid(std::string_view text);

// A random code of `length` Crockford base32 symbols (0-9, A-Z without I, L, O, U).
std::string newHumanCode(int length = 6);

// Normalises a code a person typed: upper-case, drops spaces and dashes, reads O as 0 and
// I/L as 1 (Crockford's decoding rules). Returns "" if a symbol is not valid.
std::string normalizeHumanCode(std::string_view typed);

}  // namespace fadaa
