// core/catalogue/catalogue_io.hpp - the catalogue file formats (docs/catalogue-format.md):
// reading a JSON catalogue or a CSV of sessions into a CatalogueFile, importing it into the
// store in one transaction, and exporting the store's catalogue as JSON or CSV.
//
// Used by `fadaa import|export|demo` and the server's catalogue import. Reading is strict
// (unknown keys, wrong types, bad ids, bad dates, invalid UTF-8 are errors) and every error
// names its place: a JSON path (`events[3].sessions[1].start: not a date`) or a CSV line
// (`line 7: capacity is not a number`).
#pragma once

#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "model/model.hpp"

namespace fadaa {

class Database;

// The zone a file is read in when it names none (CSV never does).
inline constexpr std::string_view kDefaultCatalogueZone = "Africa/Casablanca";

// A bad catalogue file. what() is "<place>: <reason>" on one line; place() is a JSON path
// ("events[3].sessions[1].start") or "line 7" for CSV.
class ImportError : public std::runtime_error {
public:
    ImportError(std::string place, std::string reason);
    const std::string& place() const { return m_place; }
    const std::string& reason() const { return m_reason; }

private:
    std::string m_place;
    std::string m_reason;
};

// A catalogue read from a file and checked, not yet in the store. Times are resolved to UTC
// instants (relative `day`/`time` against the `now` given to the reader). The *Places vectors
// run parallel to events/sessions and say where each came from, so checks made against the
// store at import time can still name the place in the file.
struct CatalogueFile {
    std::string timezone = std::string(kDefaultCatalogueZone);
    std::vector<Category> categories;
    std::vector<Venue> venues;
    std::vector<Organizer> organizers;
    std::vector<Event> events;
    std::vector<Session> sessions;
    std::vector<std::string> eventPlaces;
    std::vector<std::string> sessionPlaces;
    // Seats already taken per session id (the demo file's `taken`); the store import ignores it,
    // `fadaa demo` fills these seats with placeholder registrations.
    std::map<std::string, int> taken;
    // CSV rows carry only part of an event (no description, form, organizer, audience): when
    // true, import keeps those parts of an event already in the store and changes only the
    // category, registration flag and the titles the file gives.
    bool partialEvents = false;
};

// Parses a JSON catalogue document. `now` resolves relative dates. Throws ImportError.
CatalogueFile parseCatalogueJson(std::string_view text, Timestamp now);

// Parses a CSV of sessions (header row required; see the format doc). Its dates are local
// times in `zone` unless they carry Z or an offset. Throws ImportError with place "line N".
CatalogueFile parseCatalogueCsv(std::string_view text, Timestamp now,
                                std::string_view zone = kDefaultCatalogueZone);

enum class CatalogueFormat { Json, Csv };

// The format of a file by its name (.csv / .json), else by its first character ('{' = JSON).
CatalogueFormat detectCatalogueFormat(const std::filesystem::path& path, std::string_view text);

// Reads and parses a file in either format. Throws ImportError (place "" for an unreadable
// file).
CatalogueFile readCatalogueFile(const std::filesystem::path& path, Timestamp now,
                                std::optional<CatalogueFormat> format = std::nullopt,
                                std::string_view csvZone = kDefaultCatalogueZone);

struct ImportSummary {
    int categories = 0;
    int venues = 0;
    int organizers = 0;
    int events = 0;
    int sessions = 0;
};

// Called after each record written: (done, total).
using ImportProgress = std::function<void(int done, int total)>;

// Writes the file's records into the store (upserts through Catalogue) in ONE transaction:
// either all of it is stored or nothing is. Checks what only the store can answer (an event's
// category, organizer or a session's venue neither in the file nor in the store; a session id
// that belongs to another event) and throws ImportError naming the place in the file. Store
// failures throw StoreError. Nothing is written when it throws.
ImportSummary importCatalogue(Database& db, const CatalogueFile& file,
                              const ImportProgress& progress = {});

// The whole catalogue of the store as a JSON catalogue document that parseCatalogueJson reads
// back to the same records. Times are written as local times in `zone` with their UTC offset
// ("2026-12-05T18:30+01:00"), exact and readable.
std::string exportCatalogueJson(Database& db, std::string_view zone = kDefaultCatalogueZone);

// Every session of the store as CSV (a session_id column first, then the import columns), with
// a header row and CRLF line ends; parseCatalogueCsv reads it back.
std::string exportCatalogueCsv(Database& db, std::string_view zone = kDefaultCatalogueZone);

// Checks an id (letters, digits, '-', '_', '.'; 1 to 64 characters). Returns the reason it is
// bad, or nullopt when it is good.
std::optional<std::string> badIdReason(std::string_view id);

// "2026-12-05T18:30+01:00": t as local time in zone with its offset (seconds only when not 0).
std::string localIsoWithOffset(Timestamp t, std::string_view zone);

// Parses an absolute catalogue date-time: "YYYY-MM-DDTHH:MM[:SS]" (local time in zone; a space
// may replace the T) optionally followed by "Z" or "+HH:MM"/"-HH:MM". nullopt if not one.
std::optional<Timestamp> parseCatalogueDateTime(std::string_view text, std::string_view zone);

}  // namespace fadaa
