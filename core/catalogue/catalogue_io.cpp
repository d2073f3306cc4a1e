// core/catalogue/catalogue_io.cpp - what the catalogue formats share: ids, dates, reading a
// file, and importing a parsed catalogue into the store in one transaction. The JSON and CSV
// readers and writers are in catalogue_json.cpp and catalogue_csv.cpp.
#include "catalogue/catalogue_io.hpp"

#include <fmt/format.h>

#include <cctype>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>
#include <set>

#include "catalogue/catalogue.hpp"
#include "catalogue/catalogue_io_detail.hpp"
#include "store/database.hpp"
#include "util/time.hpp"

namespace fadaa {

ImportError::ImportError(std::string place, std::string reason)
    : std::runtime_error(place.empty() ? reason : place + ": " + reason),
      m_place(std::move(place)),
      m_reason(std::move(reason)) {}

std::optional<std::string> badIdReason(std::string_view id) {
    if (id.empty()) return "empty id";
    if (id.size() > 64) return fmt::format("id longer than 64 characters ({})", id.size());
    for (char c : id) {
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                  c == '-' || c == '_' || c == '.';
        if (!ok)
            return fmt::format("'{}' is not a valid id (letters, digits, '-', '_', '.' only)", id);
    }
    return std::nullopt;
}

std::string localIsoWithOffset(Timestamp t, std::string_view zone) {
    LocalDateTime l = toLocal(t, zone);
    // The offset is what the wall clock shows minus the instant, both in seconds.
    LocalDateTime asUtc = l;
    Timestamp wallAsUtc = fromLocal(asUtc, "UTC");
    long offset = static_cast<long>(wallAsUtc - t);
    std::string out =
        fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}", l.year, l.month, l.day, l.hour, l.minute);
    if (l.second) out += fmt::format(":{:02}", l.second);
    char sign = offset < 0 ? '-' : '+';
    long a = offset < 0 ? -offset : offset;
    out += fmt::format("{}{:02}:{:02}", sign, a / 3600, a % 3600 / 60);
    return out;
}

std::optional<Timestamp> parseCatalogueDateTime(std::string_view text, std::string_view zone) {
    // Shape first: parseDateTime also takes "today" and "+7d", which a file must not use, and
    // knows no numeric offsets.
    auto digits = [&](size_t at, size_t count) {
        if (at + count > text.size()) return false;
        for (size_t k = at; k < at + count; ++k)
            if (!std::isdigit(static_cast<unsigned char>(text[k]))) return false;
        return true;
    };
    if (!digits(0, 4) || text.size() < 16 || text[4] != '-' || !digits(5, 2) || text[7] != '-' ||
        !digits(8, 2) || (text[10] != 'T' && text[10] != ' ') || !digits(11, 2) ||
        text[13] != ':' || !digits(14, 2))
        return std::nullopt;
    size_t end = 16;
    if (text.size() >= 19 && text[16] == ':' && digits(17, 2)) end = 19;
    std::string_view local = text.substr(0, end);
    std::string_view suffix = text.substr(end);
    if (suffix.empty()) return parseDateTime(local, zone, 0);
    if (suffix == "Z") return parseDateTime(std::string(local) + "Z", zone, 0);
    if (suffix.size() != 6 || (suffix[0] != '+' && suffix[0] != '-') || suffix[3] != ':')
        return std::nullopt;
    int hours = 0, minutes = 0;
    for (size_t k : {1u, 2u}) {
        if (!std::isdigit(static_cast<unsigned char>(suffix[k]))) return std::nullopt;
        hours = hours * 10 + (suffix[k] - '0');
    }
    for (size_t k : {4u, 5u}) {
        if (!std::isdigit(static_cast<unsigned char>(suffix[k]))) return std::nullopt;
        minutes = minutes * 10 + (suffix[k] - '0');
    }
    if (hours > 14 || minutes > 59) return std::nullopt;
    auto asUtc = parseDateTime(std::string(local) + "Z", zone, 0);
    if (!asUtc) return std::nullopt;
    int offset = (hours * 3600 + minutes * 60) * (suffix[0] == '-' ? -1 : 1);
    return *asUtc - offset;
}

namespace detail {

bool isKnownZone(std::string_view zone) {
    try {
        toLocal(0, zone);
        return true;
    } catch (const std::exception&) {
        return false;
    }
}

Timestamp localDayStart(Timestamp now, int dayOffset, std::string_view zone) {
    // Step from local noon so that a day with a DST change (23 or 25 hours) cannot push the
    // result onto the neighbouring date.
    LocalDateTime noon = toLocal(now, zone);
    noon.hour = 12;
    noon.minute = noon.second = 0;
    LocalDateTime target = toLocal(fromLocal(noon, zone) + Timestamp{dayOffset} * 86400, zone);
    target.hour = target.minute = target.second = 0;
    return fromLocal(target, zone);
}

Timestamp localDayTime(Timestamp now, int dayOffset, int hour, int minute, std::string_view zone) {
    LocalDateTime l = toLocal(localDayStart(now, dayOffset, zone) + 12 * 3600, zone);
    l.hour = hour;
    l.minute = minute;
    l.second = 0;
    return fromLocal(l, zone);
}

std::string fieldPlace(const std::string& base, std::string_view field) {
    if (base.rfind("line ", 0) == 0) return base;
    return base + "." + std::string(field);
}

}  // namespace detail

