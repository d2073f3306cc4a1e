// tests/integration/sql_layer_test.cpp - the server's SQL layer on a real SQLite file and a real
// PostgreSQL database: $N parameters in any order and repeated, `$` inside literals, names and
// comments, statements reused after an error, the statement cache past its size, insertRows
// across chunk boundaries (SQLite splits a last partial chunk) and queryRows.
#include <catch2/catch.hpp>

#include <fmt/format.h>

#include <functional>

#include "postgres_database.hpp"
#include "protocol_fixture.hpp"
#include "sql.hpp"
#include "sqlite_backend.hpp"
#include "support/test_support.hpp"

using namespace fadaa;
using namespace fadaa::server;

namespace {

// Runs body once on a fresh SQLite file and once on a fresh PostgreSQL database (skipped with
// a warning when the test cluster is not running).
void onBothBackends(const std::function<void(SqlConnection&)>& body) {
    {
        INFO("sqlite");
        test::TempDir dir;
        auto backend = openSqliteBackend((dir / "t.sqlite").string());
        auto conn = backend->acquire();
        body(*conn);
    }
    if (!test::postgresAvailable()) {
        WARN("PostgreSQL test cluster not running: skipped");
        return;
    }
    INFO("postgres");
    test::PostgresDatabase db;
    auto backend = openPostgresBackend(db.url());
    auto conn = backend->acquire();
    body(*conn);
}

std::vector<std::optional<std::string>> rowOf(SqlConnection& conn, const std::string& sql,
                                              const SqlParams& params) {
    SqlRows rows = conn.query(sql, params);
    REQUIRE(rows.size() == 1);
    return rows[0].values();
}

using Opt = std::optional<std::string>;

}  // namespace

TEST_CASE("sql layer: SQLite placeholders become positional, literals and names untouched") {
    SqliteSqlText t = toSqlitePlaceholders(
        "SELECT '$1 it''s $2', \"a$1\", x$2, [$3], `$4` -- $5 ?\n, $2 /* $6 ? :x */ , $1, $10");
    CHECK(t.text ==
          "SELECT '$1 it''s $2', \"a$1\", x$2, [$3], `$4` -- $5 ?\n, ? /* $6 ? :x */ , ?, ?");
    CHECK(t.slots == std::vector<std::uint32_t>{1, 0, 9});

    // An unterminated literal is copied as it is (SQLite then reports the syntax error).
    CHECK(toSqlitePlaceholders("SELECT $1, 'open $2").text == "SELECT ?, 'open $2");

    // Forms that would shift SQLite's numbering are refused with a clear error.
    for (const char* bad : {"SELECT ?", "SELECT ?1", "SELECT :name", "SELECT @name", "SELECT $name",
                            "SELECT $0", "SELECT $1a"})
        CHECK_THROWS_WITH(toSqlitePlaceholders(bad), Catch::Contains("$1..$n"));
}

TEST_CASE("sql layer: parameters repeated, out of order and inside literals") {
    onBothBackends([](SqlConnection& conn) {
        // $2 before $1, $1 twice, a '$1' inside a string literal that must stay text.
        CHECK(rowOf(conn,
                    "SELECT CAST($2 AS TEXT), '$1 costs', CAST($1 AS TEXT), "
                    "CAST($1 AS TEXT) || 'x'",
                    {std::string("a"), std::string("b")}) ==
              std::vector<Opt>{"b", "$1 costs", "a", "ax"});
        // Integers and NULL.
        CHECK(rowOf(conn, "SELECT CAST($1 AS BIGINT) + 1, CAST($2 AS TEXT) IS NULL",
                    {std::int64_t{41}, sqlNull()})[0] == Opt("42"));
        // A statement text run again with other values gets the new values.
        for (std::int64_t i = 0; i < 3; ++i)
            CHECK(rowOf(conn, "SELECT CAST($1 AS BIGINT) * 2", {i})[0] ==
                  Opt(std::to_string(i * 2)));
    });
}

