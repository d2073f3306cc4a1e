// tests/unit/catalogue_io_test.cpp - reading the catalogue formats (JSON, CSV) strictly, with
// the place of each error, and relative dates resolved in the file's zone.
#include <catch2/catch.hpp>

#include "catalogue/catalogue_io.hpp"
#include "support/test_support.hpp"
#include "util/time.hpp"

using namespace fadaa;

namespace {

constexpr std::string_view kZone = "Africa/Casablanca";
// 2026-12-01T10:00:00Z, a Tuesday.
constexpr Timestamp kNow = 1796119200;

// A minimal valid document with `event` as its only event.
std::string doc(const std::string& event, const std::string& extra = "") {
    return R"({"format": "fadaa-catalogue", "version": 1, "timezone": "Africa/Casablanca",)" +
           extra +
           R"( "categories": [{"id": "chess", "name": "Échecs"}],
               "venues": [{"id": "hall", "name": {"fr": "Salle", "ar": "القاعة"}}],
               "events": [)" +
           event + "]}";
}

std::string session(const std::string& fields) {
    return R"({"id": "e1", "category": "chess", "title": {"fr": "Tournoi"}, "sessions": [{"id": "s1", )" +
           fields + "}]}";
}

// The text of the ImportError that parsing raises ("" if none).
std::string jsonError(const std::string& text) {
    try {
        parseCatalogueJson(text, kNow);
    } catch (const ImportError& e) {
        return e.what();
    }
    return "";
}

std::string csvError(const std::string& text) {
    try {
        parseCatalogueCsv(text, kNow, kZone);
    } catch (const ImportError& e) {
        return e.what();
    }
    return "";
}

const std::string kHeader =
    "event_id,category,title_fr,title_ar,title_en,title_zgh,venue,start,end,capacity,"
    "registration_required\r\n";

}  // namespace

TEST_CASE("catalogue json: the documented example reads into records") {
    std::string text = test::readFile(test::sourceDir() / "tests/cli/data/demo_catalogue.json");
    CatalogueFile f = parseCatalogueJson(text, kNow);
    CHECK(f.timezone == "Africa/Casablanca");
    CHECK(f.categories.size() == 4);
    CHECK(f.venues.size() == 2);
    CHECK(f.organizers.size() == 1);
    REQUIRE(f.events.size() == 4);
    CHECK(f.sessions.size() == 7);
    CHECK(f.sessions.size() == f.sessionPlaces.size());
    CHECK(f.sessionPlaces[2] == "events[1].sessions[0]");
    const Event& chess = f.events[0];
    CHECK(chess.title.get("zgh") == "ⴰⵎⵙⴰⵡⴰⴹ ⵏ ⵓⵛⵟⵔⵏⵊ");
    CHECK(chess.ageMin == 8);
    CHECK_FALSE(chess.ageMax);
    REQUIRE(chess.form.size() == 4);
    CHECK(chess.form[0].type == FieldType::Choice);
    CHECK(chess.form[0].required);
    CHECK(chess.form[0].choices.size() == 3);
    CHECK(chess.form[1].max == 3000);
    CHECK(chess.form[2].maxLength == 12);
    CHECK(chess.form[3].type == FieldType::Phone);
    CHECK(f.events[2].title.get("fr") == "Club de lecture du samedi");  // plain string = French
    CHECK_FALSE(f.events[2].registrationRequired);
    CHECK(f.taken.at("concert-andalou-1") == 4);
    CHECK(f.taken.at("couture-debutants-1") == 2);
    CHECK(f.sessions[4].status == SessionStatus::Cancelled);
    CHECK_FALSE(f.sessions[5].capacity);
}

