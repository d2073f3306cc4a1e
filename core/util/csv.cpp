// core/util/csv.cpp - the RFC 4180 reader and writer.
#include "util/csv.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "i18n/utf8.hpp"

namespace fadaa {

CsvError::CsvError(int line, const std::string& reason)
    : std::runtime_error(fmt::format("line {}: {}", line, reason)),
      m_line(line),
      m_reason(reason) {}

namespace {

constexpr std::string_view kBom = "\xEF\xBB\xBF";

// Consumes one line end (CRLF, LF or CR) at text[i] if there is one; returns its length.
std::size_t lineEndAt(std::string_view text, std::size_t i) {
    if (i >= text.size()) return 0;
    if (text[i] == '\r') return (i + 1 < text.size() && text[i + 1] == '\n') ? 2 : 1;
    return text[i] == '\n' ? 1 : 0;
}

}  // namespace

std::vector<CsvRecord> parseCsv(std::string_view text) {
    if (text.substr(0, kBom.size()) == kBom) text.remove_prefix(kBom.size());
    if (auto bad = utf8::firstInvalid(text)) {
        std::string_view before = text.substr(0, *bad);
        int line = 1 + static_cast<int>(std::count(before.begin(), before.end(), '\n'));
        throw CsvError(line, fmt::format("invalid UTF-8 (byte 0x{:02X}); save the file as UTF-8",
                                         static_cast<unsigned char>(text[*bad])));
    }

    std::vector<CsvRecord> records;
    std::size_t i = 0;
    int line = 1;
    const std::size_t n = text.size();
    while (i < n) {
        if (std::size_t eol = lineEndAt(text, i)) {  // an empty line: no record
            i += eol;
            ++line;
            continue;
        }
        CsvRecord record;
        record.line = line;
        for (;;) {  // one field per turn
            std::string field;
            if (i < n && text[i] == '"') {
                const int openedOn = line;
                ++i;
                for (;;) {
                    if (i >= n)
                        throw CsvError(openedOn, "a quoted field is never closed (missing \")");
                    char c = text[i];
                    if (c == '"') {
                        if (i + 1 < n && text[i + 1] == '"') {
                            field += '"';
                            i += 2;
                            continue;
                        }
                        ++i;
                        break;
                    }
                    if (std::size_t eol = lineEndAt(text, i)) {
                        field.append(text.substr(i, eol));
                        i += eol;
                        ++line;
                        continue;
                    }
                    field += c;
                    ++i;
                }
                if (i < n && text[i] != ',' && !lineEndAt(text, i))
                    throw CsvError(line,
                                   "text after a closing quote (quote the whole field, "
                                   "and double quotes inside it)");
            } else {
                while (i < n && text[i] != ',' && !lineEndAt(text, i)) {
                    if (text[i] == '"')
                        throw CsvError(line,
                                       "a quote inside an unquoted field (quote the whole "
                                       "field, and double quotes inside it)");
                    field += text[i++];
                }
            }
            record.fields.push_back(std::move(field));
            if (i < n && text[i] == ',') {
                ++i;
                continue;
            }
            if (std::size_t eol = lineEndAt(text, i)) {
                i += eol;
                ++line;
            }
            break;
        }
        records.push_back(std::move(record));
    }
    return records;
}

std::string csvField(std::string_view value) {
    bool quote = value.find_first_of(",\"\r\n") != std::string_view::npos ||
                 (!value.empty() && (value.front() == ' ' || value.back() == ' '));
    if (!quote) return std::string(value);
    std::string out = "\"";
    for (char c : value) {
        if (c == '"') out += '"';
        out += c;
    }
    out += '"';
    return out;
}

std::string csvLine(const std::vector<std::string>& fields) {
    std::string out;
    for (std::size_t k = 0; k < fields.size(); ++k) {
        if (k) out += ',';
        out += csvField(fields[k]);
    }
    out += "\r\n";
    return out;
}

}  // namespace fadaa
