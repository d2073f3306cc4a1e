// server/lib/sql.hpp - the storage interface the city server's logic is written against.
//
// Holds: SqlValue (a bound parameter), SqlRow (one result row, every value as text or NULL),
// SqlConnection (one connection to SQLite or PostgreSQL), SqlBackend (a pool of connections),
// SqlTransaction (RAII BEGIN ... COMMIT/ROLLBACK) and SqlError.
//
// Why one interface over two databases: the server's decisions (seat ledger, push, pull, leases)
// are written once, in the SQL both SQLite 3.40 and PostgreSQL 15 understand: parameters are
// $1..$n, types are TEXT and BIGINT only, upserts use ON CONFLICT, RETURNING works on both. Each
// backend (sqlite_backend.*, postgres_backend.*) only moves values in and out.
//
// Why write transactions are serialised: the change log's sequence numbers must become visible
// in the order they were assigned, or a kiosk paging by cursor could skip a change committed
// late with a lower number. One writer at a time (an advisory lock on PostgreSQL, BEGIN
// IMMEDIATE plus a process mutex on SQLite) makes commit order equal sequence order.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace fadaa::server {

// An error from the database. transient() is true for errors worth retrying (busy, lost
// connection, serialisation failure); the HTTP layer answers those with 503.
class SqlError : public std::runtime_error {
public:
    SqlError(const std::string& message, bool transient)
        : std::runtime_error(message), m_transient(transient) {}
    bool transient() const { return m_transient; }

private:
    bool m_transient;
};

// A parameter: NULL, an integer or text.
using SqlValue = std::variant<std::monostate, std::int64_t, std::string>;
using SqlParams = std::vector<SqlValue>;

inline SqlValue sqlNull() {
    return std::monostate{};
}
inline SqlValue sqlOpt(const std::optional<std::string>& v) {
    return v ? SqlValue(*v) : sqlNull();
}
inline SqlValue sqlOpt(const std::optional<std::int64_t>& v) {
    return v ? SqlValue(*v) : sqlNull();
}

// One row. Values arrive as text (integers in decimal) or NULL, the same from both backends,
// so code reading rows never depends on the backend.
class SqlRow {
public:
    explicit SqlRow(std::vector<std::optional<std::string>> values) : m_values(std::move(values)) {}
    size_t size() const { return m_values.size(); }
    bool isNull(size_t i) const { return !m_values.at(i).has_value(); }
    // text(i) of a NULL is "". integer(i) of a NULL or non-number throws SqlError.
    const std::string& text(size_t i) const;
    std::int64_t integer(size_t i) const;
    std::optional<std::string> optText(size_t i) const { return m_values.at(i); }
    std::optional<std::int64_t> optInteger(size_t i) const;
    const std::vector<std::optional<std::string>>& values() const { return m_values; }

private:
    std::vector<std::optional<std::string>> m_values;
};
using SqlRows = std::vector<SqlRow>;

enum class TxKind {
    Read,   // one consistent snapshot
    Write,  // serialised against every other writer, in every process using the database
    // A Write whose new rows refer only to rows the caller read in this same transaction (which
    // no other writer can delete before it commits): the backend may skip its foreign-key
    // checks in it (SQLite does; PostgreSQL checks as usual). Every other transaction, on every
    // connection, keeps them. Why: the check costs a push about as much as a secondary index
    // entry per registration, and the push's seat ledger has already loaded each session it
    // writes a registration for (and rejects unknown ones).
    WriteRefsVerified,
};
inline bool isWrite(TxKind kind) {
    return kind != TxKind::Read;
}

