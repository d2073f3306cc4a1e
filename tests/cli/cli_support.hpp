// tests/cli/cli_support.hpp - running the real `fadaa` binary on a fresh store per test.
#pragma once

#include <catch2/catch.hpp>

#include <filesystem>
#include <string>
#include <vector>

#include "store/database.hpp"
#include "support/test_support.hpp"

namespace fadaa::test {

// A temporary directory with a store path in it, and `fadaa --db <that store> ...` runs.
struct Cli {
    TempDir dir;
    std::filesystem::path db = dir / "store.sqlite";

    static std::string binary() { return (binDir() / "app/cli/fadaa").string(); }

    // fadaa --db <db> args...
    ProcessResult run(const std::vector<std::string>& args, const std::string& input = {}) const {
        std::vector<std::string> argv = {binary(), "--db", db.string()};
        argv.insert(argv.end(), args.begin(), args.end());
        return runProcess(argv, input);
    }
    // fadaa args... (no --db)
    static ProcessResult runBare(const std::vector<std::string>& args) {
        std::vector<std::string> argv = {binary()};
        argv.insert(argv.end(), args.begin(), args.end());
        return runProcess(argv);
    }
    // Writes a file in the test directory and returns its path.
    std::string file(const std::string& name, const std::string& content) const {
        writeFile(dir / name, content);
        return (dir / name).string();
    }
    static std::string fixture() {
        return (sourceDir() / "tests/cli/data/demo_catalogue.json").string();
    }
    // One integer from a query on the store (opened without migrating, so a test never
    // changes what it inspects).
    std::int64_t count(const std::string& sql) const {
        DatabaseOptions options;
        options.migrate = false;
        Database store(db, options);
        auto& st = store.prepare(sql);
        std::int64_t n = st.step() ? st.getInt(0) : -1;
        st.reset();
        return n;
    }
    // A store with the fixture catalogue imported.
    void importFixture() const {
        ProcessResult r = run({"import", fixture()});
        INFO(r.err);
        REQUIRE(r.exitCode == 0);
    }
};

// Exactly one line of text (ends with one newline, contains no other).
inline bool isOneLine(const std::string& text) {
    return !text.empty() && text.back() == '\n' && text.find('\n') == text.size() - 1;
}

}  // namespace fadaa::test
