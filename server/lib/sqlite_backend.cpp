// server/lib/sqlite_backend.cpp - SqlConnection over core's SQLite Database wrapper.
#include "sqlite_backend.hpp"

#include <cctype>
#include <cstdint>
#include <cstdlib>
#include <functional>
#include <string>
#include <unordered_map>
#include <vector>

#include "store/database.hpp"

namespace fadaa::server {
namespace {

// SQLite's identifier characters (tokenize.c's IdChar): `$` may continue a name (`a$1` is one
// identifier), and bytes >= 0x80 are letters.
bool isIdChar(char c) {
    auto u = static_cast<unsigned char>(c);
    return u >= 0x80 || std::isalnum(u) || c == '_' || c == '$';
}

[[noreturn]] void rejectParameter(std::string_view sql) {
    throw SqlError(
        "SQL for the server takes parameters as $1..$n only (in: " + std::string(sql) + ")", false);
}

}  // namespace

SqliteSqlText toSqlitePlaceholders(std::string_view sql) {
    SqliteSqlText out;
    out.text.reserve(sql.size());
    const size_t n = sql.size();
    size_t i = 0;
    // Copies sql[i..end) unchanged and moves past it.
    auto copyTo = [&](size_t end) {
        out.text.append(sql.substr(i, end - i));
        i = end;
    };
    while (i < n) {
        char c = sql[i];
        if (c == '\'' || c == '"' || c == '`' || c == '[') {
            // A string literal or a quoted name; a doubled quote inside is an escaped quote,
            // which the scan handles as two adjacent quoted runs.
            char close = c == '[' ? ']' : c;
            size_t end = sql.find(close, i + 1);
            copyTo(end == std::string_view::npos ? n : end + 1);
        } else if (c == '-' && i + 1 < n && sql[i + 1] == '-') {
            size_t end = sql.find('\n', i);
            copyTo(end == std::string_view::npos ? n : end + 1);
        } else if (c == '/' && i + 1 < n && sql[i + 1] == '*') {
            size_t end = sql.find("*/", i + 2);
            copyTo(end == std::string_view::npos ? n : end + 2);
        } else if (c == '$' && i + 1 < n && std::isdigit(static_cast<unsigned char>(sql[i + 1]))) {
            size_t end = i + 1;
            std::uint64_t k = 0;
            while (end < n && std::isdigit(static_cast<unsigned char>(sql[end]))) {
                k = k * 10 + static_cast<std::uint64_t>(sql[end] - '0');
                if (k > 1000000) rejectParameter(sql);
                ++end;
            }
            if (k == 0 || (end < n && isIdChar(sql[end]))) rejectParameter(sql);  // $0, $1abc
            out.text += '?';
            out.slots.push_back(static_cast<std::uint32_t>(k - 1));
            i = end;
        } else if (c == '?' ||
                   ((c == '$' || c == ':' || c == '@') && i + 1 < n && isIdChar(sql[i + 1]))) {
            rejectParameter(sql);
        } else if (isIdChar(c)) {
            // A name or number: a `$` inside it is part of the name, not a parameter.
            size_t end = i + 1;
            while (end < n && isIdChar(sql[end])) ++end;
            copyTo(end);
        } else {
            out.text += c;
            ++i;
        }
    }
    return out;
}

namespace {

class SqliteConnection : public SqlConnection {
public:
    SqliteConnection(const std::filesystem::path& path, std::mutex& writeMutex)
        : m_path(path), m_writeMutex(writeMutex) {
        m_checked.db = open(true);
    }

    SqlRows query(std::string_view sql, const SqlParams& params) override {
        return run(sql, params.size(), [&](size_t i) { return &params[i]; });
    }

    SqlRows queryRows(std::string_view sql, const std::vector<SqlParams>& rows, size_t first,
                      size_t count) override {
        m_values.clear();
        for (size_t r = first; r < first + count; ++r)
            for (const SqlValue& v : rows.at(r)) m_values.push_back(&v);
        return run(sql, m_values.size(), [&](size_t i) { return m_values[i]; });
    }

    bool reusesStatements() const override { return true; }

    std::string_view bulkInsertVerb() const override {
        return sqlite3_get_autocommit(m_active->db->handle()) ? "INSERT" : "INSERT OR FAIL";
    }

    void execScript(std::string_view sql) override {
        try {
            m_active->db->exec(sql);
        } catch (const StoreError& e) {
            throw SqlError(e.what(), e.isBusy());
        }
    }

