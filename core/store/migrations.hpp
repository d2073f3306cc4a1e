// core/store/migrations.hpp - versioned schema migrations for the kiosk store.
//
// The schema version lives in PRAGMA user_version. migrate() runs every step above the
// database's version, in order, each in its own transaction, so a crash mid-way leaves the
// database at the last completed version. A database from a newer Fadaa is refused.
#pragma once

namespace fadaa {

class Database;

// The schema version this build writes. Bump it and add a step in migrations.cpp.
int currentSchemaVersion();

// Brings db up to currentSchemaVersion(). Throws StoreError if db's version is newer than
// ours ("written by a newer version of Fadaa") or a step fails (the step is rolled back).
void migrate(Database& db);

// Runs migration steps only up to `version` (for tests that build an older schema).
void migrateTo(Database& db, int version);

}  // namespace fadaa
