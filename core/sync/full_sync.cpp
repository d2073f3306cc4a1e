// core/sync/full_sync.cpp - nightly reconciliation, personal-data purge, online backup.
#include "sync/full_sync.hpp"

#include <fmt/format.h>
#include <sqlite3.h>

#include "store/database.hpp"
#include "store/migrations.hpp"
#include "sync/http_client.hpp"
#include "sync/json_fields.hpp"
#include "sync/sync_apply.hpp"
#include "util/time.hpp"

namespace fadaa {

using nlohmann::json;

namespace {

wire::Checksum checksumQuery(Database& db, std::string_view sql,
                             const std::vector<size_t>& jsonColumns) {
    std::vector<wire::ChecksumRow> rows;
    auto& st = db.prepare(sql);
    int columns = sqlite3_column_count(st.handle());
    while (st.step()) {
        wire::ChecksumRow row;
        for (int c = 0; c < columns; ++c) row.push_back(st.getOptText(c));
        rows.push_back(std::move(row));
    }
    st.reset();
    return wire::checksumRows(std::move(rows), jsonColumns);
}

// The server's checksums, by table. Throws std::runtime_error with the reason.
std::map<std::string, wire::Checksum> serverChecksums(SyncClient& client) {
    HttpClient http(client.httpOptions());
    HttpResponse r = http.get(std::string(wire::kChecksumsPath));
    if (!r.ok())
        throw std::runtime_error(r.reached()
                                     ? fmt::format("checksums: server answered {}", r.status)
                                     : "checksums: server unreachable: " + r.transportError);
    json body = parseJson(r.body);
    JsonFields top(body, "checksums", {"tables", "server_time"});
    std::map<std::string, wire::Checksum> out;
    const json& tables = top.value("tables");
    if (!tables.is_object()) throw WireError("wrong_type", "checksums.tables must be an object");
    for (const auto& [name, value] : tables.items()) {
        JsonFields t(value, "tables." + name, {"rows", "sha256"});
        out[name] = {t.integer("rows"), t.text("sha256", 64)};
    }
    return out;
}

std::vector<std::string> compare(const std::map<std::string, wire::Checksum>& local,
                                 const std::map<std::string, wire::Checksum>& remote) {
    std::vector<std::string> drifted;
    for (const auto& [name, sum] : local) {
        auto it = remote.find(name);
        if (it == remote.end() || !(it->second == sum)) drifted.push_back(name);
    }
    return drifted;
}

}  // namespace

std::map<std::string, wire::Checksum> localChecksums(Database& db) {
    std::map<std::string, wire::Checksum> out;
    Transaction tx(db);  // one consistent view of every table
    for (const wire::ChecksumTable& t : wire::catalogueChecksumTables())
        out[std::string(t.name)] = checksumQuery(db, t.sql, t.jsonColumns);
    // Registrations the server holds under their own id: their register op was acknowledged
    // with this registration (not rejected, not merged into another one). outbox.result is
    // NULL for that answer (sync_apply.hpp); stores written before keep the whole answer.
    out[std::string(wire::kRegistrationChecksum)] =
        checksumQuery(db,
                      "SELECT r.id, r.session_id, r.status, r.waitlist_pos FROM registration r "
                      "WHERE EXISTS (SELECT 1 FROM outbox o WHERE o.kind = 'register' "
                      "AND o.state IN ('applied', 'duplicate', 'remapped') "
                      "AND json_extract(o.payload, '$.registration_id') = r.id "
                      "AND (o.result IS NULL OR "
                      "     json_extract(o.result, '$.registration.id') = r.id))",
                      {});
    tx.commit();
    return out;
}

int purgePersonalData(Database& db, Timestamp endedBefore) {
    Transaction tx(db);
    // Registrations the server holds, of sessions long over, with nothing left to push.
    db.exec(
        "CREATE TEMP TABLE IF NOT EXISTS purge_ids (id TEXT PRIMARY KEY); DELETE FROM purge_ids;");
    db.prepare(
          "INSERT INTO purge_ids(id) SELECT r.id FROM registration r JOIN session s "
          "ON s.id = r.session_id WHERE r.purged = 0 AND s.ends_at < ? "
          "AND EXISTS (SELECT 1 FROM outbox o WHERE o.kind = 'register' "
          "  AND o.state IN ('applied', 'duplicate', 'remapped') "
          "  AND json_extract(o.payload, '$.registration_id') = r.id) "
          "AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.state = 'pending' "
          "  AND json_extract(o.payload, '$.registration_id') = r.id)")
        .bindAll(endedBefore)
        .exec();
    int purged = db.changes();
    db.exec(
        "UPDATE registration SET name = '', phone = '', answers = '{}', age_band = NULL, "
        "person_key = 'purged:' || id, purged = 1 WHERE id IN (SELECT id FROM purge_ids);"
        "UPDATE outbox SET payload = json_remove(payload, '$.name', '$.phone', '$.answers', "
        "'$.age_band') WHERE kind = 'register' "
        "AND json_extract(payload, '$.registration_id') IN (SELECT id FROM purge_ids);"
        "DELETE FROM purge_ids;");
    tx.commit();
    return purged;
}

void backupStore(Database& db, const std::filesystem::path& to) {
    std::filesystem::path tmp = to;
    tmp += ".part";
    std::filesystem::remove(tmp);
    sqlite3* dest = nullptr;
    int rc = sqlite3_open(tmp.c_str(), &dest);
    if (rc == SQLITE_OK) {
        sqlite3_backup* backup = sqlite3_backup_init(dest, "main", db.handle(), "main");
        if (!backup) {
            rc = sqlite3_errcode(dest);
        } else {
            // Copy in steps so the kiosk's own writers are never locked out for long; a write
            // between steps restarts the copy, which for a kiosk store is quick.
            do {
                rc = sqlite3_backup_step(backup, 256);
                if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) sqlite3_sleep(20);
            } while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
            sqlite3_backup_finish(backup);
            if (rc == SQLITE_DONE) rc = SQLITE_OK;
        }
    }
    std::string message = dest ? sqlite3_errmsg(dest) : sqlite3_errstr(rc);
    sqlite3_close(dest);
    if (rc != SQLITE_OK) {
        std::filesystem::remove(tmp);
        throw StoreError(rc, fmt::format("backup to {} failed: {}", to.string(), message));
    }
    std::filesystem::rename(tmp, to);
}

