// tests/cli/cli_usage_test.cpp - the command line itself: --help everywhere, exit status 2 on
// wrong usage, 1 with one line on a missing store, and nothing written in either case.
#include "cli_support.hpp"

using namespace fadaa::test;

TEST_CASE("cli: --help works on the tool and on every command") {
    ProcessResult top = Cli::runBare({"--help"});
    CHECK(top.exitCode == 0);
    for (const char* command : {"init", "demo", "events", "register", "cancel", "registrations",
                                "import", "export", "check"}) {
        CAPTURE(command);
        CHECK(top.out.find(command) != std::string::npos);
        ProcessResult r = Cli::runBare({command, "--help"});
        CHECK(r.exitCode == 0);
        CHECK(r.out.find("Usage") != std::string::npos);
        CHECK(r.out.find(command) != std::string::npos);
    }
    CHECK(Cli::runBare({"register", "--help"}).out.find("--answer") != std::string::npos);
    CHECK(Cli::runBare({"events", "--help"}).out.find("--search") != std::string::npos);
}

TEST_CASE("cli: wrong usage exits 2 and writes nothing") {
    Cli cli;
    const std::vector<std::vector<std::string>> wrong = {
        {},                                                       // no command
        {"frobnicate"},                                           // unknown command
        {"events", "--colour", "red"},                            // unknown option
        {"register", "s1", "--phone", "0612345678"},              // --name missing
        {"register", "--name", "Sara", "--phone", "0612345678"},  // SESSION missing
        {"cancel", "ABC123"},                                     // --phone missing
        {"export", "--format", "xml"},                            // not a choice
        {"registrations", "--format", "xlsx"},
        {"import"},                              // FILE missing
        {"events", "--from", "next blue moon"},  // not a date
        {"events", "--to", "2026-13-45"},
        {"register", "s1", "--name", "Sara", "--phone", "0612345678", "--answer", "noequals"},
        {"--timezone", "Mars/Olympus", "events"},
    };
    for (const auto& args : wrong) {
        CAPTURE(args);
        ProcessResult r = cli.run(args);
        CHECK(r.exitCode == 2);
        CHECK_FALSE(r.err.empty());
    }
    CHECK_FALSE(std::filesystem::exists(cli.db));
}

TEST_CASE("cli: commands that read a store fail with one line when there is none") {
    Cli cli;
    for (const std::vector<std::string>& args :
         {std::vector<std::string>{"events"},
          {"registrations"},
          {"export"},
          {"check"},
          {"cancel", "ABC123", "--phone", "0612345678"},
          {"register", "s1", "--name", "Sara", "--phone", "0612345678"}}) {
        CAPTURE(args);
        ProcessResult r = cli.run(args);
        CHECK(r.exitCode == 1);
        CHECK(isOneLine(r.err));
        CHECK(r.err.find("no store at") != std::string::npos);
    }
    CHECK_FALSE(std::filesystem::exists(cli.db));
}

TEST_CASE("cli: init creates the store, check reports on it, both twice") {
    Cli cli;
    for (int i = 0; i < 2; ++i) {
        ProcessResult init = cli.run({"init"});
        INFO(init.err);
        CHECK(init.exitCode == 0);
        CHECK(init.out.find("schema version") != std::string::npos);
    }
    REQUIRE(std::filesystem::exists(cli.db));
    ProcessResult check = cli.run({"check"});
    INFO(check.err);
    CHECK(check.exitCode == 0);
    CHECK(check.out.find("integrity:      ok") != std::string::npos);
    CHECK(check.out.find("foreign keys:   ok") != std::string::npos);
    CHECK(check.out.find("outbox:         0 pending") != std::string::npos);
}

TEST_CASE("cli: the store path comes from --db, else $FADAA_DB, else ./fadaa.sqlite") {
    Cli cli;
    auto path = (cli.dir / "from-env.sqlite").string();
    setenv("FADAA_DB", path.c_str(), 1);
    ProcessResult r = Cli::runBare({"init"});
    unsetenv("FADAA_DB");
    CHECK(r.exitCode == 0);
    CHECK(std::filesystem::exists(path));
    CHECK(r.out.find(path) != std::string::npos);
    // --db wins over the environment, also after the command
    setenv("FADAA_DB", path.c_str(), 1);
    ProcessResult r2 = Cli::runBare({"init", "--db", cli.db.string()});
    unsetenv("FADAA_DB");
    CHECK(r2.exitCode == 0);
    CHECK(std::filesystem::exists(cli.db));
}

TEST_CASE("cli: check finds a damaged store and a store from a newer Fadaa") {
    Cli cli;
    REQUIRE(cli.run({"init"}).exitCode == 0);
    {
        fadaa::Database db(cli.db);
        db.exec("PRAGMA foreign_keys=OFF");
        db.exec(
            "INSERT INTO session(id, event_id, starts_at, ends_at) VALUES ('orphan', "
            "'no-such-event', 0, 0)");
    }
    ProcessResult r = cli.run({"check"});
    CHECK(r.exitCode == 1);
    CHECK(r.out.find("foreign keys:   1 rows refer to missing records") != std::string::npos);
    CHECK(isOneLine(r.err));

    Cli newer;
    REQUIRE(newer.run({"init"}).exitCode == 0);
    {
        fadaa::Database db(newer.db);
        db.exec("PRAGMA user_version=999");
    }
    ProcessResult n = newer.run({"check"});
    CHECK(n.exitCode == 1);
    CHECK(n.out.find("NEWER") != std::string::npos);
    ProcessResult e = newer.run({"events"});
    CHECK(e.exitCode == 1);
    CHECK(e.err.find("newer version of Fadaa") != std::string::npos);
}
