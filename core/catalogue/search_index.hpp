// core/catalogue/search_index.hpp - keeps the FTS5 table event_search in step with events, and
// turns what a resident typed into a safe FTS5 query.
//
// One row per event; its rowid is event.search_rowid (schema version 4). The body holds the
// event's title and description in every language, its organizer, category and the venues of
// its sessions, normalised by normalizeForSearch(), followed by its Arabic words without their
// article (arabicWordsWithoutArticle()).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace fadaa {

class Database;

// Rebuilds event_search from every event, renumbering event.search_rowid. Call inside a
// transaction.
void rebuildSearchIndex(Database& db);

// Re-indexes one event (after insert/update, or when its organizer, category or venues
// changed). Gives the event a search_rowid if it has none. Does nothing if there is no such
// event. Call inside the transaction that wrote it.
void reindexEvent(Database& db, std::string_view eventId);

// reindexEvent() for each of the events, with one read of the highest search_rowid for all
// (reindexEvent() reads it per new event, which scans the event table: quadratic in a batch
// that brings a thousand new events).
void reindexEvents(Database& db, const std::vector<std::string>& eventIds);

// reindexEvents() for those of the events that have a session. One without a session gets no
// entry (an entry it had is removed and its search_rowid cleared): search only lists sessions,
// so the entry could not be shown, and a pull brings an event before its sessions, whose venues
// would make it be indexed again. A NULL search_rowid thus means "index when it gets a session"
// (Catalogue does). Call inside the transaction that wrote them.
void reindexEventsWithSessions(Database& db, const std::vector<std::string>& eventIds);

// The search tokens of typed text: normalised (normalizeForSearch), then split by the same
// FTS5 tokenizer the index uses, so each token is exactly a term the index may hold. At most
// kMaxSearchTokens tokens are kept.
inline constexpr size_t kMaxSearchTokens = 12;
std::vector<std::string> searchTokens(Database& db, std::string_view typed);

// The FTS5 MATCH expression for search-as-you-type: every token becomes a quoted prefix term,
// AND-ed ("thea"* AND "mar"*). Quoting makes FTS5 syntax a resident may type (" * : ( ) - ^
// AND OR NOT NEAR) plain text; the expression is bound as a parameter, so SQL never sees it as
// code. Returns "" when the text has no token (empty or punctuation only): no text filter.
std::string searchMatchExpression(Database& db, std::string_view typed);

}  // namespace fadaa
