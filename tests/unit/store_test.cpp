// tests/unit/store_test.cpp - the SQLite wrapper and migrations.
#include <catch2/catch.hpp>

#include "store/database.hpp"
#include "store/migrations.hpp"
#include "support/test_support.hpp"

using namespace fadaa;

TEST_CASE("a new store is created at the current schema version with WAL and foreign keys") {
    test::TempDir dir;
    Database db(dir / "kiosk.sqlite");
    CHECK(db.schemaVersion() == currentSchemaVersion());
    auto& mode = db.prepare("PRAGMA journal_mode");
    REQUIRE(mode.step());
    CHECK(mode.getText(0) == "wal");
    auto& fk = db.prepare("PRAGMA foreign_keys");
    REQUIRE(fk.step());
    CHECK(fk.getInt(0) == 1);
}

TEST_CASE("a store written by a newer Fadaa is refused with a clear message") {
    test::TempDir dir;
    {
        Database db(dir / "kiosk.sqlite");
        db.exec("PRAGMA user_version=999");
    }
    try {
        Database db(dir / "kiosk.sqlite");
        FAIL("opened a newer database");
    } catch (const StoreError& e) {
        CHECK_THAT(e.what(), Catch::Contains("newer version of Fadaa"));
    }
}

TEST_CASE("a transaction not committed is rolled back") {
    test::TempDir dir;
    Database db(dir / "kiosk.sqlite");
    {
        Transaction tx(db);
        db.prepare("INSERT INTO sync_state(key, value) VALUES (?, ?)").bindAll("k", "v").exec();
    }
    auto& st = db.prepare("SELECT count(*) FROM sync_state");
    REQUIRE(st.step());
    CHECK(st.getInt(0) == 0);
}

TEST_CASE("errors carry SQLite's message and code") {
    test::TempDir dir;
    Database db(dir / "kiosk.sqlite");
    db.prepare("INSERT INTO sync_state(key, value) VALUES ('a', '1')").exec();
    try {
        db.prepare("INSERT INTO sync_state(key, value) VALUES ('a', '2')").exec();
        FAIL("duplicate key accepted");
    } catch (const StoreError& e) {
        CHECK(e.isConstraint());
        CHECK_THAT(e.what(), Catch::Contains("UNIQUE constraint failed"));
    }
    CHECK_THROWS_AS(db.prepare("SELECT * FROM no_such_table"), StoreError);
}
