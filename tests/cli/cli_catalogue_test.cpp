// tests/cli/cli_catalogue_test.cpp - `fadaa import`, `events` and `export` on real stores:
// all-or-nothing imports with the place of the first error, CSV edge cases, search with SQL
// metacharacters, and export -> import round trips.
#include <nlohmann/json.hpp>

#include "cli_support.hpp"
#include "util/csv.hpp"

using namespace fadaa::test;

namespace {

const std::string kCsvHeader =
    "event_id,category,title_fr,title_ar,title_en,title_zgh,venue,start,end,capacity,"
    "registration_required\r\n";

std::string exportOf(const Cli& cli, const std::string& format = "json") {
    ProcessResult r = cli.run({"export", "--format", format});
    INFO(r.err);
    REQUIRE(r.exitCode == 0);
    return r.out;
}

// A failing import: exit 1, one line naming the place, store unchanged.
void requireRefused(const Cli& cli, const std::string& path, const std::string& expected) {
    std::string before = std::filesystem::exists(cli.db) ? exportOf(cli) : "";
    ProcessResult r = cli.run({"import", path});
    CAPTURE(path, r.err);
    CHECK(r.exitCode == 1);
    CHECK(isOneLine(r.err));
    CHECK(r.err.find(expected) != std::string::npos);
    CHECK(r.out.empty());
    if (!before.empty()) CHECK(exportOf(cli) == before);
}

}  // namespace

TEST_CASE("cli import: a JSON catalogue, then the programme grouped by day") {
    Cli cli;
    ProcessResult r = cli.run({"import", Cli::fixture()});
    INFO(r.err);
    REQUIRE(r.exitCode == 0);
    CHECK(r.out.find("4 categories, 2 venues, 1 organizers, 4 events, 7 sessions") !=
          std::string::npos);
    CHECK(cli.count("SELECT count(*) FROM session") == 7);

    ProcessResult events = cli.run({"events", "--from", "today", "--to", "+14d"});
    INFO(events.err);
    REQUIRE(events.exitCode == 0);
    const std::string& out = events.out;
    for (const char* id : {"chess-open-round1", "chess-open-round2", "concert-andalou-1",
                           "club-lecture-1", "couture-debutants-1"})
        CHECK(out.find(id) != std::string::npos);
    CHECK(out.find("concert-andalou-3") == std::string::npos);  // cancelled: not listed
    CHECK(out.find("Chess open") != std::string::npos);
    CHECK(out.find("no registration needed") != std::string::npos);
    CHECK(out.find("10 seats left") != std::string::npos);
    // Day 1 (reading club) comes before day 2 (chess), each under its own day heading.
    size_t reading = out.find("club-lecture-1"), chess = out.find("chess-open-round1");
    CHECK(reading < chess);
    CHECK(out.substr(reading, chess - reading).find("\n\n") != std::string::npos);

    ProcessResult week = cli.run({"events", "--from", "today", "--to", "+7d"});
    CHECK(week.out.find("chess-open-round2") == std::string::npos);  // day 9
}

TEST_CASE("cli events: --json, --search in French and Arabic, --category") {
    Cli cli;
    cli.importFixture();
    ProcessResult r = cli.run({"events", "--json", "--to", "+30d"});
    REQUIRE(r.exitCode == 0);
    auto all = nlohmann::json::parse(r.out);
    REQUIRE(all.size() == 6);
    CHECK(all[0]["session_id"] == "club-lecture-1");
    CHECK(all[0]["seats_left"].is_null());
    CHECK(all[0]["registration_required"] == false);

    auto ids = [&](const std::vector<std::string>& args) {
        std::vector<std::string> full = {"events", "--json", "--to", "+30d"};
        full.insert(full.end(), args.begin(), args.end());
        ProcessResult p = cli.run(full);
        INFO(p.err);
        REQUIRE(p.exitCode == 0);
        std::vector<std::string> out;
        for (const auto& s : nlohmann::json::parse(p.out)) out.push_back(s["session_id"]);
        return out;
    };
    using V = std::vector<std::string>;
    CHECK(ids({"--search", "echecs"}) == V{"chess-open-round1", "chess-open-round2"});
    CHECK(ids({"--search", "الشطرنج"}) == V{"chess-open-round1", "chess-open-round2"});
    CHECK(ids({"--category", "concert"}) == V{"concert-andalou-1", "concert-andalou-2"});
    CHECK(ids({"--search", "couture", "--category", "chess"}).empty());

    ProcessResult unknown = cli.run({"events", "--category", "opera"});
    CHECK(unknown.exitCode == 1);
    CHECK(isOneLine(unknown.err));
    CHECK(unknown.err.find("unknown category 'opera'") != std::string::npos);
}

