// core/catalogue/search_index.hpp - keeps the FTS5 table event_search in step with events.
#pragma once

#include <string>
#include <string_view>

namespace fadaa {

class Database;

// Rebuilds event_search from every event (titles, descriptions in all languages, organizer and
// the venues of its sessions). Call inside a transaction.
void rebuildSearchIndex(Database& db);

// Re-indexes one event (after insert/update). Call inside the transaction that wrote it.
void reindexEvent(Database& db, std::string_view eventId);

}  // namespace fadaa
