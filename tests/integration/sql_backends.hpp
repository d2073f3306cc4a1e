// tests/integration/sql_backends.hpp - the server's SQL backends for tests that run the same
// body on both: SQLite on a fresh file, PostgreSQL on a fresh database of the test cluster;
// and the small catalogue they write into.
#pragma once

#include <functional>
#include <string>

#include "model/model.hpp"
#include "sql.hpp"

namespace fadaa::test {

// Runs body with a SQLite backend on a new file in a temporary directory (removed after).
void withSqliteBackend(const std::function<void(server::SqlBackend&)>& body);

// Runs body with a PostgreSQL backend on a new database (dropped after); WARNs and returns
// without running it when the test cluster is not running (outside ctest's fixture).
void withPostgresBackend(const std::function<void(server::SqlBackend&)>& body);

// Writes, on a migrated server database, in the caller's write transaction: category `chess`,
// event `open`, session `round1` (30 seats, a day after `now`, no registration window) and the
// active kiosk `hall` with id `kioskId`.
void seedChessRound(server::SqlConnection& conn, const std::string& kioskId, Timestamp now);

}  // namespace fadaa::test