TEST_CASE("catalogue json: relative day/time/duration are local times in the file's zone") {
    CatalogueFile f =
        parseCatalogueJson(doc(session(R"("day": 6, "time": "15:00", "duration_min": 180)")), kNow);
    REQUIRE(f.sessions.size() == 1);
    const Session& s = f.sessions[0];
    LocalDateTime local = toLocal(s.startsAt, kZone);
    CHECK(local.year == 2026);
    CHECK(local.month == 12);
    CHECK(local.day == 7);  // today (Dec 1, local) + 6
    CHECK(local.hour == 15);
    CHECK(local.minute == 0);
    CHECK(s.endsAt - s.startsAt == 180 * 60);
    CHECK(toLocal(s.startsAt, "UTC").hour != 15);  // Casablanca is not UTC in December
}

TEST_CASE("catalogue json: relative dates stay right across a change of UTC offset") {
    // Find the next change of Casablanca's offset (Ramadan) after kNow, start two days before.
    auto offsetAt = [](Timestamp t) { return fromLocal(toLocal(t, kZone), "UTC") - t; };
    Timestamp change = 0;
    for (Timestamp t = kNow; t < kNow + 500 * 86400; t += 3600)
        if (offsetAt(t) != offsetAt(kNow)) {
            change = t;
            break;
        }
    REQUIRE(change != 0);
    Timestamp now = change - 2 * 86400;
    CatalogueFile f =
        parseCatalogueJson(doc(session(R"("day": 5, "time": "15:00", "duration_min": 60)")), now);
    LocalDateTime today = toLocal(now, kZone);
    LocalDateTime local = toLocal(f.sessions[0].startsAt, kZone);
    using namespace std::chrono;
    auto days = sys_days{year{local.year} / local.month / local.day} -
                sys_days{year{today.year} / today.month / today.day};
    CHECK(days.count() == 5);
    CHECK(local.hour == 15);
    CHECK(local.minute == 0);
    CHECK(offsetAt(f.sessions[0].startsAt) != offsetAt(now));
}

TEST_CASE("catalogue json: absolute dates in local time, with Z or with an offset") {
    CatalogueFile f = parseCatalogueJson(
        doc(session(R"("start": "2026-12-05T18:30", "end": "2026-12-05T20:00+01:00")")), kNow);
    const Session& s = f.sessions[0];
    CHECK(s.startsAt == 1796491800);  // 18:30 at +01:00 = 17:30Z
    CHECK(s.endsAt == s.startsAt + 90 * 60);
    CHECK(parseCatalogueDateTime("2026-12-05T17:30Z", kZone) == 1796491800);
    CHECK(parseCatalogueDateTime("2026-12-05 18:30", kZone) == 1796491800);
    CHECK(parseCatalogueDateTime("2026-12-05T12:30-05:00", kZone) == 1796491800);
    CHECK(parseCatalogueDateTime("2026-12-05T17:30:00Z", kZone) == 1796491800);
    for (const char* bad :
         {"2026-12-05", "today", "+7d", "2026-13-05T10:00", "2026-02-30T10:00", "2026-12-05T24:00",
          "2026-12-05T10:00+1", "2026-12-05T10:00 ", "05/12/2026 10:00", ""})
        CHECK_FALSE(parseCatalogueDateTime(bad, kZone));
}

TEST_CASE("catalogue json: local time with offset is exact and reads back") {
    for (Timestamp t : {Timestamp{1796491800}, Timestamp{1796491800 + 37}, Timestamp{0},
                        Timestamp{1803000000}, Timestamp{1806000000}}) {
        std::string text = localIsoWithOffset(t, kZone);
        CAPTURE(text);
        CHECK(parseCatalogueDateTime(text, kZone) == t);
        CHECK(parseCatalogueDateTime(text, "Asia/Tokyo") == t);  // the offset wins
    }
    CHECK(localIsoWithOffset(1796491800, kZone) == "2026-12-05T18:30+01:00");
    CHECK(localIsoWithOffset(1796491800, "America/New_York") == "2026-12-05T12:30-05:00");
}