TEST_CASE("sql layer: a statement is reused after it failed") {
    onBothBackends([](SqlConnection& conn) {
        conn.execScript("CREATE TABLE t(id TEXT PRIMARY KEY, n BIGINT NOT NULL)");
        const std::string insert = "INSERT INTO t(id, n) VALUES ($1, $2)";
        conn.query(insert, {std::string("a"), std::int64_t{1}});
        CHECK_THROWS_AS(conn.query(insert, {std::string("a"), std::int64_t{2}}), SqlError);
        CHECK_THROWS_AS(conn.query(insert, {std::string("b"), sqlNull()}), SqlError);
        conn.query(insert, {std::string("b"), std::int64_t{3}});
        SqlRows rows = conn.query("SELECT id, n FROM t ORDER BY id");
        REQUIRE(rows.size() == 2);
        CHECK(rows[1].text(0) == "b");
        CHECK(rows[1].integer(1) == 3);

        // Inside a write transaction: the failed statement leaves the transaction usable on
        // SQLite (PostgreSQL aborts it, so only SQLite continues).
        if (conn.backendName() == "sqlite") {
            SqlTransaction tx(conn, TxKind::Write);
            CHECK_THROWS_AS(conn.query(insert, {std::string("a"), std::int64_t{9}}), SqlError);
            conn.query(insert, {std::string("c"), std::int64_t{4}});
            tx.commit();
            CHECK(conn.scalar("SELECT n FROM t WHERE id = $1", {std::string("c")}) == Opt("4"));
        }
    });
}

TEST_CASE("sql layer: SQLite statement text errors name the caller's SQL") {
    test::TempDir dir;
    auto backend = openSqliteBackend((dir / "t.sqlite").string());
    auto conn = backend->acquire();
    CHECK_THROWS_WITH(conn->query("SELEC $1", {std::string("x")}), Catch::Contains("SELEC $1"));
    CHECK_THROWS_WITH(conn->query("SELECT ?", {std::string("x")}), Catch::Contains("$1..$n"));
}

TEST_CASE("sql layer: more distinct statements than the SQLite cache holds") {
    test::TempDir dir;
    auto backend = openSqliteBackend((dir / "t.sqlite").string());
    auto conn = backend->acquire();
    // 300 texts (the cache keeps 128), then the first ones again: each still gets its values.
    for (int round = 0; round < 2; ++round)
        for (int i = 0; i < 300; ++i) {
            std::string sql = fmt::format("SELECT {} + CAST($1 AS BIGINT)", i);
            CHECK(conn->scalar(sql, {std::int64_t{round}}) == Opt(std::to_string(i + round)));
        }
}

TEST_CASE("sql layer: insertRows writes every row once, in order, across chunk sizes") {
    onBothBackends([](SqlConnection& conn) {
        conn.execScript(
            "CREATE TABLE r(k BIGINT PRIMARY KEY, name TEXT, note TEXT);"
            "CREATE TABLE w(k BIGINT PRIMARY KEY, seq BIGINT NOT NULL)");
        // 266 rows fill a chunk of 3-value rows; the counts around it and a long tail (13 =
        // 8 + 4 + 1 on SQLite) cover full chunks, partial chunks and their splits.
        std::int64_t next = 0;
        for (size_t count : {size_t{0}, size_t{1}, size_t{13}, size_t{265}, size_t{266},
                             size_t{267}, size_t{1000}}) {
            std::vector<SqlParams> rows;
            for (size_t i = 0; i < count; ++i, ++next)
                rows.push_back(
                    {next, "name-" + std::to_string(next),
                     next % 3 ? sqlNull() : SqlValue("note $1 '" + std::to_string(next))});
            insertRows(conn, "r", "(k, name, note)", 3, rows);
            CHECK(rows.size() == count);  // the caller's rows are left as they were
            if (count)
                CHECK(std::get<std::string>(rows.back()[1]) == "name-" + std::to_string(next - 1));
        }
        SqlRows all = conn.query("SELECT k, name, note FROM r ORDER BY k");
        REQUIRE(all.size() == static_cast<size_t>(next));
        for (std::int64_t k = 0; k < next; ++k) {
            const SqlRow& row = all[static_cast<size_t>(k)];
            CHECK(row.integer(0) == k);
            CHECK(row.text(1) == "name-" + std::to_string(k));
            CHECK(row.isNull(2) == (k % 3 != 0));
            if (k % 3 == 0) CHECK(row.text(2) == "note $1 '" + std::to_string(k));
        }

        // The suffix follows every statement's VALUES: a second pass over the same keys
        // updates all of them.
        for (std::int64_t pass = 0; pass < 2; ++pass) {
            std::vector<SqlParams> rows;
            for (std::int64_t k = 0; k < 700; ++k) rows.push_back({k, k + pass * 1000});
            insertRows(conn, "w", "(k, seq)", 2, rows,
                       "ON CONFLICT (k) DO UPDATE SET seq = excluded.seq");
        }
        SqlRows w = conn.query("SELECT k, seq FROM w ORDER BY k");
        REQUIRE(w.size() == 700);
        for (const SqlRow& row : w) CHECK(row.integer(1) == 1000 + row.integer(0));
    });
}