CatalogueFormat detectCatalogueFormat(const std::filesystem::path& path, std::string_view text) {
    std::string ext = path.extension().string();
    for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (ext == ".csv") return CatalogueFormat::Csv;
    if (ext == ".json") return CatalogueFormat::Json;
    if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
    size_t first = text.find_first_not_of(" \t\r\n");
    return first != std::string_view::npos && text[first] == '{' ? CatalogueFormat::Json
                                                                 : CatalogueFormat::Csv;
}

CatalogueFile readCatalogueFile(const std::filesystem::path& path, Timestamp now,
                                std::optional<CatalogueFormat> format, std::string_view csvZone) {
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw ImportError("",
                          fmt::format("cannot read {}: {}", path.string(), std::strerror(errno)));
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (in.bad()) throw ImportError("", fmt::format("cannot read {}", path.string()));
    if (!format) format = detectCatalogueFormat(path, text);
    return *format == CatalogueFormat::Csv ? parseCatalogueCsv(text, now, csvZone)
                                           : parseCatalogueJson(text, now);
}

// ---------------------------------------------------------------------------------------------
// Import
// ---------------------------------------------------------------------------------------------

namespace {

bool exists(Database& db, const char* sql, const std::string& id) {
    auto& st = db.prepare(sql);
    st.bindAll(id);
    bool found = st.step();
    st.reset();
    return found;
}

// A CSV row holds only part of an event: keep what the store has for the rest.
Event mergedWithStored(Catalogue& catalogue, const Event& fromFile) {
    std::optional<Event> stored = catalogue.event(fromFile.id);
    if (!stored) return fromFile;
    Event merged = *stored;
    merged.categoryId = fromFile.categoryId;
    merged.registrationRequired = fromFile.registrationRequired;
    for (const auto& [lang, text] : fromFile.title.byLang)
        if (!text.empty()) merged.title.byLang[lang] = text;
    return merged;
}

}  // namespace

ImportSummary importCatalogue(Database& db, const CatalogueFile& file,
                              const ImportProgress& progress) {
    const int total =
        static_cast<int>(file.categories.size() + file.venues.size() + file.organizers.size() +
                         file.events.size() + file.sessions.size());
    int done = 0;
    auto step = [&] {
        ++done;
        if (progress) progress(done, total);
    };

    Catalogue catalogue(db);
    ImportSummary summary;
    Transaction tx(db);
    for (const Category& c : file.categories) {
        catalogue.upsertCategory(c, true);
        ++summary.categories;
        step();
    }
    for (const Venue& v : file.venues) {
        catalogue.upsertVenue(v, true);
        ++summary.venues;
        step();
    }
    for (const Organizer& o : file.organizers) {
        catalogue.upsertOrganizer(o, true);
        ++summary.organizers;
        step();
    }
    // The file's own categories, venues and organizers are in the store by now, so one lookup
    // in the store answers "known?" for both.
    for (size_t i = 0; i < file.events.size(); ++i) {
        const Event& e = file.events[i];
        const std::string& place = file.eventPlaces.at(i);
        if (!exists(db, "SELECT 1 FROM category WHERE id = ?", e.categoryId))
            throw ImportError(detail::fieldPlace(place, "category"),
                              fmt::format("unknown category '{}'", e.categoryId));
        if (e.organizerId && !exists(db, "SELECT 1 FROM organizer WHERE id = ?", *e.organizerId))
            throw ImportError(detail::fieldPlace(place, "organizer"),
                              fmt::format("unknown organizer '{}'", *e.organizerId));
        catalogue.upsertEvent(file.partialEvents ? mergedWithStored(catalogue, e) : e, true);
        ++summary.events;
        step();
    }
    for (size_t i = 0; i < file.sessions.size(); ++i) {
        const Session& s = file.sessions[i];
        const std::string& place = file.sessionPlaces.at(i);
        if (s.venueId && !exists(db, "SELECT 1 FROM venue WHERE id = ?", *s.venueId))
            throw ImportError(detail::fieldPlace(place, "venue"),
                              fmt::format("unknown venue '{}'", *s.venueId));
        auto& owner = db.prepare("SELECT event_id FROM session WHERE id = ?");
        owner.bindAll(s.id);
        if (owner.step()) {
            std::string eventId = owner.getText(0);
            owner.reset();
            if (eventId != s.eventId)
                throw ImportError(
                    detail::fieldPlace(place, "id"),
                    fmt::format("session '{}' already belongs to event '{}'", s.id, eventId));
        }
        owner.reset();
        catalogue.upsertSession(s, true);
        ++summary.sessions;
        step();
    }
    tx.commit();
    return summary;
}

}  // namespace fadaa
