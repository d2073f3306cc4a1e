// core/catalogue/listing.hpp - internals of Catalogue: the session listing's query plans and
// the readers that turn store rows into model types. Shared by catalogue.cpp and the search
// benchmark (which compares plans); screens and the CLI use Catalogue, not this.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "catalogue/catalogue.hpp"

namespace fadaa {

class Statement;

// Makes the reads of one operation see one snapshot of the store (the FTS5 pass, the walk and
// the page's rows agree while another process writes), and spares each statement taking and
// dropping the WAL read lock. A savepoint, so it also works inside a caller's transaction.
class ReadSnapshot {
public:
    explicit ReadSnapshot(Database& db);
    ~ReadSnapshot();
    ReadSnapshot(const ReadSnapshot&) = delete;
    ReadSnapshot& operator=(const ReadSnapshot&) = delete;

private:
    Database& m_db;
};

// What a typed text matches: the FTS5 expression and the events it finds.
struct TextMatch {
    std::string expression;            // searchMatchExpression(); "" = no text filter
    std::vector<std::int64_t> events;  // event.search_rowid of every matching event, ascending
};

// Runs the search once (one pass over the FTS5 result; no pass when the text has no token).
TextMatch findMatches(Database& db, std::string_view typed);

// How the listing finds a page of sessions (listing.cpp explains each).
enum class ListingPlan {
    Walk,          // no text: sessions in start order
    WalkMatching,  // text matching many events: sessions in start order, kept if their event
                   // matches
    FromMatches,   // text matching few events: the events' sessions, sorted
};

// The cheaper plan for q and its text, estimated from the number of matching events.
ListingPlan chooseListingPlan(Database& db, const SessionQuery& q, const TextMatch& match);

// The listing for q (q.text is ignored: `match` stands for it) with a given plan. Every plan
// returns the same rows; they differ only in speed.
std::vector<SessionListing> listSessions(Database& db, const SessionQuery& q,
                                         const TextMatch& match, ListingPlan plan);

// One session as a listing row, whatever its date or status.
std::optional<SessionListing> findListing(Database& db, const std::string& sessionId);

// The columns readSession() reads, for a query over `session s`.
extern const char* const kSessionColumns;
Session readSession(Statement& st, int first = 0);
// A listing row (the columns of listSessions' and findListing's queries). venueNames, when
// given, caches parsed venue names by their JSON across the rows of one page.
SessionListing readListing(Statement& st,
                           std::map<std::string, LocalizedText>* venueNames = nullptr);
// Translatable text from the store; text that is not a JSON object is taken as French rather
// than failing the whole screen.
LocalizedText readText(const std::string& json);
std::optional<int> readOptInt(Statement& st, int column);

}  // namespace fadaa
