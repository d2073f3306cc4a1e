// server/lib/server_schema.hpp - the city server's schema, its versions, and small shared
// bookkeeping (server_meta values, counters).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace fadaa::server {

class SqlConnection;

// The schema version this build writes.
int serverSchemaVersion();

// Creates or upgrades the schema (each step in one write transaction), up to version `upTo`
// (tests build older databases with it). Throws SqlError when the database was written by a
// newer fadaa-server, or when upTo is not a version this build knows.
void migrateServerSchema(SqlConnection& conn, int upTo = serverSchemaVersion());

// server_meta key/value, read and written inside the caller's transaction.
std::optional<std::string> metaGet(SqlConnection& conn, std::string_view key);
void metaSet(SqlConnection& conn, std::string_view key, std::string_view value);

// Adds `count` to a named counter and returns the first of the reserved values
// (counter 'change' numbers the change log, 'arrival' orders registrations). Call in a write
// transaction.
std::int64_t reserveCounter(SqlConnection& conn, std::string_view name, std::int64_t count = 1);
std::int64_t counterValue(SqlConnection& conn, std::string_view name);

}  // namespace fadaa::server