TEST_CASE("cli events: SQL and FTS metacharacters in a search are only text") {
    Cli cli;
    cli.importFixture();
    // With words: only what the words match, never "everything" as an injected OR 1=1 would.
    for (const char* q : {"' OR 1=1 --", "chess\" OR \"", "NEAR(", "a:b", "'; DROP TABLE event; --",
                          "échecs)", "x* OR *"}) {
        CAPTURE(q);
        ProcessResult r = cli.run({"events", "--json", "--to", "+30d", "--search", q});
        CHECK(r.exitCode == 0);
        CHECK(nlohmann::json::parse(r.out).size() < 6);
    }
    // Punctuation alone is no search at all: a normal listing, no error.
    for (const char* q : {"\"", "*", "%", "^", "\\", "(((", "-", "''"}) {
        CAPTURE(q);
        ProcessResult r = cli.run({"events", "--json", "--to", "+30d", "--search", q});
        CHECK(r.exitCode == 0);
        CHECK(nlohmann::json::parse(r.out).is_array());
    }
    CHECK(cli.count("SELECT count(*) FROM event") == 4);
    CHECK(cli.count("SELECT count(*) FROM session") == 7);
}

TEST_CASE("cli import: bad JSON files are refused whole, naming the place") {
    Cli cli;
    cli.importFixture();
    requireRefused(cli,
                   cli.file("broken.json", "{\"format\": \"fadaa-catalogue\",\n \"version\": 1,,}"),
                   "line 2, column 15: not valid JSON");
    requireRefused(cli,
                   cli.file("latin1.json",
                            "{\"format\": \"fadaa-catalogue\", \"version\": 1,\n"
                            "\"categories\": [{\"id\": \"x\", \"name\": \"Th\xE9\xE2tre\"}]}"),
                   "line 2, column 39: invalid UTF-8");
    requireRefused(cli, cli.file("typo.json", R"({"format": "fadaa-catalogue", "version": 1,
        "categories": [{"id": "x", "nom": "Théâtre"}]})"),
                   "categories[0].nom: unknown key");
    // Valid on its own, but the second event's session names a venue nobody defined: the
    // first event (new) must not be stored either.
    requireRefused(cli, cli.file("venue.json", R"({"format": "fadaa-catalogue", "version": 1,
        "events": [
          {"id": "new-event", "category": "chess", "title": "Nouveau",
           "sessions": [{"id": "new-1", "venue": "mediatheque", "day": 1, "time": "10:00", "duration_min": 60}]},
          {"id": "other", "category": "chess", "title": "Autre",
           "sessions": [{"id": "other-1", "venue": "nowhere", "day": 1, "time": "10:00", "duration_min": 60}]}]})"),
                   "events[1].sessions[0].venue: unknown venue 'nowhere'");
    CHECK(cli.count("SELECT count(*) FROM event WHERE id = 'new-event'") == 0);
    requireRefused(cli, cli.file("moved.json", R"({"format": "fadaa-catalogue", "version": 1,
        "events": [{"id": "other", "category": "chess", "title": "Autre",
           "sessions": [{"id": "chess-open-round1", "day": 1, "time": "10:00", "duration_min": 60}]}]})"),
                   "events[0].sessions[0].id: session 'chess-open-round1' already belongs to event "
                   "'chess-open'");
    requireRefused(cli, (cli.dir / "missing.json").string(), "cannot read");
}

TEST_CASE("cli import: a bad file never creates a store") {
    Cli cli;
    ProcessResult r = cli.run({"import", cli.file("bad.csv", kCsvHeader + "x,chess,T\r\n")});
    CHECK(r.exitCode == 1);
    CHECK(r.err.find("line 2: 3 fields, but the header has 11") != std::string::npos);
    CHECK_FALSE(std::filesystem::exists(cli.db));
}

