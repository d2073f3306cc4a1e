// server/lib/sqlite_backend.cpp - SqlConnection over core's SQLite Database wrapper.
#include "sqlite_backend.hpp"

#include <cstdlib>
#include <string>
#include <unordered_map>
#include <vector>

#include "store/database.hpp"

namespace fadaa::server {
namespace {

class SqliteConnection : public SqlConnection {
public:
    SqliteConnection(const std::filesystem::path& path, std::mutex& writeMutex)
        : m_writeMutex(writeMutex) {
        try {
            DatabaseOptions options;
            options.durability = Durability::Full;  // an acknowledged push survives power loss
            options.busyTimeoutMs = 15000;
            options.migrate = false;  // the server's schema is not the kiosk's
            m_db = std::make_unique<Database>(path, options);
            // A push of 1000 registrations dirties about 1000 pages; with SQLite's default
            // (checkpoint when the WAL passes 1000 pages) nearly every push also copied its
            // pages into the database file and synced it. Checkpointing every few pushes
            // writes a page changed by several of them (the last leaf of each index, the
            // session rows) into the file once. The WAL is reset after each checkpoint.
            m_db->exec("PRAGMA wal_autocheckpoint=8192");
            // A multi-row INSERT that can fail a constraint keeps a statement journal (the
            // original of every page it changes); past 64 KiB SQLite spills it to a temporary
            // file. That was two thirds of the bytes a push wrote (42 of 59 MB for 10k
            // registrations). In memory it is a copy, and a statement is at most ~800 values.
            m_db->exec("PRAGMA temp_store=MEMORY");
        } catch (const StoreError& e) {
            throw SqlError(e.what(), e.isBusy());
        }
    }

    SqlRows query(std::string_view sql, const SqlParams& params) override {
        try {
            Statement& st = m_db->prepare(sql);
            sqlite3_stmt* h = st.handle();
            const std::vector<int>& slots = slotsOf(h);
            for (size_t i = 0; i < params.size() && i < slots.size(); ++i) {
                int index = slots[i];
                if (index == 0) continue;
                const SqlValue& v = params[i];
                if (std::holds_alternative<std::int64_t>(v)) {
                    st.bind(index, std::get<std::int64_t>(v));
                } else if (std::holds_alternative<std::string>(v)) {
                    // Bound without a copy: `params` outlives every step of this call, and
                    // the statement is reset with its bindings cleared before its next use
                    // (Database::prepare). A 1000-row push binds about 30,000 strings.
                    const std::string& text = std::get<std::string>(v);
                    int rc = sqlite3_bind_text64(h, index, text.data(), text.size(), SQLITE_STATIC,
                                                 SQLITE_UTF8);
                    if (rc != SQLITE_OK)
                        throw SqlError(
                            std::string("cannot bind a parameter: ") + sqlite3_errstr(rc), false);
                } else {
                    st.bindNull(index);
                }
            }
            SqlRows rows;
            int columns = sqlite3_column_count(h);
            while (st.step()) {
                std::vector<std::optional<std::string>> values;
                values.reserve(static_cast<size_t>(columns));
                for (int c = 0; c < columns; ++c) values.push_back(st.getOptText(c));
                rows.emplace_back(std::move(values));
            }
            // Reset only: the bindings are cleared by the next prepare() of this statement.
            sqlite3_reset(h);
            return rows;
        } catch (const StoreError& e) {
            throw SqlError(e.what(), e.isBusy());
        }
    }

    void execScript(std::string_view sql) override {
        try {
            m_db->exec(sql);
        } catch (const StoreError& e) {
            throw SqlError(e.what(), e.isBusy());
        }
    }

    void begin(TxKind kind) override {
        if (kind == TxKind::Write) m_writeLock = std::unique_lock(m_writeMutex);
        try {
            m_db->exec(kind == TxKind::Write ? "BEGIN IMMEDIATE" : "BEGIN");
        } catch (const StoreError& e) {
            if (m_writeLock.owns_lock()) m_writeLock.unlock();
            throw SqlError(e.what(), e.isBusy());
        }
    }

    void commit() override {
        try {
            m_db->exec("COMMIT");
        } catch (const StoreError& e) {
            throw SqlError(e.what(), e.isBusy());
        }
        if (m_writeLock.owns_lock()) m_writeLock.unlock();
    }

    void rollback() noexcept override {
        try {
            m_db->exec("ROLLBACK");
        } catch (...) {
            // Already rolled back by SQLite itself (e.g. after SQLITE_FULL).
        }
        if (m_writeLock.owns_lock()) m_writeLock.unlock();
    }

    // synchronous=NORMAL in WAL mode: a commit writes its frames to the WAL without syncing it.
    // A connection that could not go back to FULL is never used again (healthy() false).
    void deferCommitSync(bool defer) override {
        try {
            m_db->exec(defer ? "PRAGMA synchronous=NORMAL" : "PRAGMA synchronous=FULL");
        } catch (const StoreError& e) {
            if (!defer) m_broken = true;
            throw SqlError(e.what(), e.isBusy());
        }
    }

    bool healthy() const override { return !m_broken; }

    // Syncs the WAL file through this connection's own handle to it, as a FULL commit would.
    // A checkpoint cannot have reused the WAL meanwhile without syncing it first (it syncs the
    // WAL before it copies, and the database file before the WAL is restarted).
    void syncCommitted() override {
        sqlite3_file* wal = nullptr;
        int rc = sqlite3_file_control(m_db->handle(), "main", SQLITE_FCNTL_JOURNAL_POINTER, &wal);
        if (rc != SQLITE_OK || !wal || !wal->pMethods)
            throw SqlError("cannot reach the database's WAL file to sync it", false);
        rc = wal->pMethods->xSync(wal, SQLITE_SYNC_NORMAL);
        if (rc != SQLITE_OK)
            throw SqlError(std::string("cannot sync the WAL file: ") + sqlite3_errstr(rc), false);
    }

    std::string_view backendName() const override { return "sqlite"; }

private:
    // Parameters are named $1..$n and SQLite numbers them by first appearance, so $k is not
    // necessarily slot k. The map from k to slot is worked out once per prepared statement
    // (looking names up on every call costs O(n^2) on an 800-value INSERT).
    const std::vector<int>& slotsOf(sqlite3_stmt* h) {
        auto it = m_slots.find(h);
        if (it != m_slots.end()) return it->second;
        std::vector<int> slots;
        int count = sqlite3_bind_parameter_count(h);
        for (int slot = 1; slot <= count; ++slot) {
            const char* name = sqlite3_bind_parameter_name(h, slot);
            if (!name || name[0] != '$') continue;
            size_t k = std::strtoul(name + 1, nullptr, 10);
            if (k == 0) continue;
            if (slots.size() < k) slots.resize(k, 0);
            slots[k - 1] = slot;
        }
        return m_slots.emplace(h, std::move(slots)).first->second;
    }

    std::unique_ptr<Database> m_db;
    bool m_broken = false;
    std::unordered_map<sqlite3_stmt*, std::vector<int>> m_slots;  // statements live as long as m_db
    std::mutex& m_writeMutex;
    std::unique_lock<std::mutex> m_writeLock;
};

}  // namespace

SqliteBackend::SqliteBackend(std::filesystem::path path) : m_path(std::move(path)) {}

std::unique_ptr<SqlConnection> SqliteBackend::connect() {
    return std::make_unique<SqliteConnection>(m_path, m_writeMutex);
}

std::unique_ptr<SqlBackend> openSqliteBackend(const std::string& path) {
    return std::make_unique<SqliteBackend>(path);
}

}  // namespace fadaa::server