TEST_CASE("catalogue json: every error names its place and reason") {
    CHECK(
        jsonError(doc(session(R"("day": 1, "time": "15:00", "duration_min": 60, "capacty": 3)"))) ==
        "events[0].sessions[0].capacty: unknown key (expected one of: id, venue, start, end, "
        "day, time, duration_min, capacity, taken, status, reg_opens, reg_closes, "
        "reg_opens_day, reg_closes_day)");
    CHECK(jsonError(doc(session(R"("start": "2026-12-05", "end": "2026-12-05T20:00")"))) ==
          "events[0].sessions[0].start: '2026-12-05' is not a date (expected YYYY-MM-DDTHH:MM, "
          "optionally with Z or an offset like +01:00)");
    CHECK(jsonError(doc(session(R"("day": 1, "time": "25:00", "duration_min": 60)"))) ==
          "events[0].sessions[0].time: '25:00' is not a time (expected HH:MM)");
    CHECK(jsonError(
              doc(session(R"("day": 1, "time": "15:00", "duration_min": 60, "capacity": "30")"))) ==
          "events[0].sessions[0].capacity: expected a whole number, found text");
    CHECK(jsonError(
              doc(session(R"("day": 1, "time": "15:00", "duration_min": 60, "capacity": 2.5)"))) ==
          "events[0].sessions[0].capacity: expected a whole number, found a decimal number");
    CHECK(jsonError(
              doc(session(R"("day": 1, "time": "15:00", "duration_min": 60, "capacity": -1)"))) ==
          "events[0].sessions[0].capacity: must be between 0 and 1000000");
    CHECK(jsonError(doc(session(
              R"("day": 1, "time": "15:00", "duration_min": 60, "capacity": 3, "taken": 4)"))) ==
          "events[0].sessions[0].taken: 4 taken is more than the capacity 3");
    CHECK(jsonError(
              doc(session(R"("day": 1, "time": "15:00", "duration_min": 60, "status": "done")"))) ==
          "events[0].sessions[0].status: unknown status (expected scheduled or cancelled)");
    CHECK(jsonError(doc(session(R"("start": "2026-12-05T18:00", "end": "2026-12-05T17:00")"))) ==
          "events[0].sessions[0].end: ends before it starts");
    CHECK(jsonError(doc(session(R"("start": "2026-12-05T18:00", "day": 1)"))) ==
          "events[0].sessions[0]: give either start and end, or day, time and duration_min, not "
          "both");
    CHECK(jsonError(doc(session(R"("venue": "hall")"))) ==
          "events[0].sessions[0]: missing its time: give start and end, or day, time and "
          "duration_min");
    CHECK(jsonError(doc(R"({"id": "bad id!", "category": "chess", "title": "x"})")) ==
          "events[0].id: 'bad id!' is not a valid id (letters, digits, '-', '_', '.' only)");
    CHECK(jsonError(doc(R"({"id": ")" + std::string(65, 'a') +
                        R"(", "category": "chess", "title": "x"})")) ==
          "events[0].id: id longer than 64 characters (65)");
    CHECK(jsonError(doc(R"({"id": "e", "category": "chess", "title": {"fr": ""}})")) ==
          "events[0].title: empty: give the text in at least one language");
    CHECK(jsonError(doc(R"({"id": "e", "category": "chess", "title": {"es": "Ajedrez"}})")) ==
          "events[0].title.es: unknown language (expected ar, fr, en or zgh)");
    CHECK(jsonError(doc(
              R"({"id": "e", "category": "chess", "title": "x", "age_min": 12, "age_max": 10})")) ==
          "events[0].age_max: below age_min");
    CHECK(
        jsonError(doc(
            R"({"id": "e", "category": "chess", "title": "x", "registration_required": "yes"})")) ==
        "events[0].registration_required: expected true or false, found text");
    CHECK(
        jsonError(doc(
            R"({"id": "e", "category": "chess", "title": "x", "form": [{"key": "k", "type": "date", "label": "L"}]})")) ==
        "events[0].form[0].type: unknown type (expected text, number, choice, phone or boolean)");
    CHECK(
        jsonError(doc(
            R"({"id": "e", "category": "chess", "title": "x", "form": [{"key": "k", "type": "choice", "label": "L", "choices": []}]})")) ==
        "events[0].form[0].choices: a choice field needs at least one choice");
    CHECK(
        jsonError(doc(
            R"({"id": "e", "category": "chess", "title": "x", "form": [{"key": "k", "label": "L"}, {"key": "k", "label": "M"}]})")) ==
        "events[0].form[1].key: field 'k' appears twice in the form");
    CHECK(
        jsonError(doc(
            R"({"id": "e", "category": "chess", "title": "x"}, {"id": "e", "category": "chess", "title": "y"})")) ==
        "events[1].id: event id 'e' already used at events[0]");
    CHECK(jsonError(doc(R"({"id": "e", "category": "chess", "title": "x", "title": "y"})")) ==
          "events[0].title: the same key appears twice in one object");
    CHECK(jsonError(doc(R"({"id": "e", "category": "chess", "title": "x"})",
                        R"( "timezone": "Mars/Olympus",)")) ==
          "timezone: the same key appears twice in one object");
    CHECK(jsonError(R"({"format": "fadaa-catalogue", "version": 2})") ==
          "version: this Fadaa reads version 1 catalogues only");
    CHECK(jsonError(R"({"format": "other", "version": 1})") ==
          "format: expected \"fadaa-catalogue\"");
    CHECK(jsonError(R"({"version": 1})") == "format: missing");
    CHECK(jsonError(R"({"format": "fadaa-catalogue", "version": 1, "timezone": "Mars/Olympus"})") ==
          "timezone: unknown time zone 'Mars/Olympus' (an IANA name such as Africa/Casablanca)");
    CHECK(jsonError(R"([1, 2])") == "document: expected an object, found a list");
}

