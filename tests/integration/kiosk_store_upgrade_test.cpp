// tests/integration/kiosk_store_upgrade_test.cpp - a kiosk store written at schema v5 (ops
// acknowledged and pending, a registration cancelled) upgraded in place when opened, then
// synced with a real fadaa-server. The kiosk store's schema is per kiosk, not per server, so
// one backend (SQLite) is enough here.
#include <catch2/catch.hpp>
#include <filesystem>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include "protocol_fixture.hpp"
#include "store/migrations.hpp"

using namespace fadaa;
using namespace fadaa::test;

namespace {

// What a store's schema is: every table's columns, every index's columns and text, every
// trigger's text (whitespace folded: a table altered in place keeps edited CREATE text).
std::set<std::string> schemaOf(Database& db) {
    std::set<std::string> out;
    auto folded = [](const std::string& sql) {
        return std::regex_replace(sql, std::regex("\\s+"), " ");
    };
    std::vector<std::pair<std::string, std::string>> objects;
    auto& st = db.prepare(
        "SELECT type, name, coalesce(sql, '') FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'");
    while (st.step()) {
        objects.emplace_back(st.getText(0), st.getText(1));
        if (st.getText(0) != "table") out.insert(st.getText(1) + ": " + folded(st.getText(2)));
    }
    st.reset();
    for (const auto& [type, name] : objects) {
        if (type != "table") continue;
        auto& cols = db.prepare(
                           "SELECT name, type, \"notnull\", coalesce(dflt_value, '-'), pk "
                           "FROM pragma_table_xinfo(?)")
                         .bindAll(name);
        while (cols.step())
            out.insert(name + "." + cols.getText(0) + " " + cols.getText(1) + " " +
                       cols.getText(2) + " " + cols.getText(3) + " " + cols.getText(4));
        cols.reset();
    }
    return out;
}

std::set<std::string> schemaAt(const std::filesystem::path& file, int version) {
    DatabaseOptions options;
    options.migrate = false;
    Database db(file, options);
    migrateTo(db, version);
    return schemaOf(db);
}

// Takes a store back to schema v5, as a v5 Fadaa wrote it (the test checks it is).
void downgradeToV5(const std::filesystem::path& file) {
    DatabaseOptions options;
    options.migrate = false;
    Database db(file, options);
    Transaction tx(db);
    db.exec(R"sql(
DROP TRIGGER registration_cancelled_update;
DROP TRIGGER registration_cancelled_insert;
DROP INDEX registration_person;
DROP INDEX outbox_pending;
DROP INDEX registration_session;
DROP INDEX registration_waitlist;
ALTER TABLE registration DROP COLUMN cancelled;
CREATE INDEX registration_session ON registration(session_id, status);
CREATE UNIQUE INDEX registration_person ON registration(session_id, person_key)
    WHERE status <> 'cancelled';
CREATE INDEX outbox_pending ON outbox(state, seq);
PRAGMA user_version = 5;
)sql");
    tx.commit();
}

}  // namespace

TEST_CASE("kiosk store: a v5 store with acknowledged and pending ops upgrades and syncs") {
    REQUIRE(currentSchemaVersion() == 6);  // this test is about the v5 -> v6 step
    // No leases: every registration provisional, decided by the server.
    Setup setup(ProtocolBackend::Sqlite, {"a"}, {"--lease-max-seats", "0"});
    TestServer& server = setup.server;
    TestKiosk& a = setup.kiosk("a");
    const std::filesystem::path file = a.db().path();
    std::vector<Registration> made;
    for (int i = 0; i < 3; ++i) made.push_back(a.registerPerson("chess", i));
    REQUIRE(a.sync().ok);  // acknowledged, confirmed
    for (int i = 3; i < 6; ++i) made.push_back(a.registerPerson("chess", i));  // pending
    REQUIRE(a.cancel(made[1]));                                                // pending too
    REQUIRE(a.pending() == 4);

    downgradeToV5(file);
    REQUIRE(a.db().schemaVersion() == 5);
    CHECK(schemaOf(a.db()) == schemaAt(setup.dir / "fresh-v5.sqlite", 5));
    {
        Database upgraded(file);  // opening upgrades
        CHECK(upgraded.schemaVersion() == 6);
    }
    CHECK(schemaOf(a.db()) == schemaAt(setup.dir / "fresh-v6.sqlite", 6));
    CHECK(a.pending() == 4);
    CHECK(a.count("SELECT count(*) FROM outbox WHERE state = 'remapped'") == 3);
    CHECK(a.count("SELECT count(*) FROM registration WHERE cancelled = 1") == 1);
    CHECK(a.count("SELECT cancelled FROM registration WHERE status = 'cancelled'") == 1);
    // Pending ops are read through the new index, in order.
    CHECK(a.count("SELECT count(*) FROM outbox WHERE state = 'pending' AND seq > 0") == 4);

    SyncReport r = a.sync();
    INFO(r.error);
    REQUIRE(r.ok);
    CHECK(r.pushed == 4);
    CHECK(a.pending() == 0);
    for (size_t i = 0; i < made.size(); ++i) {
        INFO(i);
        CHECK(a.status(made[i].id) == (i == 1 ? "cancelled" : "confirmed"));
    }
    CHECK(server.count("SELECT count(*) FROM registration WHERE status = 'confirmed'") == 5);
    CHECK(server.count("SELECT count(*) FROM registration WHERE status = 'cancelled'") == 1);
    // One live registration per person: the one cancelled may come back, the others may not.
    CHECK(a.registerPerson("chess", 1).id != made[1].id);
    CHECK(a.registerPerson("chess", 0).id == made[0].id);
    CHECK(a.count("SELECT count(*) FROM registration WHERE cancelled IS NOT "
                  "(status = 'cancelled')") == 0);
}
