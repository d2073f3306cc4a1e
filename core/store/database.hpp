// core/store/database.hpp - the one RAII wrapper around SQLite that all of Fadaa uses.
//
// Holds: Database (a connection: WAL, foreign keys, busy timeout, statement cache),
// Statement (a cached prepared statement with typed bind/column helpers), Transaction
// (BEGIN IMMEDIATE ... COMMIT, rolled back by the destructor unless committed) and StoreError.
//
// Why BEGIN IMMEDIATE: every write transaction takes the write lock up front, so two processes
// racing for the last seat serialise on the lock instead of both reading "1 left" and one of
// them failing later with SQLITE_BUSY in the middle of its decision.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace fadaa {

// An error from the store. what() carries SQLite's own message and the statement, code() the
// SQLite (extended) result code, so a caller can tell "disk full" from "constraint".
class StoreError : public std::runtime_error {
public:
    StoreError(int code, const std::string& message) : std::runtime_error(message), m_code(code) {}
    int code() const { return m_code; }
    bool isBusy() const { return (m_code & 0xff) == SQLITE_BUSY || (m_code & 0xff) == SQLITE_LOCKED; }
    bool isConstraint() const { return (m_code & 0xff) == SQLITE_CONSTRAINT; }
    bool isFull() const { return (m_code & 0xff) == SQLITE_FULL; }

private:
    int m_code;
};

class Database;

// A prepared statement owned by a Database's cache. Obtained from Database::prepare(); reset
// and its bindings cleared on each prepare(), so a Statement& is valid until the next
// prepare() of the same SQL text.
class Statement {
public:
    Statement(sqlite3* db, std::string_view sql);
    ~Statement();
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;

    // Binding, 1-based like SQLite. std::nullopt binds NULL.
    Statement& bind(int index, std::int64_t value);
    Statement& bind(int index, int value) { return bind(index, static_cast<std::int64_t>(value)); }
    Statement& bind(int index, double value);
    Statement& bind(int index, std::string_view value);
    Statement& bind(int index, const char* value) { return bind(index, std::string_view(value)); }
    Statement& bind(int index, const std::string& value) { return bind(index, std::string_view(value)); }
    Statement& bindNull(int index);
    template <typename T>
    Statement& bind(int index, const std::optional<T>& value) {
        return value ? bind(index, *value) : bindNull(index);
    }
    // Binds all arguments in order, starting at parameter 1.
    template <typename... Args>
    Statement& bindAll(const Args&... args) {
        int i = 0;
        (bind(++i, args), ...);
        return *this;
    }

    // Steps once. Returns true when a row is available, false when done. Throws StoreError.
    bool step();
    // Steps to completion (for statements that return no rows).
    void exec();
    void reset();

    bool isNull(int column) const;
    std::int64_t getInt(int column) const;
    double getDouble(int column) const;
    std::string getText(int column) const;
    std::optional<std::int64_t> getOptInt(int column) const;
    std::optional<std::string> getOptText(int column) const;

    sqlite3_stmt* handle() { return m_stmt; }

private:
    sqlite3* m_db;
    sqlite3_stmt* m_stmt = nullptr;
};

// How hard a commit waits for the disk. In WAL mode a commit with synchronous=NORMAL survives a
// process crash (kill -9) but the last commits may be lost on power loss. Full (the default)
// fdatasyncs the WAL on every commit, so an acknowledged registration survives power loss too,
// for about one fsync per commit (measured in docs/architecture.md, "Durability"). Normal is
// for stores whose content can be rebuilt (a bench, a scratch copy), never for a kiosk store.
enum class Durability { Normal, Full };

struct DatabaseOptions {
    Durability durability = Durability::Full;
    int busyTimeoutMs = 5000;
    bool readOnly = false;
    bool migrate = true;  // run schema migrations on open
};

class Database {
public:
    // Opens (creating if needed) the database at path and brings its schema up to date.
    // Throws StoreError when the file cannot be opened, is not a database, or was written by a
    // newer Fadaa (schema version above ours): the message says so in plain words.
    explicit Database(const std::filesystem::path& path, DatabaseOptions options = {});
    ~Database();
    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;

    // Returns the cached prepared statement for sql, reset with its bindings cleared.
    Statement& prepare(std::string_view sql);
    // Runs one or more statements that take no parameters.
    void exec(std::string_view sql);

    std::int64_t lastInsertRowId() const;
    int changes() const;
    int schemaVersion();

    // Copies committed pages from the WAL into the database file (PASSIVE: never waits for
    // other connections). SQLite does this by itself inside the commit that brings the WAL to
    // 1000 pages, which makes that one commit several fsyncs slower; a kiosk calls this when
    // idle (after a sync, on the idle timer) so a resident's registration does not pay for it.
    // Returns the WAL frames left uncopied because other connections still read them (0: all).
    int checkpoint();
    const std::filesystem::path& path() const { return m_path; }
    sqlite3* handle() { return m_db; }

    // Throws StoreError with the connection's current message.
    [[noreturn]] void fail(int rc, std::string_view context) const;

private:
    sqlite3* m_db = nullptr;
    std::filesystem::path m_path;
    std::map<std::string, std::unique_ptr<Statement>, std::less<>> m_cache;
};

// A connection setting changed for a scope: `PRAGMA name = value` on construction, the value it
// had before on destruction. For settings SQLite keeps per connection (synchronous,
// ignore_check_constraints, ...), set outside a transaction where they would not take effect.
// Throws StoreError if the pragma fails on construction; restoring never throws (it fails only
// when SQLite is out of memory, and the next Database opened starts from its own settings).
class ScopedPragma {
public:
    ScopedPragma(Database& db, std::string name, std::int64_t value);
    ~ScopedPragma();
    ScopedPragma(const ScopedPragma&) = delete;
    ScopedPragma& operator=(const ScopedPragma&) = delete;

private:
    Database& m_db;
    std::string m_name;
    std::int64_t m_before = 0;
};

// BEGIN IMMEDIATE on construction; ROLLBACK in the destructor unless commit() ran.
// Transactions do not nest: the store's services each open exactly one per operation.
class Transaction {
public:
    explicit Transaction(Database& db);
    ~Transaction();
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;
    void commit();

private:
    Database& m_db;
    bool m_done = false;
};

}  // namespace fadaa
