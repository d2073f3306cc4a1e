// tests/unit/search_trace.hpp - counts how many times events are (re-)indexed for search while a
// piece of code runs, by tracing the statements that write an entry: "indexed once" is a
// behaviour the batched catalogue writes promise, so the tests check it.
#pragma once

#include <sqlite3.h>

#include <string_view>

#include "store/database.hpp"

namespace fadaa::test {

// SQLITE_TRACE_STMT callback: counts the statements that write an event's search entry.
inline int countReindexing(unsigned type, void* context, void* statement, void*) {
    if (type != SQLITE_TRACE_STMT) return 0;
    const char* sql = sqlite3_sql(static_cast<sqlite3_stmt*>(statement));
    if (sql && std::string_view(sql).rfind("INSERT INTO event_search", 0) == 0)
        ++*static_cast<int*>(context);
    return 0;
}

// How many event search entries f() writes on db.
template <typename F>
int reindexingsDuring(Database& db, F&& f) {
    int reindexed = 0;
    sqlite3_trace_v2(db.handle(), SQLITE_TRACE_STMT, countReindexing, &reindexed);
    try {
        f();
    } catch (...) {
        sqlite3_trace_v2(db.handle(), 0, nullptr, nullptr);
        throw;
    }
    sqlite3_trace_v2(db.handle(), 0, nullptr, nullptr);
    return reindexed;
}

}  // namespace fadaa::test