FullSyncReport fullSync(Database& db, const SyncOptions& options, const FullSyncOptions& full) {
    FullSyncReport report;
    SyncClient client(db, options);
    report.sync = client.syncOnce();
    std::vector<std::string> problems;
    if (!report.sync.ok) problems.push_back(report.sync.error);
    try {
        if (report.sync.ok) {
            auto remote = serverChecksums(client);
            report.drifted = compare(localChecksums(db), remote);
            report.stillDrifted = report.drifted;
            if (!report.drifted.empty() && full.repair) {
                // A snapshot re-pull rewrites the catalogue and this kiosk's registration
                // statuses from the server's records; anything not yet pushed stays queued.
                beginSnapshot(db);
                SyncReport again = client.syncOnce();
                if (!again.ok) problems.push_back("repair: " + again.error);
                report.stillDrifted = compare(localChecksums(db), serverChecksums(client));
            }
            if (!report.stillDrifted.empty())
                problems.push_back("tables differ from the server: " +
                                   fmt::format("{}", fmt::join(report.stillDrifted, ", ")));
        }
    } catch (const std::exception& e) {
        problems.push_back(e.what());
    }
    Timestamp now = kioskNow() + std::stoll(syncStateGet(db, "clock_skew_seconds").value_or("0"));
    report.purged = purgePersonalData(db, now - full.purgeAfterDays * 86400LL);
    if (!full.backupPath.empty()) {
        try {
            backupStore(db, full.backupPath);
            report.backedUp = true;
        } catch (const std::exception& e) {
            problems.push_back(e.what());
        }
    }
    report.ok = problems.empty();
    report.error = fmt::format("{}", fmt::join(problems, "; "));
    return report;
}

}  // namespace fadaa
