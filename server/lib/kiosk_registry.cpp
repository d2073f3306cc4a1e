// server/lib/kiosk_registry.cpp - enrolment, tokens, revocation.
#include "kiosk_registry.hpp"

#include <fmt/format.h>
#include <sodium.h>

#include "api_error.hpp"
#include "server_schema.hpp"
#include "sql.hpp"
#include "sync/wire.hpp"
#include "util/ids.hpp"

namespace fadaa::server {

std::string newSecret() {
    if (sodium_init() < 0) throw std::runtime_error("libsodium failed to initialise");
    unsigned char bytes[32];
    randombytes_buf(bytes, sizeof bytes);
    char hex[sizeof bytes * 2 + 1];
    sodium_bin2hex(hex, sizeof hex, bytes, sizeof bytes);
    return hex;
}

namespace {

bool validKioskName(const std::string& name) {
    if (name.empty() || name.size() > 64) return false;
    for (char c : name)
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_' || c == '.'))
            return false;
    return true;
}

}  // namespace

NewKioskCode addKiosk(SqlConnection& conn, const std::string& name, Timestamp now) {
    if (!validKioskName(name))
        throw ApiError(400, "invalid_value",
                       "a kiosk name is 1-64 letters, digits, '-', '_' or '.'");
    std::string raw = newHumanCode(12);
    NewKioskCode out;
    out.code = raw.substr(0, 4) + "-" + raw.substr(4, 4) + "-" + raw.substr(8, 4);
    out.expiresAt = now + kEnrolCodeLifetime;
    std::string hash = wire::sha256Hex(raw);
    SqlRows existing = conn.query("SELECT id, status FROM kiosk WHERE name = $1", {name});
    if (!existing.empty()) {
        if (existing[0].text(1) != "pending")
            throw ApiError(409, "kiosk_exists",
                           fmt::format("kiosk '{}' is already {}; pick another name", name,
                                       existing[0].text(1) == "active" ? "enrolled" : "revoked"));
        out.kioskId = existing[0].text(0);
        conn.query("UPDATE kiosk SET enrol_code_hash = $1, enrol_expires_at = $2 WHERE id = $3",
                   {hash, out.expiresAt, out.kioskId});
        return out;
    }
    out.kioskId = newUuidV7();
    conn.query(
        "INSERT INTO kiosk(id, name, status, enrol_code_hash, enrol_expires_at, created_at) "
        "VALUES ($1, $2, 'pending', $3, $4, $5)",
        {out.kioskId, name, hash, out.expiresAt, now});
    return out;
}

void revokeKiosk(SqlConnection& conn, const std::string& name, const LedgerOptions& options,
                 Timestamp now) {
    auto id = conn.scalar("SELECT id FROM kiosk WHERE name = $1", {name});
    if (!id) throw ApiError(404, "unknown_kiosk", fmt::format("no kiosk named '{}'", name));
    conn.query(
        "UPDATE kiosk SET status = 'revoked', enrol_code_hash = NULL, revoked_at = $1 "
        "WHERE id = $2",
        {now, *id});
    SeatLedger ledger(conn, options, now);
    ledger.loadKioskLeases(*id);
    for (LedgerLease* l : ledger.activeLeasesOf(*id)) ledger.releaseLease(*l);
    ChangeBuffer changes;
    ledger.flush(changes);
}

std::vector<KioskInfo> listKiosks(SqlConnection& conn) {
    std::vector<KioskInfo> out;
    for (const SqlRow& row :
         conn.query("SELECT id, name, status, created_at, enrolled_at, last_seen_at, clock_skew "
                    "FROM kiosk ORDER BY name")) {
        out.push_back({row.text(0), row.text(1), row.text(2), row.integer(3), row.optInteger(4),
                       row.optInteger(5), row.optInteger(6)});
    }
    return out;
}

Enrolment enrolKiosk(SqlConnection& conn, const std::string& code, Timestamp now) {
    std::string normalized = normalizeHumanCode(code);
    SqlRows rows;
    if (!normalized.empty())
        rows = conn.query(
            "SELECT id, name, enrol_expires_at FROM kiosk WHERE status = 'pending' AND "
            "enrol_code_hash = $1",
            {wire::sha256Hex(normalized)});
    if (rows.empty() || rows[0].optInteger(2).value_or(0) <= now)
        throw ApiError(401, "invalid_code",
                       "this enrolment code is unknown, already used or expired; ask for a new "
                       "one (fadaa-server kiosk add NAME)");
    Enrolment e{rows[0].text(0), rows[0].text(1), newSecret()};
    conn.query(
        "UPDATE kiosk SET status = 'active', token_hash = $1, enrol_code_hash = NULL, "
        "enrol_expires_at = NULL, enrolled_at = $2, last_seen_at = $2 WHERE id = $3",
        {wire::sha256Hex(e.token), now, e.kioskId});
    return e;
}

KioskIdentity authenticateKiosk(SqlConnection& conn, const std::string& token) {
    if (token.empty())
        throw ApiError(401, "unknown_kiosk",
                       "this request needs a kiosk token (Authorization: Bearer)");
    SqlRows rows = conn.query("SELECT id, name, status FROM kiosk WHERE token_hash = $1",
                              {wire::sha256Hex(token)});
    if (rows.empty())
        throw ApiError(401, "unknown_kiosk", "this kiosk token is not known to the server");
    if (rows[0].text(2) != "active")
        throw ApiError(401, "kiosk_revoked", "this kiosk has been revoked");
    return {rows[0].text(0), rows[0].text(1)};
}

std::string createAdminToken(SqlConnection& conn) {
    std::string token = newSecret();
    metaSet(conn, "admin_token_hash", wire::sha256Hex(token));
    return token;
}

bool checkAdminToken(SqlConnection& conn, const std::string& token, const std::string& extraHash) {
    if (token.empty()) return false;
    std::string hash = wire::sha256Hex(token);
    if (extraHash.size() == hash.size() &&
        sodium_memcmp(hash.data(), extraHash.data(), hash.size()) == 0)
        return true;
    auto stored = metaGet(conn, "admin_token_hash");
    return stored && stored->size() == hash.size() &&
           sodium_memcmp(stored->data(), hash.data(), hash.size()) == 0;
}

}  // namespace fadaa::server
