// tests/unit/pull_page_fixtures.hpp - what the kiosk-side pull tests (sync_wire_test,
// sync_pull_page_test) build pages from: one change-log record and one page as the server
// sends them, and a one-number query of the store.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "store/database.hpp"

namespace fadaa::test {

// One change-log record: an upsert of `data`, or a delete (tombstone) when it is null.
inline nlohmann::json change(const std::string& entity, const std::string& id,
                             nlohmann::json data) {
    return {{"seq", 1},
            {"entity", entity},
            {"id", id},
            {"op", data.is_null() ? "delete" : "upsert"},
            {"data", data}};
}

// One pull page holding `changes`.
inline nlohmann::json pullPage(nlohmann::json changes, bool hasMore, const std::string& cursor,
                               std::int64_t serverTime) {
    return {{"changes", changes},
            {"next_cursor", cursor},
            {"has_more", hasMore},
            {"server_time", serverTime}};
}

// The first column of the first row of `sql` (a count).
inline long long count(Database& db, const std::string& sql) {
    auto& st = db.prepare(sql);
    st.step();
    long long n = st.getInt(0);
    st.reset();
    return n;
}

}  // namespace fadaa::test