    // A WriteRefsVerified transaction runs on a second SQLite connection to the same file with
    // foreign keys off (opened on first use); every other statement runs on the first, where
    // they are on. Why not `PRAGMA foreign_keys` around the transaction: changing it expires
    // every prepared statement of the connection, and re-preparing a push's statements (the
    // 800-value INSERTs above all) cost more than the checks saved (callgrind, 10k push:
    // +97M instructions instead of a saving). Two connections never switch a setting, so
    // there is nothing to restore and nothing that can fail to be restored.
    void begin(TxKind kind) override {
        Handle* h = &m_checked;
        if (kind == TxKind::WriteRefsVerified) {
            if (!m_unchecked) {
                m_unchecked = std::make_unique<Handle>();
                m_unchecked->db = open(false);
            }
            h = m_unchecked.get();
        }
        if (isWrite(kind)) m_writeLock = std::unique_lock(m_writeMutex);
        try {
            h->db->exec(isWrite(kind) ? "BEGIN IMMEDIATE" : "BEGIN");
        } catch (const StoreError& e) {
            if (m_writeLock.owns_lock()) m_writeLock.unlock();
            throw SqlError(e.what(), e.isBusy());
        }
        m_active = h;
    }

    void commit() override {
        try {
            m_active->db->exec("COMMIT");
        } catch (const StoreError& e) {
            throw SqlError(e.what(), e.isBusy());  // still open: the caller rolls back
        }
        if (m_writeLock.owns_lock()) {
            m_committed = m_active;
            m_writeLock.unlock();
        }
        m_active = &m_checked;
    }

    void rollback() noexcept override {
        try {
            m_active->db->exec("ROLLBACK");
        } catch (...) {
            // Already rolled back by SQLite itself (e.g. after SQLITE_FULL).
        }
        m_active = &m_checked;
        if (m_writeLock.owns_lock()) m_writeLock.unlock();
    }

    // synchronous=NORMAL in WAL mode: a commit writes its frames to the WAL without syncing it.
    // Set on both SQLite connections (a second one opened later takes the current setting). A
    // connection that could not go back to FULL is never used again (healthy() false).
    void deferCommitSync(bool defer) override {
        m_deferred = defer;
        try {
            for (Handle* h : {&m_checked, m_unchecked.get()})
                if (h) h->db->exec(defer ? "PRAGMA synchronous=NORMAL" : "PRAGMA synchronous=FULL");
        } catch (const StoreError& e) {
            if (!defer) m_broken = true;
            throw SqlError(e.what(), e.isBusy());
        }
    }

    bool healthy() const override { return !m_broken; }

    // Syncs the WAL file through the handle to it of the SQLite connection that made the last
    // write commit, as a FULL commit would. A checkpoint cannot have reused the WAL meanwhile
    // without syncing it first (it syncs the WAL before it copies, and the database file
    // before the WAL is restarted).
    void syncCommitted() override {
        sqlite3_file* wal = nullptr;
        int rc = sqlite3_file_control(m_committed->db->handle(), "main",
                                      SQLITE_FCNTL_JOURNAL_POINTER, &wal);
        if (rc != SQLITE_OK || !wal || !wal->pMethods)
            throw SqlError("cannot reach the database's WAL file to sync it", false);
        rc = wal->pMethods->xSync(wal, SQLITE_SYNC_NORMAL);
        if (rc != SQLITE_OK)
            throw SqlError(std::string("cannot sync the WAL file: ") + sqlite3_errstr(rc), false);
    }

    std::string_view backendName() const override { return "sqlite"; }

private:
    // A prepared statement for one caller's SQL text, with the parameter each slot takes.
    struct Cached {
        std::unique_ptr<Statement> statement;
        std::vector<std::uint32_t> slots;
        std::uint64_t lastUse = 0;
    };
    struct TextHash {
        using is_transparent = void;
        size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
    };
    // One SQLite connection and the statements prepared on it.
    struct Handle {
        std::unique_ptr<Database> db;
        // Declared after db: statements are finalized before the connection closes.
        std::unordered_map<std::string, Cached, TextHash, std::equal_to<>> statements;
    };

    // A new SQLite connection to the file, foreign keys on or off, synchronous as deferred.
    std::unique_ptr<Database> open(bool foreignKeys) {
        try {
            DatabaseOptions options;
            options.durability = Durability::Full;  // an acknowledged push survives power loss
            options.busyTimeoutMs = 15000;
            options.migrate = false;  // the server's schema is not the kiosk's
            auto db = std::make_unique<Database>(m_path, options);
            // A push of 1000 registrations dirties about 1000 pages; with SQLite's default
            // (checkpoint when the WAL passes 1000 pages) nearly every push also copied its
            // pages into the database file and synced it. Checkpointing every few pushes
            // writes a page changed by several of them (the last leaf of each index, the
            // session rows) into the file once. The WAL is reset after each checkpoint.
            db->exec("PRAGMA wal_autocheckpoint=8192");
            // A multi-row INSERT that can fail a constraint keeps a statement journal (the
            // original of every page it changes); past 64 KiB SQLite spills it to a temporary
            // file. That was two thirds of the bytes a push wrote (42 of 59 MB for 10k
            // registrations). In memory it is a copy, and a statement is at most ~800 values.
            db->exec("PRAGMA temp_store=MEMORY");
            if (!foreignKeys) db->exec("PRAGMA foreign_keys=OFF");
            if (m_deferred) db->exec("PRAGMA synchronous=NORMAL");
            return db;
        } catch (const StoreError& e) {
            throw SqlError(e.what(), e.isBusy());
        }
    }

