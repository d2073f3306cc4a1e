// server/lib/postgres_backend.hpp - the production backend: PostgreSQL through libpqxx 6.4.
//
// Writers serialise on a transaction-scoped advisory lock (pg_advisory_xact_lock), which every
// fadaa-server process on the same database shares; readers use REPEATABLE READ READ ONLY so a
// multi-statement read (checksums, snapshots) sees one snapshot.
#pragma once

#include <memory>
#include <string>

#include "sql.hpp"

namespace fadaa::server {

class PostgresBackend : public SqlBackend {
public:
    // url: a libpq connection string or postgresql:// URI. Nothing is opened until connect().
    explicit PostgresBackend(std::string url) : m_url(std::move(url)) {}
    std::unique_ptr<SqlConnection> connect() override;
    std::string describe() const override;

private:
    std::string m_url;
};

}  // namespace fadaa::server