TEST_CASE("cli import: CSV with BOM, CRLF, quotes, commas, line breaks and Arabic") {
    Cli cli;
    cli.importFixture();
    std::string title = "Théâtre \"Le Malade\", acte 1\nsuite";
    std::string csv = "\xEF\xBB\xBF" + kCsvHeader +
                      "malade,chess,\"Théâtre \"\"Le Malade\"\", acte 1\nsuite\",المسرح,,,"
                      "centre-grand-hall,2026-12-05 18:30,2026-12-05 20:00,80,true\r\n"
                      "malade,chess,,,,,centre-grand-hall,2026-12-06T18:30,2026-12-06T20:00,,\r\n";
    std::string path = cli.file("sessions.csv", csv);
    for (int round = 0; round < 2; ++round) {  // re-import updates, never duplicates
        ProcessResult r = cli.run({"import", path});
        INFO(r.err);
        REQUIRE(r.exitCode == 0);
        CHECK(r.out.find("1 events, 2 sessions") != std::string::npos);
    }
    CHECK(cli.count("SELECT count(*) FROM session WHERE event_id = 'malade'") == 2);
    auto doc = nlohmann::json::parse(exportOf(cli));
    bool found = false;
    for (const auto& e : doc["events"])
        if (e["id"] == "malade") {
            found = true;
            CHECK(e["title"]["fr"] == title);
            CHECK(e["title"]["ar"] == "المسرح");
            CHECK(e["sessions"][0]["start"] == "2026-12-05T18:30+01:00");
            CHECK(e["sessions"][0]["capacity"] == 80);
            CHECK(e["sessions"][1]["capacity"].is_null());
        }
    CHECK(found);

    // The line number of the first bad row, counting the line break inside the quoted title.
    std::string bad = csv +
                      "malade,chess,,,,,centre-grand-hall,2026-12-07 18:30,2026-12-07 20:00,"
                      "beaucoup,\r\n";
    requireRefused(cli, cli.file("bad.csv", bad), "line 5: capacity 'beaucoup' is not a number");
    requireRefused(cli,
                   cli.file("unknown.csv", kCsvHeader + "x,opera,T,,,,,2026-12-05 18:30,"
                                                        "2026-12-05 20:00,,\r\n"),
                   "line 2: unknown category 'opera'");
}

TEST_CASE("cli export: json and csv read back to the same catalogue") {
    Cli a;
    a.importFixture();
    std::string json = exportOf(a);
    auto doc = nlohmann::json::parse(json);
    CHECK(doc["format"] == "fadaa-catalogue");
    CHECK(doc["events"].size() == 4);

    Cli b;
    ProcessResult r = b.run({"import", b.file("export.json", json)});
    INFO(r.err);
    REQUIRE(r.exitCode == 0);
    CHECK(exportOf(b) == json);

    // CSV: into a store that has the categories and venues, the sessions come back the same.
    std::string csv = exportOf(a, "csv");
    auto rows = fadaa::parseCsv(csv);
    CHECK(rows.size() == 8);  // header + 7 sessions, the cancelled one included
    Cli c;
    doc["events"] = nlohmann::json::array();
    doc.erase("organizers");
    REQUIRE(c.run({"import", c.file("places.json", doc.dump())}).exitCode == 0);
    ProcessResult rc = c.run({"import", c.file("export.csv", csv)});
    INFO(rc.err);
    REQUIRE(rc.exitCode == 0);
    CHECK(exportOf(c, "csv") == csv);
}

TEST_CASE("cli export: a self-contained HTML page, escaped, with Arabic right to left") {
    Cli cli;
    cli.importFixture();
    REQUIRE(cli.run({"import", cli.file("evil.json", R"({"format": "fadaa-catalogue", "version": 1,
        "events": [{"id": "evil", "category": "chess", "title": {"fr": "<script>alert('x')</script> & co"},
          "sessions": [{"id": "evil-1", "day": 1, "time": "11:00", "duration_min": 60}]}]})")})
                .exitCode == 0);
    std::string path = (cli.dir / "programme.html").string();
    ProcessResult r = cli.run({"export", "--format", "html", "-o", path});
    INFO(r.err);
    REQUIRE(r.exitCode == 0);
    std::string html = readFile(path);
    CHECK(html.rfind("<!DOCTYPE html>", 0) == 0);
    CHECK(html.find("dir=\"rtl\"") != std::string::npos);
    CHECK(html.find("دوري الشطرنج المفتوح") != std::string::npos);
    CHECK(html.find("Open d&#39;échecs") != std::string::npos);
    CHECK(html.find("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; co") !=
          std::string::npos);
    CHECK(html.find("<script") == std::string::npos);
    CHECK(html.find(">Échecs<") != std::string::npos);         // category by its name, not its id
    CHECK(html.find("http") == std::string::npos);             // nothing fetched from anywhere
    CHECK(html.find("concert-andalou") == std::string::npos);  // ids are not for residents

    ProcessResult nowhere = cli.run({"export", "-o", (cli.dir / "no/such/dir/x.json").string()});
    CHECK(nowhere.exitCode == 1);
    CHECK(isOneLine(nowhere.err));
}
