// core/catalogue/catalogue_csv.cpp - the CSV of sessions (one session per row, the columns of
// its event repeated): the reader behind `fadaa import sessions.csv` and the CSV export.
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <map>

#include "catalogue/catalogue.hpp"
#include "catalogue/catalogue_io.hpp"
#include "store/database.hpp"
#include "util/csv.hpp"
#include "util/time.hpp"

namespace fadaa {
namespace {

// The columns the import requires, in the order the export writes them (after session_id).
constexpr std::array<std::string_view, 11> kRequired = {"event_id",
                                                        "category",
                                                        "title_fr",
                                                        "title_ar",
                                                        "title_en",
                                                        "title_zgh",
                                                        "venue",
                                                        "start",
                                                        "end",
                                                        "capacity",
                                                        "registration_required"};
// Columns the import also understands (the export writes them, so a CSV round-trips).
constexpr std::array<std::string_view, 2> kOptional = {"session_id", "status"};

std::string trim(std::string_view s) {
    size_t b = s.find_first_not_of(" \t");
    if (b == std::string_view::npos) return {};
    size_t e = s.find_last_not_of(" \t");
    return std::string(s.substr(b, e - b + 1));
}

std::string lower(std::string s) {
    for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

std::optional<bool> parseFlag(const std::string& text) {
    std::string t = lower(text);
    if (t == "true" || t == "yes" || t == "1" || t == "oui") return true;
    if (t == "false" || t == "no" || t == "0" || t == "non") return false;
    return std::nullopt;
}

// One data row, by column name.
class Row {
public:
    Row(const CsvRecord& record, const std::map<std::string, size_t>& columns)
        : m_record(record), m_columns(columns) {}
    std::string operator[](std::string_view column) const {
        auto it = m_columns.find(std::string(column));
        return it == m_columns.end() ? std::string() : trim(m_record.fields[it->second]);
    }
    [[noreturn]] void fail(const std::string& reason) const {
        throw ImportError(fmt::format("line {}", m_record.line), reason);
    }
    std::string id(std::string_view column) const {
        std::string value = (*this)[column];
        if (value.empty()) fail(fmt::format("{} is empty", column));
        if (auto bad = badIdReason(value)) fail(fmt::format("{}: {}", column, *bad));
        return value;
    }
    Timestamp instant(std::string_view column, std::string_view zone) const {
        std::string value = (*this)[column];
        if (value.empty()) fail(fmt::format("{} is empty", column));
        auto t = parseCatalogueDateTime(value, zone);
        if (!t)
            fail(fmt::format("{} '{}' is not a date (expected YYYY-MM-DD HH:MM)", column, value));
        return *t;
    }
    int line() const { return m_record.line; }

private:
    const CsvRecord& m_record;
    const std::map<std::string, size_t>& m_columns;
};

std::map<std::string, size_t> readHeader(const CsvRecord& header) {
    std::map<std::string, size_t> columns;
    auto fail = [&](const std::string& reason) {
        throw ImportError(fmt::format("line {}", header.line), reason);
    };
    for (size_t i = 0; i < header.fields.size(); ++i) {
        std::string name = lower(trim(header.fields[i]));
        bool known = std::find(kRequired.begin(), kRequired.end(), name) != kRequired.end() ||
                     std::find(kOptional.begin(), kOptional.end(), name) != kOptional.end();
        if (!known) fail(fmt::format("unknown column '{}'", name));
        if (!columns.emplace(name, i).second) fail(fmt::format("column '{}' appears twice", name));
    }
    for (std::string_view name : kRequired)
        if (!columns.count(std::string(name)))
            fail(fmt::format("missing column '{}' (the header needs: {})", name,
                             fmt::join(kRequired, ",")));
    return columns;
}

// The event of a row, and a check that a later row of the same event does not contradict it.
Event eventOf(const Row& row) {
    Event e;
    e.id = row.id("event_id");
    e.categoryId = row.id("category");
    for (std::string_view lang : kLanguages) {
        std::string title = row[fmt::format("title_{}", lang)];
        if (!title.empty()) e.title.byLang[std::string(lang)] = title;
    }
    std::string flag = row["registration_required"];
    if (!flag.empty()) {
        auto value = parseFlag(flag);
        if (!value) row.fail(fmt::format("registration_required '{}' is not true or false", flag));
        e.registrationRequired = *value;
    }
    return e;
}

void checkSameEvent(const Row& row, const Event& first, int firstLine) {
    Event again = eventOf(row);
    auto differs = [&](std::string_view what) {
        row.fail(
            fmt::format("{} differs from line {} for event '{}' (rows of one event repeat "
                        "its columns)",
                        what, firstLine, first.id));
    };
    if (again.categoryId != first.categoryId) differs("category");
    for (const auto& [lang, title] : again.title.byLang)
        if (first.title.byLang.count(lang) && first.title.byLang.at(lang) != title)
            differs("title_" + lang);
    if (!row["registration_required"].empty() &&
        again.registrationRequired != first.registrationRequired)
        differs("registration_required");
}

}  // namespace

CatalogueFile parseCatalogueCsv(std::string_view text, Timestamp /*now*/, std::string_view zone) {
    std::vector<CsvRecord> records;
    try {
        records = parseCsv(text);
    } catch (const CsvError& e) {
        throw ImportError(fmt::format("line {}", e.line()), e.reason());
    }
    if (records.empty()) throw ImportError("line 1", "empty file: a header row is required");
    const std::map<std::string, size_t> columns = readHeader(records.front());

    CatalogueFile out;
    out.timezone = std::string(zone);
    out.partialEvents = true;
    std::map<std::string, std::pair<size_t, int>> events;  // id -> (index, first line)
    std::map<std::string, int> sessionLines;
    for (size_t r = 1; r < records.size(); ++r) {
        const CsvRecord& record = records[r];
        Row row(record, columns);
        if (record.fields.size() != records.front().fields.size())
            row.fail(fmt::format("{} fields, but the header has {}", record.fields.size(),
                                 records.front().fields.size()));

        Event e = eventOf(row);
        if (auto it = events.find(e.id); it != events.end()) {
            checkSameEvent(row, out.events[it->second.first], it->second.second);
        } else {
            if (e.title.empty())
                row.fail(
                    "no title: give at least one of title_fr, title_ar, "
                    "title_en, title_zgh");
            events.emplace(e.id, std::make_pair(out.events.size(), row.line()));
            out.events.push_back(e);
            out.eventPlaces.push_back(fmt::format("line {}", row.line()));
        }

        Session s;
        s.eventId = e.id;
        if (!row["venue"].empty()) s.venueId = row.id("venue");
        s.startsAt = row.instant("start", zone);
        s.endsAt = row.instant("end", zone);
        if (s.endsAt < s.startsAt) row.fail("end is before start");
        std::string capacity = row["capacity"];
        if (!capacity.empty()) {
            bool digits =
                capacity.size() <= 7 && std::all_of(capacity.begin(), capacity.end(),
                                                    [](char c) { return c >= '0' && c <= '9'; });
            if (!digits) row.fail(fmt::format("capacity '{}' is not a number", capacity));
            s.capacity = std::stoi(capacity);
        }
        if (std::string status = row["status"]; !status.empty()) {
            auto parsed = sessionStatusFromString(lower(status));
            if (!parsed) row.fail(fmt::format("status '{}' is not scheduled or cancelled", status));
            s.status = *parsed;
        }
        if (!row["session_id"].empty()) {
            s.id = row.id("session_id");
        } else {
            // A stable id from the event and its local start, so re-importing the same
            // spreadsheet updates these sessions instead of adding new ones.
            LocalDateTime l = toLocal(s.startsAt, zone);
            s.id = fmt::format("{}-{:04}{:02}{:02}-{:02}{:02}", e.id, l.year, l.month, l.day,
                               l.hour, l.minute);
            if (s.id.size() > 64)
                row.fail("event_id too long to name its sessions; add a session_id column");
        }
        if (auto [it, added] = sessionLines.emplace(s.id, row.line()); !added)
            row.fail(fmt::format("session '{}' already given on line {}", s.id, it->second));
        out.sessions.push_back(std::move(s));
        out.sessionPlaces.push_back(fmt::format("line {}", row.line()));
    }
    return out;
}

std::string exportCatalogueCsv(Database& db, std::string_view zone) {
    Catalogue catalogue(db);
    std::vector<std::string> header = {"session_id"};
    header.insert(header.end(), kRequired.begin(), kRequired.end());
    header.emplace_back("status");
    std::string out = csvLine(header);

    std::vector<std::string> eventIds;
    auto& st = db.prepare("SELECT id FROM event ORDER BY id");
    while (st.step()) eventIds.push_back(st.getText(0));
    st.reset();
    for (const std::string& id : eventIds) {
        std::optional<Event> e = catalogue.event(id);
        if (!e) continue;
        auto title = [&](std::string_view lang) {
            auto it = e->title.byLang.find(std::string(lang));
            return it == e->title.byLang.end() ? std::string() : it->second;
        };
        for (const Session& s : catalogue.sessionsOfEvent(id)) {
            out += csvLine(
                {s.id, e->id, e->categoryId, title("fr"), title("ar"), title("en"), title("zgh"),
                 s.venueId.value_or(""), localIsoWithOffset(s.startsAt, zone),
                 localIsoWithOffset(s.endsAt, zone), s.capacity ? std::to_string(*s.capacity) : "",
                 e->registrationRequired ? "true" : "false", std::string(toString(s.status))});
        }
    }
    return out;
}

}  // namespace fadaa
