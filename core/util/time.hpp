// core/util/time.hpp - clock and calendar helpers. Stored times are Unix seconds, UTC; they are
// shown in the kiosk's configured IANA zone (Africa/Casablanca for the first deployment).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "model/model.hpp"

namespace fadaa {

Timestamp nowUtc();

// A calendar date and time in a zone.
struct LocalDateTime {
    int year = 1970, month = 1, day = 1;  // month 1-12
    int hour = 0, minute = 0, second = 0;
    int weekday = 4;  // 0 = Sunday
};

LocalDateTime toLocal(Timestamp t, std::string_view zone);
// The instant at which the wall clock in zone shows `local` (weekday ignored).
Timestamp fromLocal(const LocalDateTime& local, std::string_view zone);
// Midnight (start of the local day) of t in zone.
Timestamp startOfLocalDay(Timestamp t, std::string_view zone);

// "2026-12-05T17:30:00Z"
std::string isoUtc(Timestamp t);
// Parses "2026-12-05", "2026-12-05T18:30", "2026-12-05T17:30:00Z", "today", "tomorrow",
// "+7d" (relative to now) as local time in zone. nullopt if not understood.
std::optional<Timestamp> parseDateTime(std::string_view text, std::string_view zone,
                                       Timestamp now);

}  // namespace fadaa
