// core/catalogue/catalogue.hpp - reading and editing the event catalogue in the kiosk store.
//
// Catalogue answers what the kiosk screens and the CLI ask: upcoming sessions by date range,
// category, audience and search text, sorted by start, with seats left; one event with its
// sessions; categories and venues. Writes (upsert/cancel) keep the search index in step.
//
// Outbox: for now every catalogue write comes from import (`fadaa import`, the demo) or from
// sync applying the server's changes, so none writes an outbox row. When staff edit events on
// a kiosk, that edit must become an `event_edit` intent written in the same transaction.
#pragma once

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "model/model.hpp"

namespace fadaa {

class Database;

struct SessionQuery {
    std::optional<Timestamp> from;  // sessions ending at or after (default: now)
    std::optional<Timestamp> to;    // sessions starting before
    std::optional<std::string> categoryId;
    std::optional<int> age;  // audience: sessions whose event admits this age
    std::string text;        // search-as-you-type; empty = no text filter
    bool includeCancelled = false;
    int limit = 200;
    int offset = 0;
};

// A session as a card shows it: the session, what the card needs of its event and venue, and
// the seat count. seatsLeft is nullopt when the session has no capacity limit.
// Standalone, the counts are the local registrations'. On an enrolled kiosk whose sync has
// pulled the session, they are what the kiosk knows of the city (listing.cpp): the server's
// counts plus this kiosk's registrations the server has not counted yet, and seatsLeft adds
// the unused seats of this kiosk's usable lease, so it never shows a seat the city has given
// away and never fewer than the kiosk can confirm itself.
struct SessionListing {
    Session session;
    std::string eventId;
    LocalizedText eventTitle;
    std::string categoryId;
    LocalizedText venueName;
    bool registrationRequired = true;
    std::optional<int> ageMin;
    std::optional<int> ageMax;
    int taken = 0;       // confirmed + provisional + attended registrations
    int waitlisted = 0;  // enrolled: the server's waiting list
    std::optional<int> seatsLeft;
};

class Catalogue {
public:
    explicit Catalogue(Database& db) : m_db(db) {}

    // Sessions matching q, sorted by start time then id. Text matches titles, descriptions,
    // organizer and venue in every language, by prefix, with accents and Arabic forms folded.
    std::vector<SessionListing> sessions(const SessionQuery& q);
    // One session as a card shows it, whatever its date or status; nullopt if unknown.
    std::optional<SessionListing> session(const std::string& sessionId);

    std::optional<Event> event(const std::string& eventId);
    // Every session of the event, past and cancelled ones too, sorted by start then id.
    std::vector<Session> sessionsOfEvent(const std::string& eventId);
    std::vector<Category> categories();  // by sort_order, then id
    std::vector<Venue> venues();         // by id
    std::optional<Organizer> organizer(const std::string& organizerId);

    // Writes: each is its own transaction unless the caller already holds one (pass
    // inTransaction = true). Upserts bump updated_at (to now, and always forward) and re-index
    // for search what the change affects: the event itself; events whose sessions changed
    // venue; events of a renamed venue, organizer or category. Throw std::invalid_argument for
    // an empty id or text that is not UTF-8, StoreError for what the schema refuses (unknown
    // category, end before start).
    void upsertCategory(const Category& c, bool inTransaction = false);
    void upsertVenue(const Venue& v, bool inTransaction = false);
    void upsertOrganizer(const Organizer& o, bool inTransaction = false);
    void upsertEvent(const Event& e, bool inTransaction = false);
    void upsertSession(const Session& s, bool inTransaction = false);
    // Cancels a session: status cancelled; its registrations keep their rows. Throws
    // std::invalid_argument if there is no such session.
    void cancelSession(const std::string& sessionId, bool inTransaction = false);

    // Batched writes (sync applying a pulled page): between beginBatch() and endBatch(), inside
    // one transaction the caller holds, upserts defer re-indexing for search, and endBatch()
    // re-indexes each affected event once: every upserted event, every event whose set of
    // session venues the batch changed, and every event given a session that had no search
    // entry. An affected event without any session is left without an entry
    // (reindexEventsWithSessions(): a pull brings events a page before their sessions, which
    // would index them twice); nothing lists it until it has a session, and then it is
    // indexed. Without a batch each upsert re-indexes at once (as before). A batch abandoned
    // by an exception is dropped with the caller's transaction (beginBatch() starts afresh).
    void beginBatch();
    void endBatch();
    // Inside a batch only (std::logic_error otherwise): upserts the sessions, in order, with
    // exactly the effect of upsertSession() on each, but in a few multi-row statements (a
    // pulled page brings about a thousand).
    void upsertSessions(const std::vector<const Session*>& sessions);

private:
    struct Batch {
        std::set<std::string> events;                           // to re-index at the end
        std::set<std::pair<std::string, std::string>> present;  // (event, venue) known held
        std::optional<bool> anyUnindexed;  // some event has no search entry (asked once)
    };
    // Re-indexes now, or at endBatch() when a batch is open.
    void reindexLater(const std::string& eventId);
    // Before a session write in a batch: marks the events whose set of venues it changes.
    // `old` is the session's (event, venue) before the write, if it exists. Returns the
    // (event, venue) to ask the store about (does another session of the event use it?), if
    // any: markNewVenues() asks, for many at once.
    using SessionPlace = std::pair<std::string, std::optional<std::string>>;
    using EventVenue = std::pair<std::string, std::string>;
    std::optional<EventVenue> noteSessionVenue(const Session& s,
                                               const std::optional<SessionPlace>& old);
    // Marks for re-indexing the events of the pairs no stored session holds.
    void markNewVenues(const std::vector<EventVenue>& pairs);
    // Marks for re-indexing those of the events (of sessions being written) that have no
    // search entry (search_rowid NULL); events already marked are not asked about.
    void markUnindexed(const std::vector<const Session*>& sessions);

    Database& m_db;
    std::optional<Batch> m_batch;
};

}  // namespace fadaa
