// server/lib/sql.cpp - the backend-independent parts of the storage interface: rows, the
// connection pool, placeholders.
#include "sql.hpp"

#include <fmt/format.h>

#include <algorithm>
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

std::string sqlPlaceholders(size_t count, size_t first) {
    std::string out;
    for (size_t i = 0; i < count; ++i) {
        if (i) out += ", ";
        out += '$';
        out += std::to_string(first + i);
    }
    return out;
}

namespace {

// Rows go into one multi-row INSERT per chunk; take(row) appends a row's values to the chunk's
// parameters (copied or moved).
template <class Rows, class Take>
void insertChunks(SqlConnection& conn, const std::string& table, const std::string& columns,
                  size_t width, Rows& rows, const std::string& suffix, Take take) {
    // ~800 parameters a statement: well under SQLite's and PostgreSQL's limits, and few enough
    // round trips that a 500-row batch is a handful of statements.
    const size_t chunk = std::max<size_t>(1, 800 / width);
    for (size_t start = 0; start < rows.size(); start += chunk) {
        size_t n = std::min(chunk, rows.size() - start);
        std::string sql = fmt::format("INSERT INTO {} {} VALUES ", table, columns);
        SqlParams params;
        params.reserve(n * width);
        for (size_t i = 0; i < n; ++i) {
            if (i) sql += ", ";
            sql += "(" + sqlPlaceholders(width, params.size() + 1) + ")";
            take(params, rows[start + i]);
        }
        if (!suffix.empty()) sql += " " + suffix;
        conn.query(sql, params);
    }
}

}  // namespace

void insertRows(SqlConnection& conn, const std::string& table, const std::string& columns,
                size_t width, const std::vector<SqlParams>& rows, const std::string& suffix) {
    insertChunks(conn, table, columns, width, rows, suffix,
                 [](SqlParams& params, const SqlParams& row) {
                     params.insert(params.end(), row.begin(), row.end());
                 });
}

void insertRows(SqlConnection& conn, const std::string& table, const std::string& columns,
                size_t width, std::vector<SqlParams>&& rows, const std::string& suffix) {
    insertChunks(conn, table, columns, width, rows, suffix, [](SqlParams& params, SqlParams& row) {
        params.insert(params.end(), std::make_move_iterator(row.begin()),
                      std::make_move_iterator(row.end()));
    });
}

}  // namespace fadaa::server
