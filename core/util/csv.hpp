// core/util/csv.hpp - RFC 4180 CSV: a strict reader that names the line of the first error,
// and a writer whose output the reader (and spreadsheet tools) read back unchanged.
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace fadaa {

// One record and the 1-based line of the file on which it starts (a quoted field may span
// lines, so the next record's line is not always this one's plus one).
struct CsvRecord {
    int line = 0;
    std::vector<std::string> fields;
};

// A malformed file. what() reads "line 7: <reason>"; line() is the line of the problem.
class CsvError : public std::runtime_error {
public:
    CsvError(int line, const std::string& reason);
    int line() const { return m_line; }
    const std::string& reason() const { return m_reason; }

private:
    int m_line;
    std::string m_reason;
};

// Parses a whole CSV text. Accepts: a leading UTF-8 byte-order mark (spreadsheet tools write
// one), CRLF, LF or CR line ends, quoted fields holding commas, line breaks and doubled quotes.
// Empty lines are skipped. Throws CsvError for invalid UTF-8, a quote inside an unquoted
// field, text after a closing quote, or a quoted field still open at the end of the text.
std::vector<CsvRecord> parseCsv(std::string_view text);

// One field as it must be written: quoted (with inner quotes doubled) when it holds a comma, a
// quote, a line break, or leading/trailing spaces; unchanged otherwise.
std::string csvField(std::string_view value);

// A record: fields joined by commas, ended by CRLF as RFC 4180 asks.
std::string csvLine(const std::vector<std::string>& fields);

}  // namespace fadaa
