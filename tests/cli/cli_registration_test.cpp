// tests/cli/cli_registration_test.cpp - `fadaa register`, `cancel`, `registrations` and
// `demo` on real stores: statuses, waiting list and promotion, one-line errors with nothing
// written, personal text kept byte for byte.
#include <nlohmann/json.hpp>

#include "cli_support.hpp"
#include "util/csv.hpp"

using namespace fadaa::test;

namespace {

std::int64_t writes(const Cli& cli) {
    return cli.count(
        "SELECT (SELECT count(*) FROM registration) * 1000 + "
        "(SELECT count(*) FROM outbox)");
}

nlohmann::json registerJson(const Cli& cli, const std::string& session, const std::string& name,
                            const std::string& phone, std::vector<std::string> extra = {}) {
    std::vector<std::string> args = {"register", session, "--name", name,
                                     "--phone",  phone,   "--json"};
    args.insert(args.end(), extra.begin(), extra.end());
    ProcessResult r = cli.run(args);
    INFO(r.err);
    REQUIRE(r.exitCode == 0);
    return nlohmann::json::parse(r.out);
}

// A refused registration: exit 1, one line on stderr mentioning `expected`, nothing written.
void requireRefused(const Cli& cli, const std::vector<std::string>& args,
                    const std::string& expected) {
    std::int64_t before = writes(cli);
    ProcessResult r = cli.run(args);
    CAPTURE(args, r.err);
    CHECK(r.exitCode == 1);
    CHECK(isOneLine(r.err));
    CHECK(r.err.find(expected) != std::string::npos);
    CHECK(writes(cli) == before);
}

}  // namespace

TEST_CASE("cli register: confirmed with a code, the same person again gets it back") {
    Cli cli;
    cli.importFixture();
    auto first = registerJson(cli, "chess-open-round1", "Sara Aït Ali", "06 12 34 56 78",
                              {"--answer", "section=u10", "--answer", "rating=1200"});
    CHECK(first["ok"] == true);
    CHECK(first["status"] == "confirmed");
    std::string code = first["code"];
    CHECK(code.size() >= 6);
    CHECK(first["existing"] == false);

    auto again = registerJson(cli, "chess-open-round1", "sara ait ali", "+212612345678",
                              {"--answer", "section=u10"});
    CHECK(again["code"] == code);
    CHECK(again["existing"] == true);
    CHECK(cli.count("SELECT count(*) FROM registration") == 1);

    ProcessResult text = cli.run(
        {"register", "couture-debutants-1", "--name", "Fatima Zahra", "--phone", "0661000000"});
    INFO(text.err);
    CHECK(text.exitCode == 0);
    CHECK(text.out.find("Confirmed. Code: ") != std::string::npos);
}

TEST_CASE("cli register: bad input is one line of plain words and writes nothing") {
    Cli cli;
    cli.importFixture();
    const std::string s = "chess-open-round1";
    requireRefused(cli, {"register", s, "--name", "Sara", "--phone", "0612"}, "phone: ");
    requireRefused(cli, {"register", s, "--name", "Sara", "--phone", "0612345678"}, "section: ");
    requireRefused(
        cli, {"register", s, "--name", "Sara", "--phone", "0612345678", "--answer", "section=u99"},
        "section: ");
    requireRefused(cli,
                   {"register", s, "--name", "Sara", "--phone", "0612345678", "--answer",
                    "section=u10", "--answer", "rating=lots"},
                   "rating: ");
    requireRefused(cli, {"register", s, "--name", "  ", "--phone", "0612345678"}, "name: ");
    requireRefused(cli, {"register", s, "--name", "Sa\xC0\xAFra", "--phone", "0612345678"},
                   "name: ");
    requireRefused(cli, {"register", "no-such-session", "--name", "Sara", "--phone", "0612345678"},
                   "session: ");
    requireRefused(cli, {"register", "club-lecture-1", "--name", "Sara", "--phone", "0612345678"},
                   "session: ");
    // --json also prints the errors, as data, on stdout.
    ProcessResult r = cli.run({"register", s, "--name", "Sara", "--phone", "12", "--json"});
    CHECK(r.exitCode == 1);
    auto out = nlohmann::json::parse(r.out);
    CHECK(out["ok"] == false);
    bool phone = false;
    for (const auto& e : out["errors"])
        phone = phone || (e["field"] == "phone" && e["key"] == "error.phone.invalid");
    CHECK(phone);
}

TEST_CASE("cli register: SQL metacharacters in a name are stored as typed") {
    Cli cli;
    cli.importFixture();
    const std::string name = "Robert'); DROP TABLE registration;-- \"Bobby\" ٪";
    auto r = registerJson(cli, "couture-debutants-1", name, "0612345678");
    CHECK(r["status"] == "confirmed");
    ProcessResult list = cli.run({"registrations", "--format", "json"});
    REQUIRE(list.exitCode == 0);
    auto all = nlohmann::json::parse(list.out);
    REQUIRE(all.size() == 1);
    CHECK(all[0]["name"] == name);
    CHECK(all[0]["phone"] == "+212612345678");
    CHECK(cli.count("SELECT count(*) FROM registration") == 1);
}

