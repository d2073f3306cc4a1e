// server/lib/lease_service.hpp - POST /v1/seats/lease: a kiosk's seat leases, renewed each sync.
//
// The kiosk names the sessions it wants seats for (and, per lease it holds, how many seats it
// has used); the server answers with every active lease of that kiosk. A lease the kiosk no
// longer asks for is released; its unused seats return to the session and promote waitlisted
// people. A lease never shrinks below the seats the kiosk says it used but the server has not
// yet received, so a kiosk's "Confirmed" is never taken back.
#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

#include "kiosk_registry.hpp"
#include "seat_ledger.hpp"

namespace fadaa::server {

class SqlConnection;

struct LeaseWish {
    std::string sessionId;
    std::int64_t seats = 0;              // unused seats wanted
    std::optional<std::string> leaseId;  // the lease the kiosk holds for it, if any
    std::int64_t used = 0;               // seats of that lease the kiosk has used
};

struct LeaseRequest {
    std::string kioskId;
    std::vector<LeaseWish> sessions;
};

// Throws WireError (400).
LeaseRequest parseLeaseRequest(const nlohmann::json& body, size_t maxSessions);

// Grants, renews and releases in one write transaction; returns
// {"leases": [{lease_id, session_id, seats, used, expires_at}], "server_time"}.
nlohmann::json processLease(SqlConnection& conn, const KioskIdentity& kiosk,
                            const LeaseRequest& request, const LedgerOptions& options,
                            Timestamp now);

// Releases leases past expiry + grace (the sweeper). Returns how many. Own write transaction.
std::int64_t reclaimExpiredLeases(SqlConnection& conn, const LedgerOptions& options, Timestamp now);

}  // namespace fadaa::server
