// server/lib/sqlite_backend.hpp - the embedded backend: city.sqlite through core's Database.
//
// One SQLite connection per pooled SqlConnection (SQLite connections are not shared across
// threads), plus a second one with foreign keys off for its TxKind::WriteRefsVerified
// transactions (the push), opened on first use.
// Writers take a process-wide mutex before BEGIN IMMEDIATE, so the server's own threads queue
// without sleeping in SQLite's busy handler; other processes (a `fadaa-server kiosk add` while
// the server runs) still serialise on SQLite's write lock with the busy timeout.
//
// Why the server's `$k` parameters are rewritten to bare `?`: to SQLite `$1` is a *named*
// parameter, and its parser finds each name by a linear search of the names seen so far
// (sqlite3VListNameToNum), then its code generator looks each number up again
// (sqlite3VListNumToName, also for `?NNN`): quadratic in an 800-value INSERT. A bare `?` is
// numbered by a counter with no lookup. The rewrite records which parameter each `?` takes,
// so `$2 ... $1 ... $2` still binds correctly.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "sql.hpp"

namespace fadaa::server {

// SQL text as the SQLite backend prepares it: each `$k` outside string literals, quoted
// names and comments replaced by `?`, and slots[j] = k - 1 for the j-th `?` (0-based), i.e. the
// index into the caller's parameters that SQLite's parameter j + 1 takes. Throws SqlError for
// other parameter forms (`?`, `?NNN`, `:name`, `@name`, `$name`, `$0`): they would shift the
// numbering, and the SQL the server shares with PostgreSQL never uses them.
struct SqliteSqlText {
    std::string text;
    std::vector<std::uint32_t> slots;
};
SqliteSqlText toSqlitePlaceholders(std::string_view sql);

class SqliteBackend : public SqlBackend {
public:
    explicit SqliteBackend(std::filesystem::path path);
    std::unique_ptr<SqlConnection> connect() override;
    std::string describe() const override { return "sqlite:" + m_path.string(); }

private:
    std::filesystem::path m_path;
    std::mutex m_writeMutex;
};

}  // namespace fadaa::server