TEST_CASE("cli registrations: a name a spreadsheet would run as a formula is exported inert") {
    Cli cli;
    cli.importFixture();
    const std::string name = "=HYPERLINK(\"http://example.test\",\"Sara\")";
    auto r = registerJson(cli, "couture-debutants-1", name, "0612345678");
    REQUIRE(r["ok"] == true);
    ProcessResult csv = cli.run({"registrations"});
    REQUIRE(csv.exitCode == 0);
    auto rows = fadaa::parseCsv(csv.out);
    REQUIRE(rows.size() == 2);
    CHECK(rows[1].fields[3] == "'" + name);
    CHECK(rows[1].fields[4] == "+212612345678");  // ours, not typed: unchanged
    ProcessResult json = cli.run({"registrations", "--format", "json"});
    CHECK(nlohmann::json::parse(json.out)[0]["name"] == name);  // JSON is data, not a sheet
}

TEST_CASE("cli: a full session waitlists; cancelling promotes the first waiting") {
    Cli cli;
    cli.importFixture();
    std::vector<std::string> codes;
    for (int i = 0; i < 5; ++i) {
        auto r = registerJson(cli, "concert-andalou-1", "Person " + std::string(1, char('A' + i)),
                              "06123456" + std::to_string(10 + i));
        CHECK(r["status"] == (i < 4 ? "confirmed" : "waitlisted"));
        codes.push_back(r["code"]);
    }
    ProcessResult events = cli.run({"events", "--category", "concert", "--to", "+30d"});
    CHECK(events.out.find("full (waiting list)") != std::string::npos);

    requireRefused(cli, {"cancel", codes[1], "--phone", "0699999999"}, "no registration");
    requireRefused(cli, {"cancel", "ZZZZZZ", "--phone", "0612345611"}, "no registration");
    ProcessResult c = cli.run({"cancel", codes[1], "--phone", "+212 6 12 34 56 11"});
    INFO(c.err);
    REQUIRE(c.exitCode == 0);
    CHECK(c.out.find("Cancelled " + codes[1]) != std::string::npos);
    CHECK(c.out.find(codes[4] + " moved from the waiting list") != std::string::npos);
    ProcessResult twice = cli.run({"cancel", codes[1], "--phone", "0612345611"});
    CHECK(twice.exitCode == 0);
    CHECK(twice.out.find("already cancelled") != std::string::npos);

    ProcessResult csv = cli.run({"registrations", "--session", "concert-andalou-1"});
    REQUIRE(csv.exitCode == 0);
    auto rows = fadaa::parseCsv(csv.out);
    REQUIRE(rows.size() == 6);
    CHECK(rows[0].fields[0] == "code");
    std::map<std::string, std::string> status;
    for (size_t i = 1; i < rows.size(); ++i) status[rows[i].fields[0]] = rows[i].fields[1];
    CHECK(status[codes[1]] == "cancelled");
    CHECK(status[codes[4]] == "confirmed");

    ProcessResult unknown = cli.run({"registrations", "--session", "nope"});
    CHECK(unknown.exitCode == 1);
    CHECK(isOneLine(unknown.err));
}

TEST_CASE("cli demo: seeds an empty store once, taken seats filled with fake people") {
    Cli cli;
    ProcessResult r = cli.run({"demo", "--catalogue", Cli::fixture()});
    INFO(r.err);
    REQUIRE(r.exitCode == 0);
    CHECK(cli.count("SELECT count(*) FROM event") == 4);
    // taken in the fixture: 3 + 4 + 37 + 2; the chess ones answer the required section
    CHECK(cli.count("SELECT count(*) FROM registration WHERE status = 'confirmed'") == 46);
    CHECK(cli.count("SELECT count(*) FROM registration WHERE session_id = 'chess-open-round1' "
                    "AND json_extract(answers, '$.section') = 'u10'") == 3);
    CHECK(cli.count("SELECT count(*) FROM registration WHERE name NOT LIKE 'Demo %' OR phone "
                    "NOT LIKE '+212600000___'") == 0);
    CHECK(cli.count("SELECT count(*) FROM registration WHERE session_id = 'concert-andalou-2' "
                    "AND phone = '+212600000037'") == 1);

    ProcessResult week = cli.run({"events", "--from", "today", "--to", "+7d"});
    REQUIRE(week.exitCode == 0);
    CHECK(week.out.find("full (waiting list)") != std::string::npos);  // concert-andalou-1
    CHECK(week.out.find("3 seats left") != std::string::npos);         // concert-andalou-2

    ProcessResult again = cli.run({"demo", "--catalogue", Cli::fixture()});
    CHECK(again.exitCode == 0);
    CHECK(again.out.find("nothing seeded") != std::string::npos);
    CHECK(cli.count("SELECT count(*) FROM registration") == 46);

    ProcessResult check = cli.run({"check"});
    CHECK(check.exitCode == 0);

    Cli missing;
    ProcessResult m = missing.run({"demo", "--catalogue", (missing.dir / "none.json").string()});
    CHECK(m.exitCode == 1);
    CHECK_FALSE(std::filesystem::exists(missing.db));
}
