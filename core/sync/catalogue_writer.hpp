// core/sync/catalogue_writer.hpp - how sync writes pulled catalogue records into the kiosk store.
//
// TEMPORARY: the store's Catalogue service (core/catalogue, branch `catalogue`) is not on main
// yet, so these write the rows directly and re-index the event for search. When Catalogue's
// upserts land, this file delegates to them (one writer of catalogue rows in the codebase).
#pragma once

#include <string>

#include "model/model.hpp"

namespace fadaa {

class Database;

// All calls run inside the caller's transaction.
class CatalogueWriter {
public:
    explicit CatalogueWriter(Database& db) : m_db(db) {}
    void upsertCategory(const Category& c);
    void upsertVenue(const Venue& v);
    void upsertOrganizer(const Organizer& o);
    void upsertEvent(const Event& e);
    void upsertSession(const Session& s);
    void cancelSession(const std::string& id);

private:
    Database& m_db;
};

}  // namespace fadaa
