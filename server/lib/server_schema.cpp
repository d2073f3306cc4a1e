// server/lib/server_schema.cpp - the city server's tables, in SQL both SQLite and PostgreSQL run.
//
// Conventions: times are Unix seconds (BIGINT, UTC, server clock); flags are BIGINT 0/1;
// translatable text and form definitions are JSON text in the same canonical form the kiosk
// store keeps (LocalizedText::toJson, formToJson), so per-table checksums compare equal.
// The catalogue tables mirror the kiosk's column names for the same reason.
#include "server_schema.hpp"

#include <fmt/format.h>

#include <array>

#include "sql.hpp"
#include "util/ids.hpp"

namespace fadaa::server {
namespace {

constexpr const char* kSchemaV1 = R"sql(
CREATE TABLE IF NOT EXISTS counter (
    name        TEXT PRIMARY KEY,
    value       BIGINT NOT NULL
);
CREATE TABLE IF NOT EXISTS kiosk (
    id              TEXT PRIMARY KEY,       -- UUIDv7, given at `kiosk add`
    name            TEXT NOT NULL UNIQUE,
    status          TEXT NOT NULL CHECK (status IN ('pending','active','revoked')),
    token_hash      TEXT UNIQUE,            -- SHA-256 hex of the bearer token
    enrol_code_hash TEXT,                   -- SHA-256 hex of the one-time code
    enrol_expires_at BIGINT,
    created_at      BIGINT NOT NULL,
    enrolled_at     BIGINT,
    revoked_at      BIGINT,
    last_seen_at    BIGINT,
    clock_skew      BIGINT                  -- server minus kiosk clock at the last request
);
CREATE TABLE IF NOT EXISTS category (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    sort_order  BIGINT NOT NULL DEFAULT 0,
    updated_at  BIGINT NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS venue (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    address     TEXT NOT NULL DEFAULT '',
    updated_at  BIGINT NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS organizer (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    updated_at  BIGINT NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS event (
    id              TEXT PRIMARY KEY,
    category_id     TEXT NOT NULL REFERENCES category(id),
    organizer_id    TEXT REFERENCES organizer(id),
    title           TEXT NOT NULL,
    description     TEXT NOT NULL DEFAULT '{}',
    age_min         BIGINT,
    age_max         BIGINT,
    registration_required BIGINT NOT NULL DEFAULT 1,
    form            TEXT NOT NULL DEFAULT '[]',
    version         BIGINT NOT NULL DEFAULT 1,
    updated_at      BIGINT NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS session (
    id              TEXT PRIMARY KEY,
    event_id        TEXT NOT NULL REFERENCES event(id),
    venue_id        TEXT REFERENCES venue(id),
    starts_at       BIGINT NOT NULL,
    ends_at         BIGINT NOT NULL,
    capacity        BIGINT,
    reg_opens_at    BIGINT,
    reg_closes_at   BIGINT,
    status          TEXT NOT NULL DEFAULT 'scheduled' CHECK (status IN ('scheduled','cancelled')),
    updated_at      BIGINT NOT NULL DEFAULT 0,
    CHECK (ends_at >= starts_at),
    CHECK (capacity IS NULL OR capacity >= 0)
);
CREATE INDEX IF NOT EXISTS session_event ON session(event_id);

-- Registrations as the server decided them. status is never 'provisional' here: the server
-- decides confirmed or waitlisted on arrival. arrival numbers the order of receipt.
CREATE TABLE IF NOT EXISTS registration (
    id              TEXT PRIMARY KEY,
    session_id      TEXT NOT NULL REFERENCES session(id),
    kiosk_id        TEXT NOT NULL,
    arrival         BIGINT NOT NULL,
    created_at      BIGINT NOT NULL,        -- kiosk's claim, corrected by its clock skew
    received_at     BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL,
    name            TEXT NOT NULL,
    phone           TEXT NOT NULL,
    age_band        TEXT,
    answers         TEXT NOT NULL DEFAULT '{}',
    code            TEXT NOT NULL,          -- unique per kiosk, not across kiosks
    person_key      TEXT NOT NULL,
    status          TEXT NOT NULL CHECK (status IN ('confirmed','waitlisted','cancelled','attended')),
    waitlist_pos    BIGINT,
    lease_id        TEXT,                   -- the lease a kiosk confirmed it from
    local_status    TEXT NOT NULL           -- what the kiosk had recorded
);
CREATE INDEX IF NOT EXISTS registration_session ON registration(session_id, status);
CREATE INDEX IF NOT EXISTS registration_person ON registration(person_key, session_id);
CREATE INDEX IF NOT EXISTS registration_kiosk ON registration(kiosk_id);

-- Seat leases: seats granted to a kiosk for one session; used counts the lease registrations
-- received. A lease's unused seats (seats - used) stay reserved until it is released.
CREATE TABLE IF NOT EXISTS lease (
    id          TEXT PRIMARY KEY,
    kiosk_id    TEXT NOT NULL,
    session_id  TEXT NOT NULL REFERENCES session(id),
    seats       BIGINT NOT NULL CHECK (seats >= 0),
    used        BIGINT NOT NULL DEFAULT 0,
    granted_at  BIGINT NOT NULL,
    expires_at  BIGINT NOT NULL,
    released_at BIGINT
);
CREATE INDEX IF NOT EXISTS lease_session ON lease(session_id, released_at);
CREATE INDEX IF NOT EXISTS lease_kiosk ON lease(kiosk_id, released_at);

-- Idempotency: every op id a kiosk pushed, with the result it got, kept for the retention.
CREATE TABLE IF NOT EXISTS applied_op (
    op_id       TEXT PRIMARY KEY,
    kiosk_id    TEXT NOT NULL,
    kind        TEXT NOT NULL,
    received_at BIGINT NOT NULL,
    result      TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS applied_op_age ON applied_op(received_at);

-- The change log kiosks pull. One row per (entity, id, audience): a newer change replaces the
-- older row with a higher seq, so the log never grows past the live records plus tombstones.
-- audience '' is every kiosk; otherwise the one kiosk a row is for (its own registrations).
-- echo names the kiosk that already holds this row's state (it was the answer to its push), so
-- its incremental pulls skip the row; a snapshot pull (cursor '') still gets it.
CREATE TABLE IF NOT EXISTS change_log (
    seq         BIGINT PRIMARY KEY,
    entity      TEXT NOT NULL,
    entity_id   TEXT NOT NULL,
    audience    TEXT NOT NULL DEFAULT '',
    echo        TEXT NOT NULL DEFAULT '',
    op          TEXT NOT NULL CHECK (op IN ('upsert','delete')),
    data        TEXT,
    at          BIGINT NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS change_log_key ON change_log(entity, entity_id, audience);
CREATE INDEX IF NOT EXISTS change_log_audience ON change_log(audience, seq);
CREATE INDEX IF NOT EXISTS change_log_tombstones ON change_log(op, at);
)sql";

// v2: fewer bytes written per pushed registration. On SQLite the TEXT-keyed tables a push
// writes a row into per op become WITHOUT ROWID (the primary key is the table, not a second
// index beside a rowid table); applied_op.result holds a compact result from now on (see
// push_service.cpp; older rows keep their JSON text and are replayed as before). Both
// backends: the tombstone index covers only tombstones (the purge is its only reader), so an
// upsert writes no entry into it; registrations are no longer indexed by kiosk (one entry per
// pushed registration for one reader, the nightly checksum of a kiosk's registrations, which
// reads the table once instead). PostgreSQL tables are heaps with the key in a separate index
// anyway, so they keep their layout. (v4 measured the registration table otherwise and made
// it a rowid table again; applied_op, with small rows, is smaller WITHOUT ROWID.)
constexpr const char* kSchemaV2Sqlite = R"sql(
CREATE TABLE registration_v2 (
    id              TEXT PRIMARY KEY,
    session_id      TEXT NOT NULL REFERENCES session(id),
    kiosk_id        TEXT NOT NULL,
    arrival         BIGINT NOT NULL,
    created_at      BIGINT NOT NULL,
    received_at     BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL,
    name            TEXT NOT NULL,
    phone           TEXT NOT NULL,
    age_band        TEXT,
    answers         TEXT NOT NULL DEFAULT '{}',
    code            TEXT NOT NULL,
    person_key      TEXT NOT NULL,
    status          TEXT NOT NULL CHECK (status IN ('confirmed','waitlisted','cancelled','attended')),
    waitlist_pos    BIGINT,
    lease_id        TEXT,
    local_status    TEXT NOT NULL
) WITHOUT ROWID;
INSERT INTO registration_v2 (id, session_id, kiosk_id, arrival, created_at, received_at,
    updated_at, name, phone, age_band, answers, code, person_key, status, waitlist_pos, lease_id,
    local_status)
SELECT id, session_id, kiosk_id, arrival, created_at, received_at, updated_at, name, phone,
    age_band, answers, code, person_key, status, waitlist_pos, lease_id, local_status
FROM registration;
DROP TABLE registration;
ALTER TABLE registration_v2 RENAME TO registration;
CREATE INDEX registration_session ON registration(session_id, status);
CREATE INDEX registration_person ON registration(person_key, session_id);

CREATE TABLE applied_op_v2 (
    op_id       TEXT PRIMARY KEY,
    kiosk_id    TEXT NOT NULL,
    kind        TEXT NOT NULL,
    received_at BIGINT NOT NULL,
    result      TEXT NOT NULL
) WITHOUT ROWID;
INSERT INTO applied_op_v2 (op_id, kiosk_id, kind, received_at, result)
SELECT op_id, kiosk_id, kind, received_at, result FROM applied_op;
DROP TABLE applied_op;
ALTER TABLE applied_op_v2 RENAME TO applied_op;
CREATE INDEX applied_op_age ON applied_op(received_at);
)sql";

constexpr const char* kSchemaV2Both = R"sql(
DROP INDEX IF EXISTS registration_kiosk;
DROP INDEX IF EXISTS change_log_tombstones;
CREATE INDEX change_log_tombstones ON change_log(at) WHERE op = 'delete';
)sql";

// v3: no index on applied_op.received_at. Its only reader is the purge of old op ids, which
// now scans the table at most once an hour (purgeAppliedOps); a push writes one b-tree entry
// less per op.
constexpr const char* kSchemaV3Both = R"sql(
DROP INDEX IF EXISTS applied_op_age;
)sql";

// v4 (SQLite): registration is a rowid table again, and its status CHECK compares with `=`.
// Measured on this workload (10k pushed registrations in 1000-row transactions, UUIDv7 ids):
// the WITHOUT ROWID table of v2 wrote *more* WAL bytes (9.7 MB against 7.4 MB: a
// WITHOUT ROWID table is an index b-tree, which SQLite splits in the middle, so appending rows
// leaves pages half full, and its secondary index entries carry the 36-byte id instead of a
// rowid) and cost more CPU per insert. `status IN (<four values>)` in a CHECK made SQLite build
// and clear a temporary b-tree for every inserted row (an IN list of more than two constants
// is an ephemeral table, and a CHECK is coded per row); ORed equalities test the same values.
// PostgreSQL keeps its layout (a heap with the key in an index already; its CHECK costs
// nothing of the kind).
constexpr const char* kSchemaV4Sqlite = R"sql(
CREATE TABLE registration_v4 (
    id              TEXT PRIMARY KEY,
    session_id      TEXT NOT NULL REFERENCES session(id),
    kiosk_id        TEXT NOT NULL,
    arrival         BIGINT NOT NULL,
    created_at      BIGINT NOT NULL,
    received_at     BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL,
    name            TEXT NOT NULL,
    phone           TEXT NOT NULL,
    age_band        TEXT,
    answers         TEXT NOT NULL DEFAULT '{}',
    code            TEXT NOT NULL,
    person_key      TEXT NOT NULL,
    status          TEXT NOT NULL CHECK (status = 'confirmed' OR status = 'waitlisted' OR
                                         status = 'cancelled' OR status = 'attended'),
    waitlist_pos    BIGINT,
    lease_id        TEXT,
    local_status    TEXT NOT NULL
);
INSERT INTO registration_v4 (id, session_id, kiosk_id, arrival, created_at, received_at,
    updated_at, name, phone, age_band, answers, code, person_key, status, waitlist_pos, lease_id,
    local_status)
SELECT id, session_id, kiosk_id, arrival, created_at, received_at, updated_at, name, phone,
    age_band, answers, code, person_key, status, waitlist_pos, lease_id, local_status
FROM registration ORDER BY arrival;
DROP TABLE registration;
ALTER TABLE registration_v4 RENAME TO registration;
CREATE INDEX registration_session ON registration(session_id, status);
CREATE INDEX registration_person ON registration(person_key, session_id);
)sql";

// v5: every session row holds its own seat counts, kept by the seat ledger (seat_ledger.hpp) in
// the transaction that changes a registration's status: taken = confirmed + attended,
// waitlisted = waitlisted. Why: a push used to count them from the registration table for every
// session it touched (a GROUP BY over each session's registrations, ~1.6 ms per 1000-op push at
// 10k registrations, growing with every registration a session ever had); now it reads two
// columns of a row it reads anyway. The upgrade fills them from the registrations it finds.
constexpr const char* kSchemaV5Both = R"sql(
ALTER TABLE session ADD COLUMN taken BIGINT NOT NULL DEFAULT 0;
ALTER TABLE session ADD COLUMN waitlisted BIGINT NOT NULL DEFAULT 0;
UPDATE session SET
    taken = (SELECT COUNT(*) FROM registration r WHERE r.session_id = session.id
             AND (r.status = 'confirmed' OR r.status = 'attended')),
    waitlisted = (SELECT COUNT(*) FROM registration r WHERE r.session_id = session.id
                  AND r.status = 'waitlisted');
)sql";

// One schema step: SQL both backends run, then SQL for one backend only (may be empty).
struct Step {
    const char* both;
    const char* sqliteOnly;
    const char* postgresOnly;
};

const std::array kSteps = {Step{kSchemaV1, "", ""}, Step{kSchemaV2Both, kSchemaV2Sqlite, ""},
                           Step{kSchemaV3Both, "", ""}, Step{"", kSchemaV4Sqlite, ""},
                           Step{kSchemaV5Both, "", ""}};

void runStep(SqlConnection& conn, const Step& step) {
    if (*step.both) conn.execScript(step.both);
    const char* own = conn.backendName() == "sqlite" ? step.sqliteOnly : step.postgresOnly;
    if (*own) conn.execScript(own);
}

void ensureMetaTable(SqlConnection& conn) {
    conn.execScript(
        "CREATE TABLE IF NOT EXISTS server_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)");
}

}  // namespace

int serverSchemaVersion() {
    return static_cast<int>(kSteps.size());
}

void migrateServerSchema(SqlConnection& conn, int upTo) {
    if (upTo < 1 || upTo > serverSchemaVersion())
        throw SqlError(fmt::format("no server schema version {}", upTo), false);
    {
        SqlTransaction tx(conn, TxKind::Write);
        ensureMetaTable(conn);
        tx.commit();
    }
    for (;;) {
        SqlTransaction tx(conn, TxKind::Write);
        int have = std::stoi(metaGet(conn, "schema_version").value_or("0"));
        if (have > serverSchemaVersion())
            throw SqlError(fmt::format("the server database has schema version {}, written by a "
                                       "newer fadaa-server (this one understands up to {}); "
                                       "upgrade fadaa-server",
                                       have, serverSchemaVersion()),
                           false);
        if (have >= upTo) break;  // rolled back: nothing was written
        runStep(conn, kSteps[static_cast<size_t>(have)]);
        if (have == 0) {
            // The epoch names this database in every cursor: a kiosk whose cursor came from
            // another database (a replaced or restored server) is sent to the snapshot path.
            metaSet(conn, "epoch", newHumanCode(8));
            conn.query("INSERT INTO counter(name, value) VALUES ('change', 0), ('arrival', 0)");
            metaSet(conn, "min_cursor", "0");
        }
        metaSet(conn, "schema_version", std::to_string(have + 1));
        tx.commit();
    }
}

std::optional<std::string> metaGet(SqlConnection& conn, std::string_view key) {
    return conn.scalar("SELECT value FROM server_meta WHERE key = $1", {std::string(key)});
}

void metaSet(SqlConnection& conn, std::string_view key, std::string_view value) {
    conn.query(
        "INSERT INTO server_meta(key, value) VALUES ($1, $2) "
        "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        {std::string(key), std::string(value)});
}

std::int64_t reserveCounter(SqlConnection& conn, std::string_view name, std::int64_t count) {
    SqlRows rows =
        conn.query("UPDATE counter SET value = value + $1 WHERE name = $2 RETURNING value",
                   {count, std::string(name)});
    if (rows.empty()) throw SqlError(fmt::format("counter '{}' is missing", name), false);
    return rows[0].integer(0) - count + 1;
}

std::int64_t counterValue(SqlConnection& conn, std::string_view name) {
    auto v = conn.scalar("SELECT value FROM counter WHERE name = $1", {std::string(name)});
    return v ? std::stoll(*v) : 0;
}

}  // namespace fadaa::server
