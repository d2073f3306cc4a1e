// core/registration/lease_clock.hpp - until when an enrolled kiosk may confirm from a seat lease.
//
// The server reclaims a lease `--lease-grace-hours` after its expires_at (server time) and gives
// its seats to others. A kiosk that compared expires_at only with its wall clock (corrected by
// the skew measured at its last sync) would go on confirming from a reclaimed lease if its
// clock went back after that sync (a dead RTC battery, a manual or NTP correction): its
// "Confirmed" would then be taken back by the server. So the kiosk also measures how long it
// has held its leases:
// - When a lease answer is applied, the kiosk records a receipt (sync_state 'lease_clock'): the
//   server_time of the answer and the kiosk's clocks read BEFORE the request was sent (wall,
//   boot id, CLOCK_BOOTTIME). The server granted the lease after that moment, so time counted
//   from it never falls short.
// - Elapsed since the receipt is max(wall elapsed, CLOCK_BOOTTIME elapsed) within the same boot
//   (the boot clock never goes back and counts suspend); after a restart it is the wall elapsed,
//   and a wall clock now behind the receipt makes every lease unusable until the next sync.
// - A lease is usable while expires_at > max(wall + clock_skew_seconds, receipt server_time +
//   elapsed). Without a receipt no lease is usable.
// docs/sync-protocol.md ("Seat leases") states the rule.
#pragma once

#include <cstdint>
#include <limits>
#include <string>

#include "model/model.hpp"

namespace fadaa {

class Database;

// One reading of this kiosk's clocks.
struct ClockReading {
    Timestamp wall = 0;          // the kiosk's wall clock (kioskNow()), Unix seconds
    std::string bootId;          // /proc/sys/kernel/random/boot_id; "" when unknown
    std::int64_t sinceBoot = 0;  // CLOCK_BOOTTIME, seconds (includes time suspended)
};

// The clocks now.
ClockReading readClocks();

// A lease deadline no lease reaches: nothing may be confirmed from a lease.
inline constexpr Timestamp kNoLeaseUsable = std::numeric_limits<Timestamp>::max();

// Server time minus this kiosk's clock as measured at the last sync (sync_state
// 'clock_skew_seconds'); 0 when never measured or unreadable.
Timestamp storedClockSkew(Database& db);

// Stores the receipt of a lease answer (in the caller's transaction): serverTime is the
// answer's server_time, sentAt the clocks read before the request was sent.
void recordLeaseReceipt(Database& db, Timestamp serverTime, const ClockReading& sentAt);

// The server-time instant lease expiries are compared with at `now` (see above): a lease is
// usable iff expires_at > the result. kNoLeaseUsable when there is no readable receipt or the
// wall clock went back across a restart.
Timestamp leaseDeadlineClock(Database& db, const ClockReading& now);

}  // namespace fadaa