class SqlConnection {
public:
    virtual ~SqlConnection() = default;
    // Runs one statement with parameters $1..$n and returns its rows. Throws SqlError.
    virtual SqlRows query(std::string_view sql, const SqlParams& params = {}) = 0;
    // Runs one statement whose parameters $1..$n are the values of rows[first], ...,
    // rows[first + count - 1] one after another (a multi-row VALUES): the same as query() with
    // those values concatenated, without copying them. Throws SqlError.
    virtual SqlRows queryRows(std::string_view sql, const std::vector<SqlParams>& rows,
                              size_t first, size_t count);
    // True when the connection keeps statements prepared by their text, so insertRows splits
    // rows into a few fixed row counts whose statements stay prepared; false when every
    // statement is parsed anyway (then fewer, larger statements are cheaper).
    virtual bool reusesStatements() const { return false; }
    // The verb insertRows starts its statements with: "INSERT", or on SQLite inside a
    // transaction "INSERT OR FAIL". Why: a multi-row INSERT that may abort halfway makes SQLite
    // keep a statement journal, a copy of every page the statement changes, so the abort can
    // undo its earlier rows; FAIL keeps them instead, and the caller's transaction is rolled
    // back by the error anyway. Measured (10k registration rows, 47 a statement, three paired
    // runs): 13-17% less time; callgrind of a 10k push: processPush 719 M -> 696 M instructions.
    // Outside a transaction a statement stays all-or-nothing.
    virtual std::string_view bulkInsertVerb() const { return "INSERT"; }
    // Runs a script of parameterless statements (schema DDL). Throws SqlError.
    virtual void execScript(std::string_view sql) = 0;
    // Transactions. A Write transaction is serialised against every other writer, in every
    // process using the same database; a Read transaction sees one consistent snapshot.
    virtual void begin(TxKind kind) = 0;
    virtual void commit() = 0;
    virtual void rollback() noexcept = 0;
    // Group commit for pushes. While deferred, this connection's commits return once their
    // changes are visible to other connections, before they are on disk; syncCommitted()
    // then puts every commit so far on disk. Why: the write lock is no longer held through
    // the disk flush (about 3.5 ms per 1000-op push here), so a kiosk's next push is decided
    // meanwhile. Whoever defers must call syncCommitted() before telling anyone of a commit,
    // and a commit synced later carries every earlier one with it (SQLite's WAL is synced
    // whole, and a WAL store after a power cut keeps a prefix of its commits). Backends whose
    // commits are always on disk when they return ignore both. Throw SqlError.
    virtual void deferCommitSync(bool /*defer*/) {}
    virtual void syncCommitted() {}
    // False once the connection is known to be broken; the pool then drops it.
    virtual bool healthy() const { return true; }
    virtual std::string_view backendName() const = 0;

    // One value of the first row, or nullopt when there is no row or it is NULL.
    std::optional<std::string> scalar(std::string_view sql, const SqlParams& params = {});
};

class SqlBackend;

// A connection borrowed from a pool; returned to it on destruction (dropped if unhealthy).
class PooledConnection {
public:
    PooledConnection(SqlBackend& backend, std::unique_ptr<SqlConnection> conn)
        : m_backend(&backend), m_conn(std::move(conn)) {}
    PooledConnection(PooledConnection&&) noexcept = default;
    PooledConnection& operator=(PooledConnection&&) = delete;
    ~PooledConnection();
    SqlConnection& operator*() { return *m_conn; }
    SqlConnection* operator->() { return m_conn.get(); }

private:
    SqlBackend* m_backend;
    std::unique_ptr<SqlConnection> m_conn;
};

// A database the server can open connections to, with a small pool of idle ones.
class SqlBackend {
public:
    virtual ~SqlBackend() = default;
    // A new connection. Throws SqlError if the database cannot be reached.
    virtual std::unique_ptr<SqlConnection> connect() = 0;
    virtual std::string describe() const = 0;  // for logs: path or host/db, never a password
    // An idle connection from the pool, or a new one.
    PooledConnection acquire();
    void release(std::unique_ptr<SqlConnection> conn);

private:
    std::mutex m_mutex;
    std::vector<std::unique_ptr<SqlConnection>> m_idle;
};

// Opens the backend for a `--db PATH` (SQLite) or a `--postgres URL` value.
std::unique_ptr<SqlBackend> openSqliteBackend(const std::string& path);
std::unique_ptr<SqlBackend> openPostgresBackend(const std::string& url);

// BEGIN on construction; ROLLBACK in the destructor unless commit() ran.
class SqlTransaction {
public:
    SqlTransaction(SqlConnection& conn, TxKind kind) : m_conn(conn) { m_conn.begin(kind); }
    ~SqlTransaction() {
        if (!m_done) m_conn.rollback();
    }
    SqlTransaction(const SqlTransaction&) = delete;
    SqlTransaction& operator=(const SqlTransaction&) = delete;
    void commit() {
        m_conn.commit();
        m_done = true;
    }

private:
    SqlConnection& m_conn;
    bool m_done = false;
};

// "$first, ..., $(first + count - 1)", for building IN lists and multi-row VALUES.
std::string sqlPlaceholders(size_t count, size_t first = 1);

// Inserts rows (each `width` values) with one multi-row INSERT per chunk, in order. `columns`
// is the parenthesised column list, e.g. "(id, name)"; `suffix` follows the VALUES (an ON
// CONFLICT). The values are bound where they are, never copied. Chunks hold at most ~800
// values; on a connection that reusesStatements(), a last partial chunk is split into
// power-of-two row counts so a handful of statement texts serve every row count. A row whose
// size is not `width` throws SqlError before anything is inserted. Inside a transaction, a row
// that fails a constraint throws SqlError and may leave the rows before it inserted: the
// transaction must then be rolled back (SqlTransaction does so when the error leaves its scope).
void insertRows(SqlConnection& conn, const std::string& table, const std::string& columns,
                size_t width, const std::vector<SqlParams>& rows, const std::string& suffix = "");

}  // namespace fadaa::server
