// core/catalogue/search_index.cpp - fills event_search from the catalogue tables.
#include "catalogue/search_index.hpp"

#include "catalogue/search_text.hpp"
#include "model/model.hpp"
#include "store/database.hpp"

namespace fadaa {
namespace {

std::string allLanguages(const std::string& json) {
    std::string out;
    try {
        for (const auto& [lang, text] : LocalizedText::fromJson(json).byLang) {
            out += text;
            out += ' ';
        }
    } catch (const std::exception&) {
        out = json;  // index what is there rather than nothing
    }
    return out;
}

}  // namespace

void reindexEvent(Database& db, std::string_view eventId) {
    db.prepare("DELETE FROM event_search WHERE event_id = ?").bindAll(eventId).exec();
    auto& st = db.prepare(
        "SELECT e.title, e.description, COALESCE(o.name, '{}'), "
        "  COALESCE((SELECT group_concat(DISTINCT v.name) FROM session s "
        "            JOIN venue v ON v.id = s.venue_id WHERE s.event_id = e.id), '') "
        "FROM event e LEFT JOIN organizer o ON o.id = e.organizer_id WHERE e.id = ?");
    st.bindAll(eventId);
    if (!st.step()) return;
    std::string body = allLanguages(st.getText(0)) + allLanguages(st.getText(1)) +
                       allLanguages(st.getText(2));
    // venues: group_concat of JSON objects, indexed as text
    std::string venues = st.getText(3);
    st.reset();
    body += venues;
    db.prepare("INSERT INTO event_search(event_id, body) VALUES (?, ?)")
        .bindAll(eventId, normalizeForSearch(body))
        .exec();
}

void rebuildSearchIndex(Database& db) {
    db.exec("DELETE FROM event_search");
    std::vector<std::string> ids;
    auto& st = db.prepare("SELECT id FROM event");
    while (st.step()) ids.push_back(st.getText(0));
    for (const auto& id : ids) reindexEvent(db, id);
}

}  // namespace fadaa
