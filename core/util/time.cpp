// core/util/time.cpp - UTC <-> local time through the system's TZif files (tzdata).
//
// Why not localtime_r with TZ: that changes process-wide state, and the kiosk formats times on
// several threads. Reading the zone's TZif file once is thread-safe and exact for the
// transitions it lists (Africa/Casablanca lists its Ramadan changes explicitly up to 2087).
// Times past the last listed transition use the footer's fixed offset when it has no DST rule,
// otherwise the last transition's offset.
#include "util/time.hpp"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <map>
#include <memory>
#include <mutex>
#include <sstream>
#include <stdexcept>
#include <vector>

namespace fadaa {
namespace {

struct Zone {
    std::vector<std::int64_t> transitions;  // UTC instants
    std::vector<int> offsetAt;              // UTC offset (s) from each transition on
    int initialOffset = 0;                  // before the first transition
    int offsetAfterLast = 0;
};

std::int64_t readBig(const unsigned char* p, int bytes) {
    std::uint64_t v = 0;
    for (int i = 0; i < bytes; ++i) v = (v << 8) | p[i];
    if (bytes == 4) return static_cast<std::int32_t>(static_cast<std::uint32_t>(v));
    return static_cast<std::int64_t>(v);
}

// Parses the offset of a footer like "<+01>-1" or "UTC0" (no DST part); nullopt otherwise.
std::optional<int> footerFixedOffset(const std::string& footer) {
    size_t i = 0;
    if (footer.empty()) return std::nullopt;
    if (footer[0] == '<') {
        i = footer.find('>');
        if (i == std::string::npos) return std::nullopt;
        ++i;
    } else {
        while (i < footer.size() && std::isalpha(static_cast<unsigned char>(footer[i]))) ++i;
    }
    int sign = 1, hours = 0, minutes = 0;
    if (i < footer.size() && (footer[i] == '-' || footer[i] == '+')) sign = footer[i++] == '-' ? -1 : 1;
    size_t start = i;
    while (i < footer.size() && std::isdigit(static_cast<unsigned char>(footer[i])))
        hours = hours * 10 + (footer[i++] - '0');
    if (i == start) return std::nullopt;
    if (i < footer.size() && footer[i] == ':') {
        ++i;
        while (i < footer.size() && std::isdigit(static_cast<unsigned char>(footer[i])))
            minutes = minutes * 10 + (footer[i++] - '0');
    }
    if (i != footer.size()) return std::nullopt;  // has a DST rule
    return -sign * (hours * 3600 + minutes * 60);  // POSIX offsets are west-positive
}

Zone loadZone(std::string_view name) {
    Zone zone;
    if (name.empty() || name == "UTC" || name == "Etc/UTC") return zone;
    if (name.find("..") != std::string_view::npos || name.front() == '/')
        throw std::invalid_argument("bad time zone name: " + std::string(name));
    std::ifstream in("/usr/share/zoneinfo/" + std::string(name), std::ios::binary);
    if (!in) throw std::invalid_argument("unknown time zone (is tzdata installed?): " + std::string(name));
    std::string data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    auto bytes = reinterpret_cast<const unsigned char*>(data.data());
    auto header = [&](size_t at, int (&counts)[6]) {
        if (at + 44 > data.size() || std::memcmp(bytes + at, "TZif", 4) != 0)
            throw std::invalid_argument("not a TZif file: " + std::string(name));
        for (int k = 0; k < 6; ++k) counts[k] = static_cast<int>(readBig(bytes + at + 20 + 4 * k, 4));
        return bytes[at + 4];
    };
    // counts: isutcnt, isstdcnt, leapcnt, timecnt, typecnt, charcnt
    int c[6];
    unsigned char version = header(0, c);
    size_t at = 44;
    int timeBytes = 4;
    if (version >= '2') {  // skip the 32-bit block, use the 64-bit one
        at += static_cast<size_t>(c[3] * 5 + c[4] * 6 + c[5] + c[2] * 8 + c[1] + c[0]);
        header(at, c);
        at += 44;
        timeBytes = 8;
    }
    int timecnt = c[3], typecnt = c[4];
    size_t need = at + static_cast<size_t>(timecnt * (timeBytes + 1) + typecnt * 6);
    if (need > data.size() || typecnt <= 0) throw std::invalid_argument("corrupt TZif file");
    const unsigned char* times = bytes + at;
    const unsigned char* indices = times + timecnt * timeBytes;
    const unsigned char* types = indices + timecnt;
    auto typeOffset = [&](int idx) {
        if (idx >= typecnt) throw std::invalid_argument("corrupt TZif file");
        return static_cast<int>(readBig(types + idx * 6, 4));
    };
    zone.initialOffset = typeOffset(0);
    for (int k = 0; k < timecnt; ++k) {
        zone.transitions.push_back(readBig(times + k * timeBytes, timeBytes));
        zone.offsetAt.push_back(typeOffset(indices[k]));
    }
    zone.offsetAfterLast = zone.offsetAt.empty() ? zone.initialOffset : zone.offsetAt.back();
    if (version >= '2') {
        size_t footerAt = at + static_cast<size_t>(timecnt * 9 + typecnt * 6 + c[5] + c[2] * 12 + c[1] + c[0]);
        if (footerAt < data.size() && data[footerAt] == '\n') {
            size_t end = data.find('\n', footerAt + 1);
            if (end != std::string::npos) {
                if (auto fixed = footerFixedOffset(data.substr(footerAt + 1, end - footerAt - 1)))
                    zone.offsetAfterLast = *fixed;
            }
        }
    }
    return zone;
}

const Zone& zoneFor(std::string_view name) {
    static std::mutex mutex;
    static std::map<std::string, std::unique_ptr<Zone>, std::less<>> zones;
    std::lock_guard lock(mutex);
    auto it = zones.find(name);
    if (it == zones.end())
        it = zones.emplace(std::string(name), std::make_unique<Zone>(loadZone(name))).first;
    return *it->second;
}

int utcOffset(const Zone& zone, Timestamp t) {
    if (zone.transitions.empty() || t < zone.transitions.front())
        return zone.transitions.empty() ? zone.offsetAfterLast : zone.initialOffset;
    if (t >= zone.transitions.back()) return zone.offsetAfterLast;
    auto it = std::upper_bound(zone.transitions.begin(), zone.transitions.end(), t);
    return zone.offsetAt[static_cast<size_t>(it - zone.transitions.begin() - 1)];
}

// Days since 1970-01-01 for a proleptic Gregorian date (Howard Hinnant's algorithm).
std::int64_t daysFromCivil(int y, int m, int d) {
    y -= m <= 2;
    const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = static_cast<unsigned>((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1);
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

LocalDateTime civilFromSeconds(std::int64_t localSeconds) {
    std::int64_t days = localSeconds >= 0 ? localSeconds / 86400 : (localSeconds - 86399) / 86400;
    std::int64_t secs = localSeconds - days * 86400;
    LocalDateTime out;
    out.hour = static_cast<int>(secs / 3600);
    out.minute = static_cast<int>(secs % 3600 / 60);
    out.second = static_cast<int>(secs % 60);
    out.weekday = static_cast<int>(((days % 7) + 11) % 7);  // 1970-01-01 was a Thursday (4)
    std::int64_t z = days + 719468;
    const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const unsigned doe = static_cast<unsigned>(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    out.day = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
    out.month = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
    out.year = static_cast<int>(static_cast<std::int64_t>(yoe) + era * 400 + (out.month <= 2));
    return out;
}

bool parseInt(std::string_view s, int& out) {
    if (s.empty()) return false;
    int v = 0;
    for (char ch : s) {
        if (ch < '0' || ch > '9') return false;
        v = v * 10 + (ch - '0');
    }
    out = v;
    return true;
}

}  // namespace

Timestamp nowUtc() {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

LocalDateTime toLocal(Timestamp t, std::string_view zone) {
    return civilFromSeconds(t + utcOffset(zoneFor(zone), t));
}

Timestamp fromLocal(const LocalDateTime& local, std::string_view zoneName) {
    const Zone& zone = zoneFor(zoneName);
    std::int64_t wall = daysFromCivil(local.year, local.month, local.day) * 86400 +
                        local.hour * 3600 + local.minute * 60 + local.second;
    // Two refinements settle on the offset in force at the answer, except in a gap (spring
    // forward), where the wall time does not exist and the later offset is used.
    Timestamp t = wall - utcOffset(zone, wall);
    t = wall - utcOffset(zone, t);
    return t;
}

Timestamp startOfLocalDay(Timestamp t, std::string_view zone) {
    LocalDateTime local = toLocal(t, zone);
    local.hour = local.minute = local.second = 0;
    return fromLocal(local, zone);
}

std::string isoUtc(Timestamp t) {
    LocalDateTime u = civilFromSeconds(t);
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02dT%02d:%02d:%02dZ", u.year, u.month, u.day,
                  u.hour, u.minute, u.second);
    return buffer;
}

std::optional<Timestamp> parseDateTime(std::string_view text, std::string_view zone,
                                       Timestamp now) {
    try {
        if (text == "now") return now;
        if (text == "today") return startOfLocalDay(now, zone);
        if (text == "tomorrow") return startOfLocalDay(now + 86400 + 3600, zone);
        if (text.size() >= 3 && text.front() == '+' && (text.back() == 'd' || text.back() == 'h')) {
            int n = 0;
            if (!parseInt(text.substr(1, text.size() - 2), n)) return std::nullopt;
            if (text.back() == 'h') return now + n * 3600;
            LocalDateTime local = toLocal(startOfLocalDay(now, zone), zone);
            local.day += n;  // daysFromCivil normalises day overflow
            return fromLocal(local, zone);
        }
        // YYYY-MM-DD[THH:MM[:SS]][Z]
        if (text.size() < 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
        LocalDateTime local;
        if (!parseInt(text.substr(0, 4), local.year) || !parseInt(text.substr(5, 2), local.month) ||
            !parseInt(text.substr(8, 2), local.day))
            return std::nullopt;
        bool utc = false;
        std::string_view rest = text.substr(10);
        if (!rest.empty() && rest.back() == 'Z') {
            utc = true;
            rest.remove_suffix(1);
        }
        if (!rest.empty()) {
            if (rest[0] != 'T' && rest[0] != ' ') return std::nullopt;
            rest.remove_prefix(1);
            if (rest.size() != 5 && rest.size() != 8) return std::nullopt;
            if (rest[2] != ':' || !parseInt(rest.substr(0, 2), local.hour) ||
                !parseInt(rest.substr(3, 2), local.minute))
                return std::nullopt;
            if (rest.size() == 8 && (rest[5] != ':' || !parseInt(rest.substr(6, 2), local.second)))
                return std::nullopt;
        }
        if (local.month < 1 || local.month > 12 || local.day < 1 || local.hour > 23 ||
            local.minute > 59 || local.second > 59)
            return std::nullopt;
        static constexpr int kDays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
        if (local.day > kDays[local.month - 1]) return std::nullopt;
        bool leap = (local.year % 4 == 0 && local.year % 100 != 0) || local.year % 400 == 0;
        if (local.month == 2 && local.day == 29 && !leap) return std::nullopt;
        if (utc) return fromLocal(local, "UTC");
        return fromLocal(local, zone);
    } catch (const std::invalid_argument&) {
        return std::nullopt;
    }
}

}  // namespace fadaa
