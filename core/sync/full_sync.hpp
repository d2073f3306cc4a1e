// core/sync/full_sync.hpp - the nightly `fadaa sync --full`: a sync, then per-table checksums
// against the server with repair, removal of personal data the kiosk no longer needs, and an
// online backup of the store (SQLite backup API).
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "sync/sync_client.hpp"
#include "sync/wire.hpp"

namespace fadaa {

class Database;

struct FullSyncOptions {
    int purgeAfterDays = 30;           // sessions that ended longer ago lose their personal data
    std::filesystem::path backupPath;  // "" = no backup
    bool repair = true;                // re-pull a snapshot when a checksum differs
};

struct FullSyncReport {
    bool ok = false;
    std::string error;
    SyncReport sync;
    std::vector<std::string> drifted;       // tables that differed before repair
    std::vector<std::string> stillDrifted;  // and after it
    int purged = 0;
    bool backedUp = false;
};

FullSyncReport fullSync(Database& db, const SyncOptions& options, const FullSyncOptions& full);

// This kiosk's checksums of the tables the server also checksums (catalogue tables, and its
// own registrations the server has acknowledged).
std::map<std::string, wire::Checksum> localChecksums(Database& db);

// Blanks name, phone, answers and age band of registrations of sessions that ended before
// `endedBefore`, once the server holds them (their register op acknowledged, nothing pending),
// including the copies in their outbox payloads. Returns how many registrations were purged.
int purgePersonalData(Database& db, Timestamp endedBefore);

// Writes a consistent copy of the live store to `to` (via a temporary file renamed into place),
// with the SQLite online backup API. Throws StoreError.
void backupStore(Database& db, const std::filesystem::path& to);

}  // namespace fadaa
