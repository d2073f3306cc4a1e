// core/catalogue/catalogue.cpp - Catalogue: single records, the listing (plans in listing.cpp)
// and the writes that keep the search index in step.
#include "catalogue/catalogue.hpp"

#include <map>
#include <set>
#include <stdexcept>

#include "catalogue/listing.hpp"
#include "catalogue/row_chunks.hpp"
#include "catalogue/search_index.hpp"
#include "store/database.hpp"
#include "util/time.hpp"

namespace fadaa {
namespace {

// Runs f in its own transaction, or in the caller's when inTransaction.
template <typename F>
void writeIn(Database& db, bool inTransaction, F&& f) {
    if (inTransaction) {
        f();
        return;
    }
    Transaction tx(db);
    f();
    tx.commit();
}

void requireId(const std::string& id, const char* what) {
    if (id.empty()) throw std::invalid_argument(std::string(what) + " id is empty");
}

// The JSON a translatable text is stored as. Text that is not UTF-8 cannot be JSON: refused
// with std::invalid_argument naming the record, not a JSON library error.
std::string storedText(const LocalizedText& text, const std::string& id) {
    try {
        return text.toJson();
    } catch (const std::exception& e) {
        throw std::invalid_argument("'" + id + "': text is not valid UTF-8 (" + e.what() + ")");
    }
}

std::optional<std::string> textOf(Database& db, const char* sql, const std::string& id) {
    Statement& st = db.prepare(sql);
    st.bindAll(id);
    if (!st.step()) return std::nullopt;
    std::string text = st.getText(0);
    st.reset();
    return text;
}

std::vector<std::string> idsOf(Database& db, const char* sql, const std::string& key) {
    std::vector<std::string> ids;
    Statement& st = db.prepare(sql);
    st.bindAll(key);
    while (st.step()) ids.push_back(st.getText(0));
    return ids;
}

// A record whose name is part of some events' search text: a category, venue or organizer.
struct NamedTable {
    const char* what;
    const char* selectName;   // its stored name by id
    const char* eventsNamed;  // the events whose search text holds its name, by its id
};
constexpr NamedTable kCategories = {"category", "SELECT name FROM category WHERE id = ?",
                                    "SELECT id FROM event WHERE category_id = ?"};
constexpr NamedTable kVenues = {"venue", "SELECT name FROM venue WHERE id = ?",
                                "SELECT DISTINCT event_id FROM session WHERE venue_id = ?"};
constexpr NamedTable kOrganizers = {"organizer", "SELECT name FROM organizer WHERE id = ?",
                                    "SELECT id FROM event WHERE organizer_id = ?"};

// Upserts a named record through write(stored name JSON), in its own transaction or the
// caller's, and re-indexes the events that show its name when the name changed.
template <typename Write>
void upsertNamed(Database& db, const NamedTable& table, const std::string& id,
                 const LocalizedText& name, bool inTransaction, Write&& write) {
    requireId(id, table.what);
    writeIn(db, inTransaction, [&] {
        std::optional<std::string> oldName = textOf(db, table.selectName, id);
        std::string json = storedText(name, id);
        write(json);
        if (!oldName || *oldName == json) return;
        for (const std::string& eventId : idsOf(db, table.eventsNamed, id))
            reindexEvent(db, eventId);
    });
}

// The distinct venues of an event's sessions: its search text includes their names.
std::set<std::string> venuesOf(Database& db, const std::string& eventId) {
    std::set<std::string> venues;
    Statement& st = db.prepare(
        "SELECT DISTINCT venue_id FROM session WHERE event_id = ? AND venue_id IS NOT NULL");
    st.bindAll(eventId);
    while (st.step()) venues.insert(st.getText(0));
    return venues;
}

// A session's (event, venue) from the two columns starting at `column`.
using Place = std::pair<std::string, std::optional<std::string>>;
Place placeOf(const Statement& st, int column) {
    return {st.getText(column), st.getOptText(column + 1)};
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Reads
// ---------------------------------------------------------------------------------------------

std::vector<SessionListing> Catalogue::sessions(const SessionQuery& q) {
    if (q.limit <= 0) return {};
    ReadSnapshot snapshot(m_db);
    TextMatch match = findMatches(m_db, q.text);
    return listSessions(m_db, q, match, chooseListingPlan(m_db, q, match));
}

std::optional<SessionListing> Catalogue::session(const std::string& sessionId) {
    return findListing(m_db, sessionId);
}

std::optional<Event> Catalogue::event(const std::string& eventId) {
    Statement& st = m_db.prepare(
        "SELECT id, category_id, organizer_id, title, description, age_min, age_max, "
        "  registration_required, form, version, updated_at FROM event WHERE id = ?");
    st.bindAll(eventId);
    if (!st.step()) return std::nullopt;
    Event e;
    e.id = st.getText(0);
    e.categoryId = st.getText(1);
    e.organizerId = st.getOptText(2);
    e.title = readText(st.getText(3));
    e.description = readText(st.getText(4));
    e.ageMin = readOptInt(st, 5);
    e.ageMax = readOptInt(st, 6);
    e.registrationRequired = st.getInt(7) != 0;
    std::string form = st.getText(8);
    e.version = st.getInt(9);
    e.updatedAt = st.getInt(10);
    st.reset();
    e.form = formFromJson(form);
    return e;
}

std::vector<Session> Catalogue::sessionsOfEvent(const std::string& eventId) {
    static const std::string kSql = std::string("SELECT ") + kSessionColumns +
                                    " FROM session s WHERE s.event_id = ? "
                                    "ORDER BY s.starts_at, s.id";
    std::vector<Session> out;
    Statement& st = m_db.prepare(kSql);
    st.bindAll(eventId);
    while (st.step()) out.push_back(readSession(st));
    return out;
}

std::vector<Category> Catalogue::categories() {
    std::vector<Category> out;
    Statement& st =
        m_db.prepare("SELECT id, name, sort_order FROM category ORDER BY sort_order, id");
    while (st.step())
        out.push_back({st.getText(0), readText(st.getText(1)), static_cast<int>(st.getInt(2))});
    return out;
}

std::vector<Venue> Catalogue::venues() {
    std::vector<Venue> out;
    Statement& st = m_db.prepare("SELECT id, name, address FROM venue ORDER BY id");
    while (st.step()) out.push_back({st.getText(0), readText(st.getText(1)), st.getText(2)});
    return out;
}

std::optional<Organizer> Catalogue::organizer(const std::string& organizerId) {
    Statement& st = m_db.prepare("SELECT id, name FROM organizer WHERE id = ?");
    st.bindAll(organizerId);
    if (!st.step()) return std::nullopt;
    Organizer o{st.getText(0), readText(st.getText(1))};
    st.reset();
    return o;
}

// ---------------------------------------------------------------------------------------------
// Writes. updated_at moves to now, and always forward (MAX with old + 1), so a change is seen
// as a change even when the clock was set back.
// ---------------------------------------------------------------------------------------------

void Catalogue::upsertCategory(const Category& c, bool inTransaction) {
    upsertNamed(m_db, kCategories, c.id, c.name, inTransaction, [&](const std::string& name) {
        m_db.prepare(
                "INSERT INTO category(id, name, sort_order) VALUES (?, ?, ?) "
                "ON CONFLICT(id) DO UPDATE SET name = excluded.name, "
                "  sort_order = excluded.sort_order")
            .bindAll(c.id, name, c.sortOrder)
            .exec();
    });
}

void Catalogue::upsertVenue(const Venue& v, bool inTransaction) {
    upsertNamed(m_db, kVenues, v.id, v.name, inTransaction, [&](const std::string& name) {
        m_db.prepare(
                "INSERT INTO venue(id, name, address, updated_at) VALUES (?1, ?2, ?3, ?4) "
                "ON CONFLICT(id) DO UPDATE SET name = excluded.name, address = excluded.address, "
                "  updated_at = MAX(?4, venue.updated_at + 1)")
            .bindAll(v.id, name, v.address, nowUtc())
            .exec();
    });
}

void Catalogue::upsertOrganizer(const Organizer& o, bool inTransaction) {
    upsertNamed(m_db, kOrganizers, o.id, o.name, inTransaction, [&](const std::string& name) {
        m_db.prepare(
                "INSERT INTO organizer(id, name, updated_at) VALUES (?1, ?2, ?3) "
                "ON CONFLICT(id) DO UPDATE SET name = excluded.name, "
                "  updated_at = MAX(?3, organizer.updated_at + 1)")
            .bindAll(o.id, name, nowUtc())
            .exec();
    });
}

void Catalogue::upsertEvent(const Event& e, bool inTransaction) {
    requireId(e.id, "event");
    writeIn(m_db, inTransaction, [&] {
        m_db.prepare(
                "INSERT INTO event(id, category_id, organizer_id, title, description, age_min, "
                "  age_max, registration_required, form, version, updated_at) "
                "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11) "
                "ON CONFLICT(id) DO UPDATE SET category_id = excluded.category_id, "
                "  organizer_id = excluded.organizer_id, title = excluded.title, "
                "  description = excluded.description, age_min = excluded.age_min, "
                "  age_max = excluded.age_max, "
                "  registration_required = excluded.registration_required, "
                "  form = excluded.form, version = excluded.version, "
                "  updated_at = MAX(?11, event.updated_at + 1)")
            .bindAll(e.id, e.categoryId, e.organizerId, storedText(e.title, e.id),
                     storedText(e.description, e.id), e.ageMin, e.ageMax,
                     e.registrationRequired ? 1 : 0, formToJson(e.form), e.version, nowUtc())
            .exec();
        reindexLater(e.id);
    });
}

void Catalogue::upsertSession(const Session& s, bool inTransaction) {
    requireId(s.id, "session");
    writeIn(m_db, inTransaction, [&] {
        std::optional<std::string> oldEventId;
        std::set<std::string> oldEventVenues, newEventVenues;
        if (m_batch) {
            Statement& st = m_db.prepare("SELECT event_id, venue_id FROM session WHERE id = ?");
            st.bindAll(s.id);
            std::optional<SessionPlace> old;
            if (st.step()) old = placeOf(st, 0);
            st.reset();
            markUnindexed({&s});
            if (auto probe = noteSessionVenue(s, old)) markNewVenues({*probe});
        } else {
            oldEventId = textOf(m_db, "SELECT event_id FROM session WHERE id = ?", s.id);
            if (oldEventId) oldEventVenues = venuesOf(m_db, *oldEventId);
            newEventVenues = oldEventId == s.eventId ? oldEventVenues : venuesOf(m_db, s.eventId);
        }

        m_db.prepare(
                "INSERT INTO session(id, event_id, venue_id, starts_at, ends_at, capacity, "
                "  reg_opens_at, reg_closes_at, status, updated_at) "
                "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) "
                "ON CONFLICT(id) DO UPDATE SET event_id = excluded.event_id, "
                "  venue_id = excluded.venue_id, starts_at = excluded.starts_at, "
                "  ends_at = excluded.ends_at, capacity = excluded.capacity, "
                "  reg_opens_at = excluded.reg_opens_at, reg_closes_at = excluded.reg_closes_at, "
                "  status = excluded.status, updated_at = MAX(?10, session.updated_at + 1)")
            .bindAll(s.id, s.eventId, s.venueId, s.startsAt, s.endsAt, s.capacity, s.regOpensAt,
                     s.regClosesAt, std::string(toString(s.status)), nowUtc())
            .exec();
        if (m_batch) return;

        // An event's search text holds its venues' names: re-index the events whose set of
        // venues this write changed (adding a session at a venue the event already uses
        // changes nothing, which keeps a bulk import from re-indexing once per session).
        // An event a pull left without a search entry (it had no session) gets one now.
        if (venuesOf(m_db, s.eventId) != newEventVenues ||
            textOf(m_db, "SELECT 1 FROM event WHERE id = ? AND search_rowid IS NULL", s.eventId))
            reindexEvent(m_db, s.eventId);
        if (oldEventId && *oldEventId != s.eventId && venuesOf(m_db, *oldEventId) != oldEventVenues)
            reindexEvent(m_db, *oldEventId);
    });
}

void Catalogue::beginBatch() {
    m_batch.emplace();
}

void Catalogue::endBatch() {
    if (!m_batch) return;
    Batch batch = std::move(*m_batch);
    m_batch.reset();
    reindexEventsWithSessions(m_db, {batch.events.begin(), batch.events.end()});
}

void Catalogue::reindexLater(const std::string& eventId) {
    if (m_batch)
        m_batch->events.insert(eventId);
    else
        reindexEvent(m_db, eventId);
}

std::optional<Catalogue::EventVenue> Catalogue::noteSessionVenue(
    const Session& s, const std::optional<SessionPlace>& old) {
    if (old && old->first == s.eventId && old->second == s.venueId) return {};  // no change
    // The old event may have lost its last session at the old venue: re-index it (rare).
    if (old && old->second) m_batch->events.insert(old->first);
    if (!s.venueId || m_batch->events.count(s.eventId)) return {};
    // The event gains a venue unless another of its sessions is there already (asked before
    // the write, once per event and venue in a batch).
    if (!m_batch->present.insert({s.eventId, *s.venueId}).second) return {};
    return EventVenue{s.eventId, *s.venueId};
}

void Catalogue::markNewVenues(const std::vector<EventVenue>& pairs) {
    // "+venue_id": search by event (a few sessions), never by venue (maybe all of them).
    forRowChunks(
        m_db, "WITH p(e, v) AS (VALUES ", 2,
        ") SELECT e FROM p WHERE NOT EXISTS "
        "(SELECT 1 FROM session WHERE event_id = p.e AND +venue_id = p.v)",
        pairs.size(),
        [&](Statement& st, int at, size_t i) {
            st.bind(at, pairs[i].first).bind(at + 1, pairs[i].second);
        },
        [&](Statement& st) {
            while (st.step()) m_batch->events.insert(st.getText(0));
        });
}

void Catalogue::markUnindexed(const std::vector<const Session*>& sessions) {
    // Usually every event has an entry: one look at the search_rowid index says so, instead of
    // one per event (a snapshot page touches most events).
    if (!m_batch->anyUnindexed) {
        Statement& st =
            m_db.prepare("SELECT EXISTS (SELECT 1 FROM event WHERE search_rowid IS NULL)");
        st.step();
        m_batch->anyUnindexed = st.getInt(0) != 0;
        st.reset();
        if (!*m_batch->anyUnindexed) return;
    }
    std::vector<const std::string*> events;
    std::set<std::string_view> asked;
    for (const Session* s : sessions)
        if (!m_batch->events.count(s->eventId) && asked.insert(s->eventId).second)
            events.push_back(&s->eventId);
    forRowChunks(
        m_db, "SELECT id FROM event WHERE search_rowid IS NULL AND id IN (", 1, ")", events.size(),
        [&](Statement& st, int at, size_t i) { st.bind(at, *events[i]); },
        [&](Statement& st) {
            while (st.step()) m_batch->events.insert(st.getText(0));
        });
}

void Catalogue::upsertSessions(const std::vector<const Session*>& sessions) {
    if (!m_batch) throw std::logic_error("Catalogue::upsertSessions outside a batch");
    // Where each session was before this batch's writes, read 64 at a time.
    std::map<std::string, Place, std::less<>> before;
    forRowChunks(
        m_db, "SELECT id, event_id, venue_id FROM session WHERE id IN (", 1, ")", sessions.size(),
        [&](Statement& st, int at, size_t i) { st.bind(at, sessions[i]->id); },
        [&](Statement& st) {
            while (st.step()) before.emplace(st.getText(0), placeOf(st, 1));
        });
    // In order, as one upsertSession() after the other would see them: a session given twice
    // finds its first version the second time. Probes run before the writes; that reads the
    // same (noteSessionVenue's reasoning holds: a move away marks the old event anyway).
    // An event some probe finds without a session at the venue is re-indexed; a probe skipped
    // because an earlier one already marked its event could only have marked it again, so
    // asking them all at once marks the same events.
    // Events without a search entry first: marked, their venues need no probe.
    markUnindexed(sessions);
    std::vector<EventVenue> probes;
    for (const Session* s : sessions) {
        auto it = before.find(s->id);
        requireId(s->id, "session");
        if (auto probe = noteSessionVenue(
                *s, it == before.end() ? std::nullopt : std::optional<Place>(it->second)))
            probes.push_back(std::move(*probe));
        before.insert_or_assign(s->id, Place{s->eventId, s->venueId});
    }
    markNewVenues(probes);
    const Timestamp now = nowUtc();
    forRowChunks(
        m_db,
        "INSERT INTO session(id, event_id, venue_id, starts_at, ends_at, capacity, "
        "  reg_opens_at, reg_closes_at, status, updated_at) VALUES ",
        10,
        " ON CONFLICT(id) DO UPDATE SET event_id = excluded.event_id, "
        "  venue_id = excluded.venue_id, starts_at = excluded.starts_at, "
        "  ends_at = excluded.ends_at, capacity = excluded.capacity, "
        "  reg_opens_at = excluded.reg_opens_at, reg_closes_at = excluded.reg_closes_at, "
        "  status = excluded.status, updated_at = MAX(excluded.updated_at, session.updated_at + 1)",
        sessions.size(), [&](Statement& st, int at, size_t i) {
            const Session& s = *sessions[i];
            st.bind(at, s.id)
                .bind(at + 1, s.eventId)
                .bind(at + 2, s.venueId)
                .bind(at + 3, s.startsAt)
                .bind(at + 4, s.endsAt)
                .bind(at + 5, s.capacity)
                .bind(at + 6, s.regOpensAt)
                .bind(at + 7, s.regClosesAt)
                .bind(at + 8, toString(s.status))
                .bind(at + 9, now);
        });
}

void Catalogue::cancelSession(const std::string& sessionId, bool inTransaction) {
    writeIn(m_db, inTransaction, [&] {
        m_db.prepare(
                "UPDATE session SET status = 'cancelled', "
                "  updated_at = MAX(?1, updated_at + 1) WHERE id = ?2")
            .bindAll(nowUtc(), sessionId)
            .exec();
        if (m_db.changes() == 0)
            throw std::invalid_argument("no session with id '" + sessionId + "'");
    });
}

}  // namespace fadaa
