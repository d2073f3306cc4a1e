// tests/integration/postgres_database.hpp - a fresh PostgreSQL database per test, in the
// throw-away cluster that tests/services/postgres.sh runs for the integration tests (CTest
// fixture `postgres`; its URL is in <build>/pg/url).
#pragma once

#include <string>

namespace fadaa::test {

// The cluster's URL (database `fadaa`). Throws std::runtime_error with a hint when the cluster
// is not running (run through ctest, or `tests/services/postgres.sh start build/release/pg`).
std::string postgresClusterUrl();

// CREATE DATABASE fadaa_test_<random> on construction, DROP ... WITH (FORCE) on destruction, so
// tests never see each other's data and a server still connected cannot keep it alive.
class PostgresDatabase {
public:
    PostgresDatabase();
    ~PostgresDatabase();
    PostgresDatabase(const PostgresDatabase&) = delete;
    PostgresDatabase& operator=(const PostgresDatabase&) = delete;

    const std::string& name() const { return m_name; }
    const std::string& url() const { return m_url; }  // postgresql://...@127.0.0.1:PORT/<name>

private:
    std::string m_name;
    std::string m_url;
};

}  // namespace fadaa::test