TEST_CASE("catalogue json: malformed JSON and invalid UTF-8 give a line and column") {
    CHECK(jsonError("{\n  \"format\": \"fadaa-catalogue\",\n  \"version\": 1,\n}") ==
          "line 4, column 1: not valid JSON: syntax error while parsing object key - unexpected "
          "'}'; expected string literal");
    CHECK(jsonError("").rfind("line 1, column 1: not valid JSON", 0) == 0);
    std::string badUtf8 =
        doc(std::string(R"({"id": "e", "category": "chess", "title": "caf)") + "\xE9" + "\"}");
    std::string error = jsonError(badUtf8);
    CHECK(error.find("invalid UTF-8") != std::string::npos);
    CHECK(error.rfind("line 3, column ", 0) == 0);
}

TEST_CASE("catalogue csv: sessions with their events, ids derived from the start") {
    std::string text = "\xEF\xBB\xBF" + kHeader +
                       "chess-open,chess,\"Open d'échecs, \"\"rapide\"\"\",الشطرنج,,,hall,"
                       "2026-12-05 15:00,2026-12-05 18:00,30,true\r\n"
                       "chess-open,chess,,,,,hall,2026-12-12T15:00,2026-12-12T18:00,,\r\n"
                       "lecture,reading,Lecture,,,,,2026-12-06 10:00,2026-12-06 11:30,,no\r\n";
    CatalogueFile f = parseCatalogueCsv(text, kNow, kZone);
    CHECK(f.partialEvents);
    REQUIRE(f.events.size() == 2);
    CHECK(f.events[0].title.get("fr") == "Open d'échecs, \"rapide\"");
    CHECK(f.events[0].title.get("ar") == "الشطرنج");
    CHECK(f.events[0].registrationRequired);
    CHECK_FALSE(f.events[1].registrationRequired);
    REQUIRE(f.sessions.size() == 3);
    CHECK(f.sessions[0].id == "chess-open-20261205-1500");
    CHECK(f.sessions[0].startsAt == 1796479200);  // 15:00 at +01:00
    CHECK(f.sessions[0].capacity == 30);
    CHECK_FALSE(f.sessions[1].capacity);
    CHECK_FALSE(f.sessions[2].venueId);
    CHECK(f.sessionPlaces[2] == "line 4");
}

