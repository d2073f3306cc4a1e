// core/catalogue/row_chunks.hpp - one statement for many rows: `head (?,..),(?,..) tail`.
//
// Why: SQLite pays a fixed cost per statement run (the prepared-statement cache lookup, resetting
// bindings, and for a write that may fail part-way a statement journal opened and closed, which
// copies every page it touches). A pulled page writes about a thousand rows per table, so
// writing them 64 to a statement (or looking them up 64 at a time with `IN ((?),(?)..)`) makes
// that cost small. Used by the batched catalogue writes and by sync's page apply.
#pragma once

#include <cstddef>
#include <functional>
#include <string_view>

namespace fadaa {

class Database;
class Statement;

inline constexpr size_t kRowsPerStatement = 64;

// Runs `head` + n row groups `(?, ...)` of `columns` parameters + `tail`, for rows [0, rows),
// at most kRowsPerStatement per statement, in row order. bindRow(st, firstParam, row) binds one
// row's values at firstParam.. firstParam + columns - 1; run(st) then runs each statement
// (default: to completion). Statements are cached by the Database as any other.
void forRowChunks(Database& db, std::string_view head, int columns, std::string_view tail,
                  size_t rows, const std::function<void(Statement&, int, size_t)>& bindRow,
                  const std::function<void(Statement&)>& run = {});

}  // namespace fadaa