    // At most this many prepared statements a connection: the server's fixed statements are
    // a few dozen, and statements whose text varies with a row count (IN lists, multi-row
    // VALUES) must not pile up for the life of the connection (an 800-value statement holds
    // about 100 KB).
    static constexpr size_t kMaxStatements = 128;

    // The statement for `sql`, ready to bind (reset; bindings left to be overwritten: every
    // slot is bound again before each step). Prepares and caches it on first use, dropping
    // the least recently used statement when the cache is full.
    Cached& statement(std::string_view sql) {
        auto& statements = m_active->statements;
        auto it = statements.find(sql);
        if (it != statements.end()) {
            // A statement left mid-step by an exception (a throwing row conversion) must be
            // reset before it can be bound again; on a reset statement this is a no-op.
            sqlite3_reset(it->second.statement->handle());
            it->second.lastUse = ++m_uses;
            return it->second;
        }
        if (statements.size() >= kMaxStatements) {
            auto oldest = statements.begin();
            for (auto i = statements.begin(); i != statements.end(); ++i)
                if (i->second.lastUse < oldest->second.lastUse) oldest = i;
            statements.erase(oldest);
        }
        SqliteSqlText translated = toSqlitePlaceholders(sql);
        Cached c;
        try {
            c.statement = std::make_unique<Statement>(m_active->db->handle(), translated.text);
        } catch (const StoreError& e) {
            // Report the caller's text, not the rewritten one.
            throw SqlError(std::string(sqlite3_errmsg(m_active->db->handle())) +
                               " (in: " + std::string(sql) + ")",
                           e.isBusy());
        }
        c.slots = std::move(translated.slots);
        c.lastUse = ++m_uses;
        return statements.emplace(std::string(sql), std::move(c)).first->second;
    }

    // Binds parameter k (1-based) of `sql` to *value(k - 1) (NULL past `count`), steps the
    // statement to the end and returns its rows.
    template <class Value>
    SqlRows run(std::string_view sql, size_t count, Value value) {
        try {
            Cached& c = statement(sql);
            sqlite3_stmt* h = c.statement->handle();
            for (size_t j = 0; j < c.slots.size(); ++j) {
                int index = static_cast<int>(j + 1);
                size_t from = c.slots[j];
                const SqlValue* v = from < count ? value(from) : nullptr;
                if (!v) {
                    c.statement->bindNull(index);  // as SQLite leaves an unbound parameter
                } else if (const auto* i = std::get_if<std::int64_t>(v)) {
                    c.statement->bind(index, *i);
                } else if (const auto* text = std::get_if<std::string>(v)) {
                    // Bound without a copy: the caller's values outlive every step of this
                    // call, and every parameter is bound again before the statement's next
                    // step. A 1000-row push binds about 30,000 strings.
                    int rc = sqlite3_bind_text64(h, index, text->data(), text->size(),
                                                 SQLITE_STATIC, SQLITE_UTF8);
                    if (rc != SQLITE_OK)
                        throw SqlError(
                            std::string("cannot bind a parameter: ") + sqlite3_errstr(rc), false);
                } else {
                    c.statement->bindNull(index);
                }
            }
            SqlRows rows;
            int columns = sqlite3_column_count(h);
            while (c.statement->step()) {
                std::vector<std::optional<std::string>> values;
                values.reserve(static_cast<size_t>(columns));
                for (int col = 0; col < columns; ++col)
                    values.push_back(c.statement->getOptText(col));
                rows.emplace_back(std::move(values));
            }
            sqlite3_reset(h);
            return rows;
        } catch (const StoreError& e) {
            throw SqlError(e.what(), e.isBusy());
        }
    }

    std::filesystem::path m_path;
    Handle m_checked;                     // foreign keys on: everything but the below
    std::unique_ptr<Handle> m_unchecked;  // foreign keys off: WriteRefsVerified transactions
    Handle* m_active = &m_checked;        // where statements run now
    Handle* m_committed = &m_checked;     // the last write commit's (syncCommitted)
    bool m_deferred = false;
    bool m_broken = false;
    std::uint64_t m_uses = 0;
    std::vector<const SqlValue*> m_values;  // queryRows' parameters, kept to reuse its capacity
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
