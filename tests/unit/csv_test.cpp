// tests/unit/csv_test.cpp - the RFC 4180 reader and writer (core/util/csv).
#include <catch2/catch.hpp>

#include "util/csv.hpp"

using namespace fadaa;

namespace {

std::vector<std::vector<std::string>> fieldsOf(std::string_view text) {
    std::vector<std::vector<std::string>> out;
    for (const CsvRecord& r : parseCsv(text)) out.push_back(r.fields);
    return out;
}

int errorLine(std::string_view text) {
    try {
        parseCsv(text);
    } catch (const CsvError& e) {
        return e.line();
    }
    return 0;
}

}  // namespace

TEST_CASE("csv: plain fields, LF and CRLF line ends, no final line end") {
    using Rows = std::vector<std::vector<std::string>>;
    CHECK(fieldsOf("a,b,c\n1,2,3\n") == Rows{{"a", "b", "c"}, {"1", "2", "3"}});
    CHECK(fieldsOf("a,b,c\r\n1,2,3\r\n") == Rows{{"a", "b", "c"}, {"1", "2", "3"}});
    CHECK(fieldsOf("a,b\r1,2") == Rows{{"a", "b"}, {"1", "2"}});
    CHECK(fieldsOf("a,,c,\n") == Rows{{"a", "", "c", ""}});
}

TEST_CASE("csv: quoted fields hold commas, doubled quotes and line breaks") {
    auto records =
        parseCsv("id,title\r\n1,\"Théâtre, \"\"Le Malade\"\"\r\nimaginaire\"\r\n2,x\r\n");
    REQUIRE(records.size() == 3);
    CHECK(records[1].fields[1] == "Théâtre, \"Le Malade\"\r\nimaginaire");
    // A record starts on the line where it begins; the field spanning two lines moves the next.
    CHECK(records[0].line == 1);
    CHECK(records[1].line == 2);
    CHECK(records[2].line == 4);
    CHECK(fieldsOf("\"\"") == std::vector<std::vector<std::string>>{{""}});
}

TEST_CASE("csv: a leading byte-order mark is dropped, UTF-8 text is kept as is") {
    auto rows = fieldsOf("\xEF\xBB\xBFtitle_ar,title_zgh\nأمسية موسيقية,ⵜⴰⵖⵓⵏⵉ\n");
    REQUIRE(rows.size() == 2);
    CHECK(rows[0][0] == "title_ar");
    CHECK(rows[1][0] == "أمسية موسيقية");
    CHECK(rows[1][1] == "ⵜⴰⵖⵓⵏⵉ");
}

TEST_CASE("csv: empty lines are skipped but still counted") {
    auto records = parseCsv("a\n\n\nb\r\n\r\nc");
    REQUIRE(records.size() == 3);
    CHECK(records[1].line == 4);
    CHECK(records[2].line == 6);
}

TEST_CASE("csv: malformed input names the line of the problem") {
    CHECK(errorLine("a,b\n1,\"open\n2,3\n") == 2);    // never closed: the line it opened on
    CHECK(errorLine("a,b\n1,2\n3,x\"y\n") == 3);      // quote inside an unquoted field
    CHECK(errorLine("a,b\n\"x\"y,2\n") == 2);         // text after the closing quote
    CHECK(errorLine("a,b\n1,2\n3,\xff\xfe\n") == 3);  // invalid UTF-8
    CHECK(errorLine("a\n\"\xC0\xAF\"\n") == 2);       // overlong form
    CHECK(errorLine("a,b\n\"line\nbreak\",ok\n4,\"5\"6\n") == 4);
    try {
        parseCsv("a\n\"never closed");
        FAIL("accepted");
    } catch (const CsvError& e) {
        CHECK(std::string(e.what()).rfind("line 2: ", 0) == 0);
    }
}

TEST_CASE("csv: the writer quotes only what needs it and the reader reads it back") {
    CHECK(csvField("plain") == "plain");
    CHECK(csvField("a,b") == "\"a,b\"");
    CHECK(csvField("say \"hi\"") == "\"say \"\"hi\"\"\"");
    CHECK(csvField(" padded ") == "\" padded \"");
    CHECK(csvLine({"a", "b"}) == "a,b\r\n");

    std::vector<std::string> tricky = {"",
                                       "comma, inside",
                                       "quote \" inside",
                                       "multi\nline",
                                       "crlf\r\nline",
                                       "'; DROP TABLE event; --",
                                       "الانجليزية",
                                       " lead",
                                       "=SUM(A1)"};
    std::string text = csvLine(tricky) + csvLine({"second"});
    auto records = parseCsv(text);
    REQUIRE(records.size() == 2);
    CHECK(records[0].fields == tricky);
    CHECK(records[1].fields == std::vector<std::string>{"second"});
}
