// tests/unit/time_test.cpp - zone conversions and date parsing (util/time).
#include <catch2/catch.hpp>

#include "util/time.hpp"

using namespace fadaa;

TEST_CASE("UTC instants are shown in Casablanca time, including Ramadan's change of offset") {
    // 2026-12-05 17:30 UTC: Morocco is on UTC+1 outside Ramadan.
    Timestamp t = *parseDateTime("2026-12-05T17:30:00Z", "UTC", 0);
    CHECK(isoUtc(t) == "2026-12-05T17:30:00Z");
    LocalDateTime local = toLocal(t, "Africa/Casablanca");
    CHECK(local.year == 2026);
    CHECK(local.month == 12);
    CHECK(local.day == 5);
    CHECK(local.hour == 18);
    CHECK(local.minute == 30);
    CHECK(local.weekday == 6);  // Saturday
    // During Ramadan 2026 (mid-February to mid-March) Morocco returns to UTC+0.
    Timestamp ramadan = *parseDateTime("2026-03-01T12:00:00Z", "UTC", 0);
    CHECK(toLocal(ramadan, "Africa/Casablanca").hour == 12);
}

TEST_CASE("local wall time converts back to the same instant") {
    for (const char* zone : {"Africa/Casablanca", "Europe/Paris", "UTC"}) {
        for (Timestamp t = 1767225600; t < 1767225600 + 400LL * 86400; t += 86400 * 7 + 3671) {
            CHECK(fromLocal(toLocal(t, zone), zone) == t);
        }
    }
}

TEST_CASE("dates are parsed in the given zone; nonsense is refused") {
    Timestamp now = *parseDateTime("2026-11-29T10:00:00Z", "UTC", 0);
    auto day = parseDateTime("2026-12-05", "Africa/Casablanca", now);
    REQUIRE(day);
    CHECK(isoUtc(*day) == "2026-12-04T23:00:00Z");
    CHECK(isoUtc(*parseDateTime("2026-12-05T18:30", "Africa/Casablanca", now)) ==
          "2026-12-05T17:30:00Z");
    CHECK(isoUtc(*parseDateTime("today", "Africa/Casablanca", now)) == "2026-11-28T23:00:00Z");
    CHECK(isoUtc(*parseDateTime("+7d", "Africa/Casablanca", now)) == "2026-12-05T23:00:00Z");
    CHECK(startOfLocalDay(now, "UTC") == *parseDateTime("2026-11-29", "UTC", 0));
    for (const char* bad : {"", "2026-13-01", "2026-02-30", "2027-02-29", "2026-12-05T25:00",
                            "yesterday-ish", "+xd", "2026/12/05", "2026-12-05T18:30junk"}) {
        CHECK_FALSE(parseDateTime(bad, "Africa/Casablanca", now));
    }
    CHECK_FALSE(parseDateTime("2026-12-05", "No/Such_Zone", now));
    CHECK_FALSE(parseDateTime("2026-12-05", "../../etc/passwd", now));
}
