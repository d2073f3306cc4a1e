// tests/integration/sql_backends.cpp - fresh SQLite and PostgreSQL backends for tests.
#include "sql_backends.hpp"

#include <catch2/catch.hpp>

#include "postgres_database.hpp"
#include "protocol_fixture.hpp"
#include "support/test_support.hpp"

namespace fadaa::test {

void withSqliteBackend(const std::function<void(server::SqlBackend&)>& body) {
    TempDir dir;
    auto backend = server::openSqliteBackend((dir / "city.sqlite").string());
    body(*backend);
}

void withPostgresBackend(const std::function<void(server::SqlBackend&)>& body) {
    if (!postgresAvailable()) {
        WARN("PostgreSQL test cluster not running: skipped");
        return;
    }
    PostgresDatabase db;
    auto backend = server::openPostgresBackend(db.url());
    body(*backend);
}

void seedChessRound(server::SqlConnection& conn, const std::string& kioskId, Timestamp now) {
    conn.query("INSERT INTO category(id, name) VALUES ('chess', '{\"fr\":\"Échecs\"}')");
    conn.query("INSERT INTO event(id, category_id, title) VALUES ('open', 'chess', '{}')");
    conn.query(
        "INSERT INTO session(id, event_id, starts_at, ends_at, capacity) "
        "VALUES ('round1', 'open', $1, $2, 30)",
        {now + 86400, now + 90000});
    conn.query("INSERT INTO kiosk(id, name, status, created_at) VALUES ($1, 'hall', 'active', $2)",
               {kioskId, now});
}

}  // namespace fadaa::test
