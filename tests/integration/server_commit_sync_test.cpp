// tests/integration/server_commit_sync_test.cpp - group commit on the city server's SQLite
// store (SqlConnection::deferCommitSync / syncCommitted): while deferred, a commit is visible
// to other connections at once and the connection runs synchronous=NORMAL; syncCommitted()
// syncs the WAL; the connection goes back to FULL afterwards.
#include <catch2/catch.hpp>

#include "server_schema.hpp"
#include "sql.hpp"
#include "sqlite_backend.hpp"
#include "support/test_support.hpp"

using namespace fadaa;
using namespace fadaa::server;

namespace {

long long number(SqlConnection& conn, const std::string& sql) {
    return std::stoll(conn.scalar(sql).value_or("-1"));
}

}  // namespace

TEST_CASE("server store [sqlite]: a deferred commit is visible at once, synced on demand") {
    test::TempDir dir;
    auto backend = openSqliteBackend((dir.path() / "city.sqlite").string());
    auto writer = backend->connect();
    auto reader = backend->connect();
    migrateServerSchema(*writer, serverSchemaVersion());
    CHECK(number(*writer, "PRAGMA synchronous") == 2);  // FULL: every other commit
    CHECK(writer->scalar("PRAGMA journal_mode") == "wal");

    writer->deferCommitSync(true);
    CHECK(number(*writer, "PRAGMA synchronous") == 1);
    CHECK(number(*reader, "PRAGMA synchronous") == 2);  // per connection
    {
        SqlTransaction tx(*writer, TxKind::Write);
        writer->query("INSERT INTO counter(name, value) VALUES ('probe', 7)");
        tx.commit();
    }
    // Visible to another connection before it is synced: the next push can be decided now.
    CHECK(number(*reader, "SELECT value FROM counter WHERE name = 'probe'") == 7);
    writer->syncCommitted();
    writer->syncCommitted();  // nothing new: still fine
    writer->deferCommitSync(false);
    CHECK(number(*writer, "PRAGMA synchronous") == 2);
    CHECK(writer->healthy());
    // A later reopen finds the row (the commit is in the WAL or the database file).
    writer.reset();
    reader.reset();
    auto again = backend->connect();
    CHECK(number(*again, "SELECT value FROM counter WHERE name = 'probe'") == 7);
}
