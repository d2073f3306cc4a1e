// core/catalogue/search_index.cpp - fills event_search from the catalogue tables and builds the
// MATCH expression of a typed query with the index's own tokenizer.
#include "catalogue/search_index.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <array>
#include <optional>

#include "catalogue/search_text.hpp"
#include "model/model.hpp"
#include "store/database.hpp"
#include "sync/json_scan.hpp"

namespace fadaa {
namespace {

// Appends every language of a translatable JSON text, in language order (as LocalizedText
// holds them). Text that is not our JSON is indexed as it is rather than not at all.
void appendAllLanguages(std::string& body, const std::string& json) {
    // The usual stored form, an object of plain strings, read without building a JSON tree (a
    // pulled page re-indexes a thousand events); anything else through LocalizedText.
    if (auto members = jsonscan::objectMembers(json)) {
        bool plain = true;
        for (const jsonscan::Member& m : *members)
            plain = plain && m.key.find('\\') == std::string_view::npos && m.value.size() >= 2 &&
                    m.value.front() == '"' && m.value.find('\\') == std::string_view::npos;
        std::sort(
            members->begin(), members->end(),
            [](const jsonscan::Member& a, const jsonscan::Member& b) { return a.key < b.key; });
        for (size_t i = 1; plain && i < members->size(); ++i)
            plain = (*members)[i - 1].key != (*members)[i].key;
        if (plain) {
            for (const jsonscan::Member& m : *members) {
                body += m.value.substr(1, m.value.size() - 2);
                body += '\n';
            }
            return;
        }
    }
    try {
        for (const auto& [lang, text] : LocalizedText::fromJson(json).byLang) {
            body += text;
            body += '\n';
        }
    } catch (const std::exception&) {
        body += json;
        body += '\n';
    }
}

// Must match the tokenize option of event_search (core/store/migrations.cpp).
constexpr const char* kTokenizer = "unicode61";
constexpr std::array<const char*, 2> kTokenizerArgs = {"remove_diacritics", "2"};

fts5_api* fts5Api(Database& db) {
    fts5_api* api = nullptr;
    Statement& st = db.prepare("SELECT fts5(?1)");
    sqlite3_bind_pointer(st.handle(), 1, static_cast<void*>(&api), "fts5_api_ptr", nullptr);
    st.step();
    st.reset();
    if (!api) throw StoreError(SQLITE_ERROR, "this SQLite has no FTS5: search is unavailable");
    return api;
}

struct TokenSink {
    std::vector<std::string> tokens;
};

int collectToken(void* context, int flags, const char* token, int length, int, int) {
    auto* sink = static_cast<TokenSink*>(context);
    if (flags & FTS5_TOKEN_COLOCATED) return SQLITE_OK;  // synonyms: the first form suffices
    if (sink->tokens.size() >= kMaxSearchTokens) return SQLITE_DONE;
    sink->tokens.emplace_back(token, static_cast<size_t>(length));
    return SQLITE_OK;
}

}  // namespace

namespace {

// reindexEvent(); *nextRowid, when given, is the search_rowid a new event gets (then moved on).
void reindexOne(Database& db, std::string_view eventId, std::int64_t* nextRowid) {
    if (nextRowid) {
        db.prepare("UPDATE event SET search_rowid = ? WHERE id = ? AND search_rowid IS NULL")
            .bindAll(*nextRowid, eventId)
            .exec();
        if (db.changes() > 0) ++*nextRowid;
    } else {
        db.prepare(
              "UPDATE event SET search_rowid = (SELECT COALESCE(MAX(search_rowid), 0) + 1 FROM "
              "event) WHERE id = ? AND search_rowid IS NULL")
            .bindAll(eventId)
            .exec();
    }
    Statement& st = db.prepare(
        "SELECT e.search_rowid, e.title, e.description, COALESCE(o.name, '{}'), "
        "       COALESCE(c.name, '{}') "
        "FROM event e LEFT JOIN organizer o ON o.id = e.organizer_id "
        "LEFT JOIN category c ON c.id = e.category_id WHERE e.id = ?");
    st.bindAll(eventId);
    if (!st.step()) return;
    std::int64_t rowid = st.getInt(0);
    std::string body;
    for (int column = 1; column <= 4; ++column) appendAllLanguages(body, st.getText(column));
    st.reset();

    Statement& venues = db.prepare(
        "SELECT v.name FROM session s JOIN venue v ON v.id = s.venue_id WHERE s.event_id = ?");
    venues.bindAll(eventId);
    // Distinct names, first seen first, as SELECT DISTINCT gives them; without its temporary
    // B-tree, which cost more than the rest of the query (an event has a few sessions).
    std::vector<std::string> names;
    while (venues.step()) {
        std::string name = venues.getText(0);
        if (std::find(names.begin(), names.end(), name) == names.end())
            names.push_back(std::move(name));
    }
    for (const std::string& name : names) appendAllLanguages(body, name);

    db.prepare("DELETE FROM event_search WHERE rowid = ?").bindAll(rowid).exec();
    std::string normalized = normalizeForSearch(body);
    normalized += '\n';
    normalized += arabicWordsWithoutArticle(normalized);
    db.prepare("INSERT INTO event_search(rowid, body) VALUES (?, ?)")
        .bindAll(rowid, normalized)
        .exec();
}

}  // namespace

void reindexEvent(Database& db, std::string_view eventId) {
    reindexOne(db, eventId, nullptr);
}

void reindexEvents(Database& db, const std::vector<std::string>& eventIds) {
    if (eventIds.empty()) return;
    Statement& st = db.prepare("SELECT COALESCE(MAX(search_rowid), 0) + 1 FROM event");
    st.step();
    std::int64_t next = st.getInt(0);
    st.reset();
    for (const std::string& id : eventIds) reindexOne(db, id, &next);
}

void reindexEventsWithSessions(Database& db, const std::vector<std::string>& eventIds) {
    std::vector<std::string> listed;
    for (const std::string& id : eventIds) {
        Statement& st = db.prepare(
            "SELECT search_rowid, EXISTS (SELECT 1 FROM session WHERE event_id = ?1) "
            "FROM event WHERE id = ?1");
        st.bindAll(id);
        if (!st.step()) continue;
        const std::optional<std::int64_t> rowid = st.getOptInt(0);
        const bool hasSession = st.getInt(1) != 0;
        st.reset();
        if (hasSession) {
            listed.push_back(id);
        } else if (rowid) {
            db.prepare("DELETE FROM event_search WHERE rowid = ?").bindAll(*rowid).exec();
            db.prepare("UPDATE event SET search_rowid = NULL WHERE id = ?").bindAll(id).exec();
        }
    }
    reindexEvents(db, listed);
}

void rebuildSearchIndex(Database& db) {
    db.exec("DELETE FROM event_search");
    // Renumber from the implicit rowid: unique, so no collisions while assigning.
    db.exec("UPDATE event SET search_rowid = NULL");
    db.exec("UPDATE event SET search_rowid = rowid");
    std::vector<std::string> ids;
    Statement& st = db.prepare("SELECT id FROM event");
    while (st.step()) ids.push_back(st.getText(0));
    for (const auto& id : ids) reindexEvent(db, id);
}

std::vector<std::string> searchTokens(Database& db, std::string_view typed) {
    std::string text = normalizeForSearch(typed);
    TokenSink sink;
    if (text.empty()) return sink.tokens;

    fts5_api* api = fts5Api(db);
    void* userData = nullptr;
    fts5_tokenizer tokenizer{};
    int rc = api->xFindTokenizer(api, kTokenizer, &userData, &tokenizer);
    if (rc != SQLITE_OK) throw StoreError(rc, "FTS5 tokenizer unicode61 not found");
    Fts5Tokenizer* instance = nullptr;
    std::array<const char*, kTokenizerArgs.size()> args = kTokenizerArgs;
    rc = tokenizer.xCreate(userData, args.data(), static_cast<int>(args.size()), &instance);
    if (rc != SQLITE_OK) throw StoreError(rc, "cannot create the FTS5 tokenizer");
    rc = tokenizer.xTokenize(instance, &sink, FTS5_TOKENIZE_QUERY, text.data(),
                             static_cast<int>(text.size()), collectToken);
    tokenizer.xDelete(instance);
    if (rc != SQLITE_OK && rc != SQLITE_DONE) throw StoreError(rc, "cannot tokenize search text");
    return sink.tokens;
}

std::string searchMatchExpression(Database& db, std::string_view typed) {
    std::string expression;
    for (const std::string& token : searchTokens(db, typed)) {
        if (!expression.empty()) expression += " AND ";
        expression += '"';
        for (char c : token) {
            if (c == '"') expression += '"';  // FTS5 string escape; unicode61 never yields one
            expression += c;
        }
        expression += "\"*";
    }
    return expression;
}

}  // namespace fadaa
