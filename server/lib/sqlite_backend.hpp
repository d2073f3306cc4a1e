// server/lib/sqlite_backend.hpp - the embedded backend: city.sqlite through core's Database.
//
// One connection per pooled SqlConnection (SQLite connections are not shared across threads).
// Writers take a process-wide mutex before BEGIN IMMEDIATE, so the server's own threads queue
// without sleeping in SQLite's busy handler; other processes (a `fadaa-server kiosk add` while
// the server runs) still serialise on SQLite's write lock with the busy timeout.
#pragma once

#include <filesystem>
#include <memory>
#include <mutex>

#include "sql.hpp"

namespace fadaa::server {

class SqliteBackend : public SqlBackend {
public:
    explicit SqliteBackend(std::filesystem::path path);
    std::unique_ptr<SqlConnection> connect() override;
    std::string describe() const override { return "sqlite:" + m_path.string(); }

private:
    std::filesystem::path m_path;
    std::mutex m_writeMutex;
};

}  // namespace fadaa::server
