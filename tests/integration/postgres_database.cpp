// tests/integration/postgres_database.cpp - per-test PostgreSQL databases (see the header).
#include "postgres_database.hpp"

#include <pqxx/pqxx>

#include <filesystem>
#include <stdexcept>

#include "support/test_support.hpp"
#include "util/ids.hpp"

namespace fadaa::test {

std::string postgresClusterUrl() {
    std::filesystem::path file = binDir() / "pg" / "url";
    std::string url = readFile(file);
    while (!url.empty() && (url.back() == '\n' || url.back() == '\r')) url.pop_back();
    if (url.empty())
        throw std::runtime_error("no PostgreSQL test cluster (" + file.string() +
                                 " missing): run the integration tests through ctest, or "
                                 "tests/services/postgres.sh start " +
                                 (binDir() / "pg").string());
    return url;
}

PostgresDatabase::PostgresDatabase() {
    std::string cluster = postgresClusterUrl();
    // uuid hex without dashes: a valid unquoted identifier, unique per test.
    std::string suffix;
    for (char c : newUuidV7())
        if (c != '-') suffix += c;
    m_name = "fadaa_test_" + suffix;
    pqxx::connection admin(cluster);
    pqxx::nontransaction tx(admin);
    tx.exec("CREATE DATABASE " + m_name);
    std::size_t slash = cluster.rfind('/');
    m_url = cluster.substr(0, slash + 1) + m_name;
}

PostgresDatabase::~PostgresDatabase() {
    try {
        pqxx::connection admin(postgresClusterUrl());
        pqxx::nontransaction tx(admin);
        tx.exec("DROP DATABASE IF EXISTS " + m_name + " WITH (FORCE)");
    } catch (const std::exception&) {
        // The cluster is gone already (stopped by the fixture): nothing left to drop.
    }
}

}  // namespace fadaa::test