TEST_CASE("catalogue csv: the first bad row aborts with its line number") {
    const std::string good =
        "e1,chess,Tournoi,,,,hall,2026-12-05 15:00,2026-12-05 18:00,30,true\r\n";
    CHECK(csvError(kHeader + good +
                   "e1,chess,Tournoi,,,,hall,2026-12-06 15:00,2026-12-06 18:00,trente,true\r\n") ==
          "line 3: capacity 'trente' is not a number");
    CHECK(csvError(kHeader + good + "e2,chess,T,,,,hall,2026-12-06,2026-12-06 18:00,1,true\r\n") ==
          "line 3: start '2026-12-06' is not a date (expected YYYY-MM-DD HH:MM)");
    CHECK(csvError(kHeader + good + "e2,chess,T,,,,hall,2026-12-06 15:00\r\n") ==
          "line 3: 8 fields, but the header has 11");
    CHECK(csvError(kHeader +
                   "\"e1\nx\",chess,T,,,,hall,2026-12-05 15:00,2026-12-05 18:00,30,true\r\n" +
                   good + "e1,chess,T,,,,hall,2026-12-07 15:00,2026-12-07 18:00,30,maybe\r\n")
              .rfind("line 2: event_id: ", 0) == 0);
    CHECK(csvError(kHeader + good + good) ==
          "line 3: session 'e1-20261205-1500' already given on line 2");
    CHECK(csvError(kHeader + good +
                   "e1,concert,Tournoi,,,,hall,2026-12-06 15:00,2026-12-06 18:00,30,true\r\n") ==
          "line 3: category differs from line 2 for event 'e1' (rows of one event repeat its "
          "columns)");
    CHECK(csvError(kHeader + good + "e2,chess,,,,,hall,2026-12-06 15:00,2026-12-06 18:00,1,\r\n") ==
          "line 3: no title: give at least one of title_fr, title_ar, title_en, title_zgh");
    CHECK(csvError(kHeader + good +
                   "e2,chess,\"T\"x,,,,hall,2026-12-06 15:00,2026-12-06 18:00,1,\r\n")
              .rfind("line 3: text after a closing quote", 0) == 0);
    CHECK(csvError(kHeader + good +
                   "\n\ne2,chess,T,,,,hall,2026-12-06 15:00,2026-12-06 14:00,1,\r\n") ==
          "line 5: end is before start");
    CHECK(
        csvError(kHeader + good + "e2,chess,T\xC3,,,,hall,2026-12-06 15:00,2026-12-06 18:00,1,\r\n")
            .rfind("line 3: invalid UTF-8", 0) == 0);
    CHECK(csvError("event_id,category\r\n").rfind("line 1: missing column 'title_fr'", 0) == 0);
    CHECK(csvError(kHeader.substr(0, kHeader.size() - 2) + ",colour\r\n") ==
          "line 1: unknown column 'colour'");
    CHECK(csvError("") == "line 1: empty file: a header row is required");
}

TEST_CASE("catalogue json: the shipped demo catalogue reads without an error") {
    std::string text = test::readFile(test::assetsDir() / "demo/catalogue.json");
    REQUIRE_FALSE(text.empty());
    CatalogueFile f = parseCatalogueJson(text, kNow);
    CHECK(f.events.size() >= 40);
    CHECK(f.sessions.size() >= 120);
    for (const Session& s : f.sessions) {
        CAPTURE(s.id);
        CHECK(s.endsAt > s.startsAt);
        CHECK(s.startsAt > kNow - 86400);  // relative to today: nothing long past
        if (f.taken.count(s.id)) CHECK((!s.capacity || f.taken.at(s.id) <= *s.capacity));
    }
}