TEST_CASE("sql layer: a row of the wrong width is refused before anything is inserted") {
    onBothBackends([](SqlConnection& conn) {
        conn.execScript("CREATE TABLE r(k BIGINT PRIMARY KEY, name TEXT)");
        std::vector<SqlParams> rows = {{std::int64_t{1}, std::string("a")},
                                       {std::int64_t{2}},
                                       {std::int64_t{3}, std::string("c")}};
        CHECK_THROWS_WITH(insertRows(conn, "r", "(k, name)", 2, rows),
                          Catch::Contains("a row of 1 values for 2 columns"));
        CHECK(conn.scalar("SELECT COUNT(*) FROM r") == Opt("0"));
    });
}

TEST_CASE(
    "sql layer: a row failing a constraint leaves nothing of its transaction, or of its "
    "statement outside one") {
    onBothBackends([](SqlConnection& conn) {
        conn.execScript("CREATE TABLE r(k BIGINT PRIMARY KEY, name TEXT NOT NULL)");
        // 1000 two-value rows: statements of 400, 400 and 200 rows; row 950 repeats key 5, so
        // the third statement fails after inserting some of its rows.
        std::vector<SqlParams> rows;
        for (std::int64_t k = 0; k < 1000; ++k)
            rows.push_back({k == 950 ? std::int64_t{5} : k, "n" + std::to_string(k)});
        {
            SqlTransaction tx(conn, TxKind::Write);
            CHECK_THROWS_AS(insertRows(conn, "r", "(k, name)", 2, rows), SqlError);
        }  // rolled back by the error leaving the scope
        CHECK(conn.scalar("SELECT COUNT(*) FROM r") == Opt("0"));
        // The connection is usable, and a transaction after it commits as usual.
        {
            SqlTransaction tx(conn, TxKind::Write);
            insertRows(conn, "r", "(k, name)", 2, {{std::int64_t{1}, std::string("one")}});
            tx.commit();
        }
        CHECK(conn.scalar("SELECT name FROM r WHERE k = 1") == Opt("one"));
        conn.query("DELETE FROM r");
        // Outside a transaction each statement commits alone: the statements before the failing
        // one stay whole (a prefix of the rows, at least the first 800), and the failing one
        // leaves none of its rows (row 949 is in the same statement as row 950 on both
        // backends, whose split of the last 200 rows differs).
        CHECK_THROWS_AS(insertRows(conn, "r", "(k, name)", 2, rows), SqlError);
        auto count = conn.scalar("SELECT COUNT(*) FROM r");
        REQUIRE(count);
        CHECK(std::stoll(*count) >= 800);
        CHECK(conn.scalar("SELECT MAX(k) + 1 FROM r") == count);
        CHECK(conn.scalar("SELECT COUNT(*) FROM r WHERE k = 949") == Opt("0"));
    });
}

TEST_CASE("sql layer: queryRows binds rows' values in order, as query does concatenated") {
    onBothBackends([](SqlConnection& conn) {
        std::vector<SqlParams> rows = {{std::string("skip")},
                                       {std::string("a"), std::int64_t{1}},
                                       {sqlNull(), std::string("b")},
                                       {std::string("skip too")}};
        SqlRows got = conn.queryRows(
            "SELECT CAST($1 AS TEXT), CAST($2 AS BIGINT), CAST($3 AS TEXT), CAST($4 AS TEXT)", rows,
            1, 2);
        REQUIRE(got.size() == 1);
        CHECK(got[0].values() == std::vector<Opt>{"a", "1", std::nullopt, "b"});
    });
}
