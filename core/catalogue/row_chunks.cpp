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
    std::string sql;
    for (size_t start = 0; start < rows; start += kRowsPerStatement) {
        size_t n = std::min(kRowsPerStatement, rows - start);
        sql.assign(head);
        for (size_t i = 0; i < n; ++i) {
            if (i) sql += ',';
            sql += group;
        }
        sql += tail;
        Statement& st = db.prepare(sql);
        for (size_t i = 0; i < n; ++i) bindRow(st, static_cast<int>(i) * columns + 1, start + i);
        if (run)
            run(st);
        else
            st.exec();
    }
}

}  // namespace fadaa
