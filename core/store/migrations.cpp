// core/store/migrations.cpp - the kiosk store's schema, one step per version.
//
// Conventions (design.md section 6): times are Unix seconds (INTEGER, UTC); ids that leave the
// device are UUIDv7 text; translatable text is a JSON object {"ar":..,"fr":..,"en":..,"zgh":..}.
#include "store/migrations.hpp"

#include <fmt/format.h>

#include <array>

#include "catalogue/search_index.hpp"
#include "store/database.hpp"

namespace fadaa {
namespace {

// Version 1: catalogue, registrations, staff, audit, sync bookkeeping.
constexpr const char* kSchemaV1 = R"sql(
CREATE TABLE venue (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL,              -- translatable JSON
    address     TEXT NOT NULL DEFAULT '',
    updated_at  INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE category (
    id          TEXT PRIMARY KEY,           -- play, concert, chess, conference, workshop, ...
    name        TEXT NOT NULL,              -- translatable JSON
    sort_order  INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE organizer (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL,              -- translatable JSON
    updated_at  INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE event (
    id              TEXT PRIMARY KEY,
    category_id     TEXT NOT NULL REFERENCES category(id),
    organizer_id    TEXT REFERENCES organizer(id),
    title           TEXT NOT NULL,          -- translatable JSON
    description     TEXT NOT NULL DEFAULT '{}',
    age_min         INTEGER,                -- audience, inclusive; NULL = no bound
    age_max         INTEGER,
    registration_required INTEGER NOT NULL DEFAULT 1,
    form            TEXT NOT NULL DEFAULT '[]',  -- form definition, JSON array of fields
    version         INTEGER NOT NULL DEFAULT 1,
    updated_at      INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX event_category ON event(category_id);
CREATE TABLE session (
    id              TEXT PRIMARY KEY,
    event_id        TEXT NOT NULL REFERENCES event(id) ON DELETE CASCADE,
    venue_id        TEXT REFERENCES venue(id),
    starts_at       INTEGER NOT NULL,
    ends_at         INTEGER NOT NULL,
    capacity        INTEGER,                -- NULL = no limit
    reg_opens_at    INTEGER,                -- NULL = open now
    reg_closes_at   INTEGER,                -- NULL = until the start
    status          TEXT NOT NULL DEFAULT 'scheduled' CHECK (status IN ('scheduled','cancelled')),
    updated_at      INTEGER NOT NULL DEFAULT 0,
    CHECK (ends_at >= starts_at),
    CHECK (capacity IS NULL OR capacity >= 0)
);
CREATE INDEX session_start ON session(starts_at);
CREATE INDEX session_event ON session(event_id, starts_at);

CREATE TABLE registration (
    id              TEXT PRIMARY KEY,       -- UUIDv7
    session_id      TEXT NOT NULL REFERENCES session(id),
    kiosk_id        TEXT NOT NULL DEFAULT '',
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL,
    name            TEXT NOT NULL,          -- personal data: purged after retention
    phone           TEXT NOT NULL,          -- E.164
    age_band        TEXT,
    answers         TEXT NOT NULL DEFAULT '{}',
    status          TEXT NOT NULL CHECK (status IN
                      ('confirmed','provisional','waitlisted','cancelled','attended')),
    code            TEXT NOT NULL UNIQUE,   -- Crockford base32, for people
    person_key      TEXT NOT NULL,          -- normalised phone + name: one live registration each
    waitlist_pos    INTEGER,                -- arrival order among the waitlisted
    purged          INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX registration_session ON registration(session_id, status);
CREATE UNIQUE INDEX registration_person ON registration(session_id, person_key)
    WHERE status <> 'cancelled';

CREATE TABLE staff (
    id              TEXT PRIMARY KEY,
    name            TEXT NOT NULL,
    role            TEXT NOT NULL CHECK (role IN ('admin','staff')),
    pin_hash        TEXT NOT NULL,          -- Argon2id (libsodium crypto_pwhash_str)
    failed_attempts INTEGER NOT NULL DEFAULT 0,
    locked_until    INTEGER NOT NULL DEFAULT 0,
    created_at      INTEGER NOT NULL
);
CREATE TABLE audit_log (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    at          INTEGER NOT NULL,
    actor       TEXT NOT NULL,              -- staff id, 'resident', 'sync', 'cli'
    action      TEXT NOT NULL,
    subject     TEXT NOT NULL DEFAULT '',   -- ids only, never personal data
    detail      TEXT NOT NULL DEFAULT ''
);

-- Sync bookkeeping. Every domain write puts its outbox row in the same transaction.
CREATE TABLE outbox (
    seq         INTEGER PRIMARY KEY AUTOINCREMENT,
    op_id       TEXT NOT NULL UNIQUE,       -- idempotency key (UUIDv7)
    kind        TEXT NOT NULL,              -- register, cancel, check_in, event_edit, ...
    payload     TEXT NOT NULL,              -- JSON intent
    state       TEXT NOT NULL DEFAULT 'pending'
                  CHECK (state IN ('pending','applied','duplicate','rejected','remapped')),
    attempts    INTEGER NOT NULL DEFAULT 0,
    last_error  TEXT,
    result      TEXT,                       -- server's answer, JSON
    created_at  INTEGER NOT NULL,
    acked_at    INTEGER
);
CREATE INDEX outbox_pending ON outbox(state, seq);
CREATE TABLE sync_state (
    key         TEXT PRIMARY KEY,           -- kiosk_id, cursor, server_url, token, skew, ...
    value       TEXT NOT NULL
);
CREATE TABLE seat_lease (
    session_id  TEXT PRIMARY KEY REFERENCES session(id) ON DELETE CASCADE,
    lease_id    TEXT NOT NULL,
    seats       INTEGER NOT NULL CHECK (seats >= 0),  -- granted by the server
    used        INTEGER NOT NULL DEFAULT 0 CHECK (used >= 0 AND used <= seats),
    expires_at  INTEGER NOT NULL            -- server time
);

)sql";

// Version 2: the search index (superseded by version 4, which re-creates and fills it).
constexpr const char* kSchemaV2 = R"sql(
-- Search: one row per event, text normalised by core/catalogue/search_text (accents folded,
-- Arabic letter forms unified), so FTS5 compares like with like in every language.
CREATE VIRTUAL TABLE event_search USING fts5(
    event_id UNINDEXED, body,
    tokenize = 'unicode61 remove_diacritics 2',
    prefix = '1 2 3'
);
)sql";

// Version 3: which seat lease confirmed a registration, so a cancellation on this kiosk gives
// the seat back to that lease (and only while the lease is still the current one).
constexpr const char* kSchemaV3 = R"sql(
ALTER TABLE registration ADD COLUMN lease_id TEXT;  -- NULL: not confirmed from a lease here
)sql";

// Version 4: the search index keyed by a stable integer per event, and the indexes the session
// listing needs (see core/catalogue/listing.cpp).
// - event.search_rowid is the rowid of the event's row in event_search. An explicit column, not
//   event's implicit rowid, because VACUUM may renumber implicit rowids. With it a search reads
//   only FTS5 doclists (rowids), never the FTS content table, and re-indexing one event deletes
//   its row by rowid instead of scanning the index.
// - session(starts_at, id, ...) gives the listing's order without a sort; it and
//   session(event_id, starts_at, ...) and event(id, search_rowid, ...) cover the columns the
//   listing filters on, so picking a page never reads the wide event rows (titles and
//   descriptions in four languages): at 100k sessions that halved the time of a search.
//   The expression index on the duration makes max(ends_at - starts_at) a lookup, which
//   bounds where a walk for "sessions ending after T" has to start.
// Events already in the store are indexed by the step itself (rebuildSearchIndex).
constexpr const char* kSchemaV4 = R"sql(
ALTER TABLE event ADD COLUMN search_rowid INTEGER;
CREATE UNIQUE INDEX event_search_rowid ON event(search_rowid);
DROP TABLE event_search;
CREATE VIRTUAL TABLE event_search USING fts5(
    body,
    tokenize = 'unicode61 remove_diacritics 2',
    prefix = '1 2 3'
);
DROP INDEX session_start;
CREATE INDEX session_start ON session(starts_at, id, ends_at, status, event_id);
DROP INDEX session_event;
CREATE INDEX session_event ON session(event_id, starts_at, id, ends_at, status);
CREATE INDEX event_listing ON event(id, search_rowid, category_id, age_min, age_max);
CREATE INDEX session_duration ON session(ends_at - starts_at);
-- Re-indexing the events of a renamed venue or organizer, and foreign-key checks on delete.
CREATE INDEX session_venue ON session(venue_id);
CREATE INDEX event_organizer ON event(organizer_id);
)sql";

// Version 5: what syncing with the city server needs (docs/sync-protocol.md).
// - session_counts: the server's seat counts per session, written by sync with each pulled
//   session (taken = confirmed + attended everywhere, waitlisted, seats leased to kiosks and not
//   yet used). A separate table, not session columns, so catalogue upserts never clobber it.
// - sync_seen: the records a snapshot pull has delivered so far; when the snapshot ends, local
//   catalogue records it did not deliver are removed. Empty outside a snapshot.
constexpr const char* kSchemaV5 = R"sql(
CREATE TABLE session_counts (
    session_id  TEXT PRIMARY KEY,
    taken       INTEGER NOT NULL,
    waitlisted  INTEGER NOT NULL,
    leased      INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL            -- server time of the pull
);
CREATE TABLE sync_seen (
    entity      TEXT NOT NULL,
    id          TEXT NOT NULL,
    PRIMARY KEY (entity, id)
) WITHOUT ROWID;
)sql";

// Version 6: fewer index entries moved when a push answer is written (docs/sync-protocol.md,
// "Kiosk store"). Measured on sync_bench's 10k push (callgrind, kiosk side): each
// acknowledged op and each registration the server confirmed moved entries in three indexes.
// - outbox_pending holds only pending ops: acknowledging an op deletes its entry and inserts
//   none (it moved from ('pending', seq) to (state, seq)). Readers of pending ops use it as
//   before; the few that read acknowledged ones (lastAcknowledgedSeq, once per sync; the
//   nightly checksum and purge) walk the table by seq.
// - registration.cancelled is 1 when status is 'cancelled': the triggers below keep it so on
//   every write of status or of the flag (a write that disagrees is corrected). No index
//   holds the status of a live registration any more, so a status change between live ones (a
//   provisional registration confirmed: most of a push answer's writes) moves no index entry:
//   - registration_person (one live registration per person and session) filters on the
//     flag; its WHERE was `status <> 'cancelled'`, so every status change deleted and
//     re-inserted the entry, with a uniqueness probe;
//   - registration_session is (session_id, cancelled): foreign-key checks, and live
//     registrations counted from the index alone;
//   - registration_waitlist holds only the waiting list (counts, ranks, the next to promote);
//     a row outside it both before and after a change costs only the test of its WHERE.
//   Seats taken = live - waitlisted (the statuses are the CHECK list), both counted in an index.
constexpr const char* kSchemaV6 = R"sql(
DROP INDEX outbox_pending;
CREATE INDEX outbox_pending ON outbox(seq) WHERE state = 'pending';
ALTER TABLE registration ADD COLUMN cancelled INTEGER NOT NULL DEFAULT 0;
UPDATE registration SET cancelled = 1 WHERE status = 'cancelled';
DROP INDEX registration_person;
CREATE UNIQUE INDEX registration_person ON registration(session_id, person_key)
    WHERE cancelled = 0;
DROP INDEX registration_session;
CREATE INDEX registration_session ON registration(session_id, cancelled);
CREATE INDEX registration_waitlist ON registration(session_id, status, waitlist_pos)
    WHERE status = 'waitlisted';
CREATE TRIGGER registration_cancelled_update AFTER UPDATE OF status, cancelled ON registration
    WHEN (new.status = 'cancelled') <> new.cancelled
BEGIN
    UPDATE registration SET cancelled = (new.status = 'cancelled') WHERE rowid = new.rowid;
END;
CREATE TRIGGER registration_cancelled_insert AFTER INSERT ON registration
    WHEN (new.status = 'cancelled') <> new.cancelled
BEGIN
    UPDATE registration SET cancelled = (new.status = 'cancelled') WHERE rowid = new.rowid;
END;
)sql";

struct Step {
    const char* sql;
    // Data work that SQL alone cannot do, same transaction. It runs today's code, which expects
    // today's schema: a hook belongs on the last step that changes the tables it touches.
    void (*after)(Database&);
};

const std::array kSteps = {
    Step{kSchemaV1, nullptr},
    Step{kSchemaV2, nullptr},  // version 4 re-creates and fills the index
    Step{kSchemaV3, nullptr},
    Step{kSchemaV4, rebuildSearchIndex},
    Step{kSchemaV5, nullptr},
    Step{kSchemaV6, nullptr},
};

void runStep(Database& db, int version) {
    Transaction tx(db);
    const Step& step = kSteps[static_cast<size_t>(version - 1)];
    db.exec(step.sql);
    if (step.after) step.after(db);
    db.exec(fmt::format("PRAGMA user_version={}", version));
    tx.commit();
}

}  // namespace

int currentSchemaVersion() { return static_cast<int>(kSteps.size()); }

void migrateTo(Database& db, int version) {
    int have = db.schemaVersion();
    if (have > currentSchemaVersion()) {
        throw StoreError(SQLITE_ERROR,
                         fmt::format("database {} has schema version {}, written by a newer "
                                     "version of Fadaa (this one understands up to {}); "
                                     "upgrade Fadaa before opening it",
                                     db.path().string(), have, currentSchemaVersion()));
    }
    for (int v = have + 1; v <= version; ++v) runStep(db, v);
}

void migrate(Database& db) {
    migrateTo(db, currentSchemaVersion());
}

}  // namespace fadaa
