// tests/unit/durability_test.cpp - the store's durability settings and idle checkpoints
// (docs/architecture.md, "Durability"). Timings are in bench/registration_bench, not here.
#include <catch2/catch.hpp>

#include <filesystem>

#include "store/database.hpp"
#include "support/test_support.hpp"

using namespace fadaa;

namespace {

std::int64_t pragma(Database& db, const char* sql) {
    auto& st = db.prepare(sql);
    REQUIRE(st.step());
    std::int64_t value = st.getInt(0);
    st.reset();
    return value;
}

}  // namespace

TEST_CASE("a store syncs every commit by default and NORMAL only when asked") {
    test::TempDir dir;
    Database full(dir / "full.sqlite");
    CHECK(pragma(full, "PRAGMA synchronous") == 2);  // FULL
    DatabaseOptions options;
    options.durability = Durability::Normal;
    Database normal(dir / "normal.sqlite", options);
    CHECK(pragma(normal, "PRAGMA synchronous") == 1);  // NORMAL
}

TEST_CASE("checkpoint copies the WAL into the database file and keeps every commit") {
    test::TempDir dir;
    const auto path = dir / "kiosk.sqlite";
    Database db(path);
    db.exec("PRAGMA wal_autocheckpoint=0");  // only explicit checkpoints in this test
    auto sizeBefore = std::filesystem::file_size(path);
    {
        Transaction tx(db);
        for (int i = 0; i < 200; ++i)
            db.prepare("INSERT INTO sync_state(key, value) VALUES (?, ?)")
                .bindAll("k" + std::to_string(i), std::string(500, 'x'))
                .exec();
        tx.commit();
    }
    CHECK(std::filesystem::file_size(path) == sizeBefore);  // everything is still in the WAL

    // A reader holding an old snapshot keeps its frames from being copied.
    Database reader(path);
    reader.exec("BEGIN");
    CHECK(pragma(reader, "SELECT count(*) FROM sync_state") == 200);
    db.prepare("INSERT INTO sync_state(key, value) VALUES ('late', 'x')").exec();
    CHECK(db.checkpoint() > 0);
    reader.exec("COMMIT");

    CHECK(db.checkpoint() == 0);
    CHECK(std::filesystem::file_size(path) > sizeBefore);
    CHECK(pragma(db, "SELECT count(*) FROM sync_state") == 201);
}
