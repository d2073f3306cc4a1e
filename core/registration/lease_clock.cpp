// core/registration/lease_clock.cpp - clock readings, lease receipts, the lease deadline rule.
#include "registration/lease_clock.hpp"

#include <time.h>

#include <algorithm>
#include <charconv>
#include <fstream>
#include <nlohmann/json.hpp>

#include "store/database.hpp"
#include "sync/sync_client.hpp"

namespace fadaa {

using nlohmann::json;

namespace {

constexpr std::string_view kReceiptKey = "lease_clock";

const std::string& bootId() {
    static const std::string id = [] {
        std::string text;
        std::ifstream in("/proc/sys/kernel/random/boot_id");
        std::getline(in, text);
        return text;
    }();
    return id;
}

}  // namespace

ClockReading readClocks() {
    ClockReading r;
    r.wall = kioskNow();
    r.bootId = bootId();
    timespec ts{};
    if (r.bootId.empty() || ::clock_gettime(CLOCK_BOOTTIME, &ts) != 0)
        r.bootId.clear();  // without a boot clock only the wall clock counts
    else
        r.sinceBoot = ts.tv_sec;
    return r;
}

Timestamp storedClockSkew(Database& db) {
    auto text = syncStateGet(db, "clock_skew_seconds");
    Timestamp skew = 0;
    if (text) {
        auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), skew);
        if (ec != std::errc() || end != text->data() + text->size()) skew = 0;
    }
    return skew;
}

void recordLeaseReceipt(Database& db, Timestamp serverTime, const ClockReading& sentAt) {
    json receipt = {{"server_time", serverTime},
                    {"wall", sentAt.wall},
                    {"boot_id", sentAt.bootId},
                    {"since_boot", sentAt.sinceBoot}};
    syncStateSet(db, kReceiptKey, receipt.dump());
}

Timestamp leaseDeadlineClock(Database& db, const ClockReading& now) {
    auto text = syncStateGet(db, kReceiptKey);
    if (!text) return kNoLeaseUsable;
    json r = json::parse(*text, nullptr, false);
    if (!r.is_object() || !r.value("server_time", json()).is_number_integer() ||
        !r.value("wall", json()).is_number_integer() ||
        !r.value("since_boot", json()).is_number_integer() ||
        !r.value("boot_id", json()).is_string())
        return kNoLeaseUsable;
    const Timestamp serverTime = r["server_time"].get<Timestamp>();
    const Timestamp wallElapsed = now.wall - r["wall"].get<Timestamp>();
    Timestamp elapsed = wallElapsed;
    const std::string receiptBoot = r["boot_id"].get<std::string>();
    if (!now.bootId.empty() && now.bootId == receiptBoot) {
        // Same boot: the boot clock cannot go back, whatever happened to the wall clock.
        elapsed = std::max(wallElapsed, now.sinceBoot - r["since_boot"].get<std::int64_t>());
    } else if (wallElapsed < 0) {
        // Restarted, and the wall clock is behind the receipt: how long the leases have been
        // held cannot be known, so none may be used until the next sync renews them.
        return kNoLeaseUsable;
    }
    return std::max(now.wall + storedClockSkew(db), serverTime + elapsed);
}

}  // namespace fadaa
