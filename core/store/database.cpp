// core/store/database.cpp - SQLite connection, statement cache and transactions.
#include "store/database.hpp"

#include <fmt/format.h>

#include "store/migrations.hpp"

namespace fadaa {

// ---------------------------------------------------------------------------------------------
// Statement
// ---------------------------------------------------------------------------------------------

Statement::Statement(sqlite3* db, std::string_view sql) : m_db(db) {
    int rc = sqlite3_prepare_v3(db, sql.data(), static_cast<int>(sql.size()),
                                SQLITE_PREPARE_PERSISTENT, &m_stmt, nullptr);
    if (rc != SQLITE_OK) {
        throw StoreError(rc, fmt::format("{} (in: {})", sqlite3_errmsg(db), sql));
    }
}

Statement::~Statement() { sqlite3_finalize(m_stmt); }

static void checkBind(sqlite3* db, int rc) {
    if (rc != SQLITE_OK) throw StoreError(rc, fmt::format("bind: {}", sqlite3_errmsg(db)));
}

Statement& Statement::bind(int index, std::int64_t value) {
    checkBind(m_db, sqlite3_bind_int64(m_stmt, index, value));
    return *this;
}
Statement& Statement::bind(int index, double value) {
    checkBind(m_db, sqlite3_bind_double(m_stmt, index, value));
    return *this;
}
Statement& Statement::bind(int index, std::string_view value) {
    checkBind(m_db, sqlite3_bind_text64(m_stmt, index, value.data(), value.size(), SQLITE_TRANSIENT,
                                        SQLITE_UTF8));
    return *this;
}
Statement& Statement::bindNull(int index) {
    checkBind(m_db, sqlite3_bind_null(m_stmt, index));
    return *this;
}

bool Statement::step() {
    int rc = sqlite3_step(m_stmt);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    std::string message = sqlite3_errmsg(m_db);
    const char* sql = sqlite3_sql(m_stmt);
    sqlite3_reset(m_stmt);
    throw StoreError(sqlite3_extended_errcode(m_db),
                     fmt::format("{} (in: {})", message, sql ? sql : "?"));
}

void Statement::exec() {
    while (step()) {
    }
}

void Statement::reset() {
    sqlite3_reset(m_stmt);
    sqlite3_clear_bindings(m_stmt);
}

bool Statement::isNull(int column) const {
    return sqlite3_column_type(m_stmt, column) == SQLITE_NULL;
}
std::int64_t Statement::getInt(int column) const { return sqlite3_column_int64(m_stmt, column); }
double Statement::getDouble(int column) const { return sqlite3_column_double(m_stmt, column); }
std::string Statement::getText(int column) const {
    const unsigned char* text = sqlite3_column_text(m_stmt, column);
    if (!text) return {};
    return std::string(reinterpret_cast<const char*>(text),
                       static_cast<size_t>(sqlite3_column_bytes(m_stmt, column)));
}
std::optional<std::int64_t> Statement::getOptInt(int column) const {
    if (isNull(column)) return std::nullopt;
    return getInt(column);
}
std::optional<std::string> Statement::getOptText(int column) const {
    if (isNull(column)) return std::nullopt;
    return getText(column);
}

// ---------------------------------------------------------------------------------------------
// Database
// ---------------------------------------------------------------------------------------------

Database::Database(const std::filesystem::path& path, DatabaseOptions options) : m_path(path) {
    int flags = options.readOnly ? SQLITE_OPEN_READONLY
                                 : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    flags |= SQLITE_OPEN_NOMUTEX;  // one connection per thread; never shared
    int rc = sqlite3_open_v2(path.c_str(), &m_db, flags, nullptr);
    if (rc != SQLITE_OK) {
        std::string message = m_db ? sqlite3_errmsg(m_db) : sqlite3_errstr(rc);
        sqlite3_close(m_db);
        m_db = nullptr;
        throw StoreError(rc, fmt::format("cannot open database {}: {}", path.string(), message));
    }
    sqlite3_extended_result_codes(m_db, 1);
    sqlite3_busy_timeout(m_db, options.busyTimeoutMs);
    try {
        if (!options.readOnly) exec("PRAGMA journal_mode=WAL");
        exec("PRAGMA foreign_keys=ON");
        // 16 MiB of page cache (SQLite's default is 2 MiB), taken only as pages are read: a
        // sync writing 1000 registrations and outbox rows touches more pages than 2 MiB holds.
        exec("PRAGMA cache_size=-16384");
        exec(options.durability == Durability::Full ? "PRAGMA synchronous=FULL"
                                                    : "PRAGMA synchronous=NORMAL");
        if (options.migrate && !options.readOnly) migrate(*this);
    } catch (...) {
        m_cache.clear();
        sqlite3_close(m_db);
        m_db = nullptr;
        throw;
    }
}

Database::~Database() {
    m_cache.clear();  // finalize statements before closing
    if (m_db) sqlite3_close(m_db);
}

Statement& Database::prepare(std::string_view sql) {
    auto it = m_cache.find(sql);
    if (it == m_cache.end()) {
        it = m_cache.emplace(std::string(sql), std::make_unique<Statement>(m_db, sql)).first;
    } else {
        it->second->reset();
    }
    return *it->second;
}

void Database::exec(std::string_view sql) {
    std::string text(sql);
    char* error = nullptr;
    int rc = sqlite3_exec(m_db, text.c_str(), nullptr, nullptr, &error);
    if (rc != SQLITE_OK) {
        std::string message = error ? error : sqlite3_errstr(rc);
        sqlite3_free(error);
        throw StoreError(sqlite3_extended_errcode(m_db), fmt::format("{} (in: {})", message, text));
    }
}

std::int64_t Database::lastInsertRowId() const { return sqlite3_last_insert_rowid(m_db); }
int Database::changes() const { return sqlite3_changes(m_db); }

int Database::schemaVersion() {
    auto& st = prepare("PRAGMA user_version");
    st.step();
    int v = static_cast<int>(st.getInt(0));
    st.reset();
    return v;
}

int Database::checkpoint() {
    int logFrames = 0, copiedFrames = 0;
    int rc = sqlite3_wal_checkpoint_v2(m_db, nullptr, SQLITE_CHECKPOINT_PASSIVE, &logFrames,
                                       &copiedFrames);
    if (rc != SQLITE_OK && rc != SQLITE_BUSY) fail(rc, "checkpoint");
    return logFrames < 0 ? 0 : logFrames - copiedFrames;
}

void Database::fail(int rc, std::string_view context) const {
    throw StoreError(rc, fmt::format("{}: {}", context, sqlite3_errmsg(m_db)));
}

// ---------------------------------------------------------------------------------------------
// Transaction
// ---------------------------------------------------------------------------------------------

ScopedPragma::ScopedPragma(Database& db, std::string name, std::int64_t value)
    : m_db(db), m_name(std::move(name)) {
    auto& st = db.prepare("PRAGMA " + m_name);
    m_before = st.step() ? st.getInt(0) : 0;
    st.reset();
    db.exec(fmt::format("PRAGMA {} = {}", m_name, value));
}

ScopedPragma::~ScopedPragma() {
    try {
        m_db.exec(fmt::format("PRAGMA {} = {}", m_name, m_before));
    } catch (...) {
        // Out of memory only (see the header); a destructor must not throw.
    }
}

Transaction::Transaction(Database& db) : m_db(db) { m_db.exec("BEGIN IMMEDIATE"); }

Transaction::~Transaction() {
    if (!m_done) {
        try {
            m_db.exec("ROLLBACK");
        } catch (...) {
            // The transaction may already be gone (SQLite rolls back by itself on some errors,
            // e.g. SQLITE_FULL); nothing more to undo.
        }
    }
}

void Transaction::commit() {
    m_db.exec("COMMIT");
    m_done = true;
}

}  // namespace fadaa
