// server/lib/postgres_backend.cpp - SqlConnection over a libpqxx connection.
#include "postgres_backend.hpp"

#include <pqxx/pqxx>

#include <array>
#include <charconv>
#include <optional>

namespace fadaa::server {
namespace {

// The advisory lock key every writer takes; any constant shared by all server processes.
constexpr long long kWriterLockKey = 0x66616461;  // "fada"

bool isTransientState(const std::string& sqlstate) {
    // serialization_failure, deadlock_detected, lock_not_available, admin shutdown family
    return sqlstate == "40001" || sqlstate == "40P01" || sqlstate == "55P03" ||
           sqlstate.rfind("57P", 0) == 0 || sqlstate.rfind("08", 0) == 0;
}

class PostgresConnection : public SqlConnection {
public:
    explicit PostgresConnection(const std::string& url) {
        try {
            m_conn = std::make_unique<pqxx::connection>(url);
            pqxx::nontransaction tx(*m_conn);
            tx.exec("SET client_min_messages = warning");  // quiet "already exists" notices
        } catch (const std::exception& e) {
            throw SqlError(std::string("cannot connect to PostgreSQL: ") + e.what(), true);
        }
    }

    ~PostgresConnection() override {
        m_tx.reset();  // aborts an open transaction before the connection closes
    }

    SqlRows query(std::string_view sql, const SqlParams& params) override {
        return execParams(sql, params.size(),
                          [&](size_t i) -> const SqlValue& { return params[i]; });
    }

    SqlRows queryRows(std::string_view sql, const std::vector<SqlParams>& rows, size_t first,
                      size_t count) override {
        std::vector<const SqlValue*> flat;
        for (size_t r = first; r < first + count; ++r)
            for (const SqlValue& v : rows.at(r)) flat.push_back(&v);
        return execParams(sql, flat.size(), [&](size_t i) -> const SqlValue& { return *flat[i]; });
    }

    void execScript(std::string_view sql) override {
        run([&](pqxx::transaction_base& tx) { return tx.exec(std::string(sql)); });
    }

    void begin(TxKind kind) override {
        try {
            if (isWrite(kind)) {
                m_tx = std::make_unique<pqxx::work>(*m_conn);
                m_tx->exec("SELECT pg_advisory_xact_lock(" + std::to_string(kWriterLockKey) + ")");
            } else {
                m_tx = std::make_unique<pqxx::transaction<pqxx::repeatable_read, pqxx::read_only>>(
                    *m_conn);
            }
        } catch (...) {
            m_tx.reset();
            translate();
        }
    }

    void commit() override {
        try {
            if (m_tx) m_tx->commit();
            m_tx.reset();
        } catch (...) {
            m_tx.reset();
            translate();
        }
    }

    void rollback() noexcept override {
        try {
            if (m_tx) m_tx->abort();
        } catch (...) {
            m_broken = true;
        }
        m_tx.reset();
    }

    bool healthy() const override { return !m_broken && m_conn && m_conn->is_open(); }
    std::string_view backendName() const override { return "postgres"; }

private:
    // Runs sql with parameter k (1-based) = value(k - 1). libpq takes text parameters: text
    // is passed where it is, integers are written in decimal (PostgreSQL casts them to the
    // column's type).
    template <class Value>
    SqlRows execParams(std::string_view sql, size_t count, Value value) {
        std::vector<const char*> values(count, nullptr);
        std::vector<std::array<char, 24>> integers;
        integers.reserve(count);
        for (size_t i = 0; i < count; ++i) {
            const SqlValue& v = value(i);
            if (const auto* text = std::get_if<std::string>(&v)) {
                values[i] = text->c_str();
            } else if (const auto* n = std::get_if<std::int64_t>(&v)) {
                auto& digits = integers.emplace_back();
                *std::to_chars(digits.data(), digits.data() + digits.size() - 1, *n).ptr = '\0';
                values[i] = digits.data();
            }
        }
        return run([&](pqxx::transaction_base& tx) {
            return tx.exec_params(std::string(sql), pqxx::prepare::make_dynamic_params(values));
        });
    }

    template <typename F>
    SqlRows run(F&& f) {
        try {
            pqxx::result r;
            if (m_tx) {
                r = f(*m_tx);
            } else {
                pqxx::nontransaction tx(*m_conn);
                r = f(tx);
            }
            SqlRows rows;
            rows.reserve(r.size());
            for (const auto& row : r) {
                std::vector<std::optional<std::string>> values;
                values.reserve(row.size());
                for (const auto& field : row) {
                    if (field.is_null())
                        values.emplace_back(std::nullopt);
                    else
                        values.emplace_back(std::string(field.c_str(), field.size()));
                }
                rows.emplace_back(std::move(values));
            }
            return rows;
        } catch (...) {
            translate();
        }
    }

    // Rethrows the current pqxx exception as SqlError, marking broken connections.
    [[noreturn]] void translate() {
        try {
            throw;
        } catch (const pqxx::broken_connection& e) {
            m_broken = true;
            throw SqlError(std::string("lost the PostgreSQL connection: ") + e.what(), true);
        } catch (const pqxx::in_doubt_error& e) {
            m_broken = true;
            throw SqlError(std::string("PostgreSQL commit in doubt: ") + e.what(), true);
        } catch (const pqxx::sql_error& e) {
            throw SqlError(e.what(), isTransientState(e.sqlstate()));
        } catch (const SqlError&) {
            throw;
        } catch (const std::exception& e) {
            throw SqlError(e.what(), false);
        }
    }

    std::unique_ptr<pqxx::connection> m_conn;
    std::unique_ptr<pqxx::dbtransaction> m_tx;
    bool m_broken = false;
};

}  // namespace

std::unique_ptr<SqlConnection> PostgresBackend::connect() {
    return std::make_unique<PostgresConnection>(m_url);
}

std::string PostgresBackend::describe() const {
    // Never log a password: keep only what follows the last '@' (host/db) of a URI.
    auto at = m_url.rfind('@');
    if (m_url.rfind("postgres", 0) == 0 && at != std::string::npos)
        return "postgres://" + m_url.substr(at + 1);
    if (m_url.find("password") != std::string::npos) return "postgres (connection string)";
    return "postgres:" + m_url;
}

std::unique_ptr<SqlBackend> openPostgresBackend(const std::string& url) {
    return std::make_unique<PostgresBackend>(url);
}

}  // namespace fadaa::server
