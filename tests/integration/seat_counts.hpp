// tests/integration/seat_counts.hpp - the seat counts a city database keeps on each session row
// (session.taken and session.waitlisted, since schema v5), recounted from its registrations.
// The seat ledger keeps them in the transaction that changes a registration's status; these
// checks say whether that held, after whatever a test did.
#pragma once

#include <string>
#include <vector>

#include "server_process.hpp"
#include "sql.hpp"

namespace fadaa::test {

// Every session whose stored counts differ from a recount of the registration table (taken =
// confirmed + attended, waitlisted = waitlisted), one line each: "<id>: stored a/b, counted c/d".
// Empty when all agree. One statement, so one consistent snapshot even while a server writes.
std::vector<std::string> seatCountMismatches(server::SqlConnection& conn);

// CHECKs (Catch2) that every session's stored counts equal the recount, and that there is at
// least one session to compare (a check of nothing would pass vacuously).
void checkSeatCounts(server::SqlBackend& backend);
// The same on a server's store (it may be running).
void checkSeatCounts(const ServerProcess& server);

}  // namespace fadaa::test
