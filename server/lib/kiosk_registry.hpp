// server/lib/kiosk_registry.hpp - kiosks, their enrolment codes and tokens, and the admin token.
//
// Secrets are never stored: a kiosk's bearer token (256 random bits, hex) and its one-time
// enrolment code are kept as SHA-256 hashes, so a copy of the database cannot impersonate a
// kiosk. A code works once and expires after 24 hours.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "model/model.hpp"
#include "seat_ledger.hpp"

namespace fadaa::server {

class SqlConnection;

struct KioskIdentity {
    std::string id;
    std::string name;
};

struct KioskInfo {
    std::string id, name, status;
    Timestamp createdAt = 0;
    std::optional<Timestamp> enrolledAt, lastSeenAt;
    std::optional<std::int64_t> clockSkew;
};

struct NewKioskCode {
    std::string kioskId;
    std::string code;  // shown once, e.g. "7KQ2-MXH4-9PZA"
    Timestamp expiresAt = 0;
};

struct Enrolment {
    std::string kioskId, name, token;
};

inline constexpr Timestamp kEnrolCodeLifetime = 24 * 3600;

// `kiosk add NAME`: a new kiosk waiting for enrolment, or a fresh code for one that has not
// enrolled yet. Throws ApiError 409 when NAME is enrolled or revoked, 400 for a bad name.
NewKioskCode addKiosk(SqlConnection& conn, const std::string& name, Timestamp now);

// `kiosk revoke NAME`: its token stops working and its leases are released (seats return to
// the pool, waitlisted people are promoted). Throws ApiError 404 for an unknown name.
void revokeKiosk(SqlConnection& conn, const std::string& name, const LedgerOptions& options,
                 Timestamp now);

std::vector<KioskInfo> listKiosks(SqlConnection& conn);

// POST /v1/enrol: exchanges a one-time code for a token. Throws ApiError 401 "invalid_code"
// for an unknown, used or expired code.
Enrolment enrolKiosk(SqlConnection& conn, const std::string& code, Timestamp now);

// The kiosk a bearer token belongs to. Throws ApiError 401 "unknown_kiosk" or "kiosk_revoked".
KioskIdentity authenticateKiosk(SqlConnection& conn, const std::string& token);

// `admin token`: a new admin token (the previous one stops working).
std::string createAdminToken(SqlConnection& conn);
// True when token is the stored admin token or matches extraHash (from --admin-token-file).
bool checkAdminToken(SqlConnection& conn, const std::string& token, const std::string& extraHash);

// A new random secret: 32 bytes as hex.
std::string newSecret();

}  // namespace fadaa::server
