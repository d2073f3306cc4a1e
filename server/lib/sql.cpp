// server/lib/sql.cpp - the backend-independent parts of the storage interface: rows, the
// connection pool, placeholders.
#include "sql.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <bit>
#include <charconv>

namespace fadaa::server {

const std::string& SqlRow::text(size_t i) const {
    static const std::string kEmpty;
    const auto& v = m_values.at(i);
    return v ? *v : kEmpty;
}

std::int64_t SqlRow::integer(size_t i) const {
    const auto& v = m_values.at(i);
    if (!v) throw SqlError("expected an integer, got NULL", false);
    std::int64_t out = 0;
    auto [end, ec] = std::from_chars(v->data(), v->data() + v->size(), out);
    if (ec != std::errc() || end != v->data() + v->size())
        throw SqlError("expected an integer, got '" + *v + "'", false);
    return out;
}

std::optional<std::int64_t> SqlRow::optInteger(size_t i) const {
    if (isNull(i)) return std::nullopt;
    return integer(i);
}

std::optional<std::string> SqlConnection::scalar(std::string_view sql, const SqlParams& params) {
    SqlRows rows = query(sql, params);
    if (rows.empty() || rows[0].size() == 0) return std::nullopt;
    return rows[0].optText(0);
}

PooledConnection::~PooledConnection() {
    if (m_conn && m_backend) m_backend->release(std::move(m_conn));
}

PooledConnection SqlBackend::acquire() {
    {
        std::lock_guard lock(m_mutex);
        if (!m_idle.empty()) {
            auto conn = std::move(m_idle.back());
            m_idle.pop_back();
            return PooledConnection(*this, std::move(conn));
        }
    }
    return PooledConnection(*this, connect());
}

void SqlBackend::release(std::unique_ptr<SqlConnection> conn) {
    if (!conn->healthy()) return;  // dropped: the next acquire() opens a fresh one
    std::lock_guard lock(m_mutex);
    if (m_idle.size() < 32) m_idle.push_back(std::move(conn));
}

SqlRows SqlConnection::queryRows(std::string_view sql, const std::vector<SqlParams>& rows,
                                 size_t first, size_t count) {
    SqlParams params;
    for (size_t r = first; r < first + count; ++r)
        params.insert(params.end(), rows.at(r).begin(), rows.at(r).end());
    return query(sql, params);
}

namespace {

void appendPlaceholders(std::string& out, size_t count, size_t first) {
    char digits[24];
    for (size_t i = 0; i < count; ++i) {
        if (i) out += ", ";
        out += '$';
        auto [end, ec] = std::to_chars(digits, digits + sizeof digits, first + i);
        out.append(digits, end);
    }
}

}  // namespace

std::string sqlPlaceholders(size_t count, size_t first) {
    std::string out;
    out.reserve(count * 6);
    appendPlaceholders(out, count, first);
    return out;
}

void insertRows(SqlConnection& conn, const std::string& table, const std::string& columns,
                size_t width, const std::vector<SqlParams>& rows, const std::string& suffix) {
    if (width == 0) throw SqlError("insertRows: a row needs at least one column", false);
    for (const SqlParams& row : rows)
        if (row.size() != width)
            throw SqlError(fmt::format("insertRows into {}: a row of {} values for {} columns",
                                       table, row.size(), width),
                           false);
    // ~800 parameters a statement: well under SQLite's and PostgreSQL's limits, and few enough
    // round trips that a 500-row batch is a handful of statements.
    const size_t chunk = std::max<size_t>(1, 800 / width);
    const bool fixedShapes = conn.reusesStatements();
    std::string sql;
    // The row count `sql` is written for. Its verb stays right for the whole call: whether a
    // transaction is open (bulkInsertVerb) does not change between chunks.
    size_t sqlRows = 0;
    for (size_t start = 0; start < rows.size();) {
        size_t n = std::min(chunk, rows.size() - start);
        if (fixedShapes && n < chunk) n = std::bit_floor(n);  // 13 rows: 8, 4, 1
        if (n != sqlRows) {
            sql = fmt::format("{} INTO {} {} VALUES ", conn.bulkInsertVerb(), table, columns);
            sql.reserve(sql.size() + n * (width * 6 + 4) + suffix.size() + 1);
            for (size_t i = 0; i < n; ++i) {
                sql += i ? ", (" : "(";
                appendPlaceholders(sql, width, i * width + 1);
                sql += ')';
            }
            if (!suffix.empty()) sql += " " + suffix;
            sqlRows = n;
        }
        conn.queryRows(sql, rows, start, n);
        start += n;
    }
}

}  // namespace fadaa::server
