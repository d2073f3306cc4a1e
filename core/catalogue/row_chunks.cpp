// core/catalogue/row_chunks.cpp - multi-row statements (row_chunks.hpp).
#include "catalogue/row_chunks.hpp"

#include <algorithm>
#include <string>

#include "store/database.hpp"

namespace fadaa {

void forRowChunks(Database& db, std::string_view head, int columns, std::string_view tail,
                  size_t rows, const std::function<void(Statement&, int, size_t)>& bindRow,
                  const std::function<void(Statement&)>& run) {
    std::string group = "(?";
    for (int c = 1; c < columns; ++c) group += ",?";
    group += ')';
    auto sqlFor = [&](size_t n) {
        std::string sql(head);
        for (size_t i = 0; i < n; ++i) {
            if (i) sql += ',';
            sql += group;
        }
        sql += tail;
        return sql;
    };
    // The full-size statement is prepared once and reset between chunks: its text is long, and
    // building it and finding it in the cache again cost as much as binding the rows.
    Statement* full = nullptr;
    for (size_t start = 0; start < rows; start += kRowsPerStatement) {
        size_t n = std::min(kRowsPerStatement, rows - start);
        Statement* st = nullptr;
        if (n < kRowsPerStatement) {
            st = &db.prepare(sqlFor(n));
        } else if (full) {
            st = full;
            st->reset();
        } else {
            st = full = &db.prepare(sqlFor(n));
        }
        for (size_t i = 0; i < n; ++i) bindRow(*st, static_cast<int>(i) * columns + 1, start + i);
        if (run)
            run(*st);
        else
            st->exec();
    }
}

}  // namespace fadaa
