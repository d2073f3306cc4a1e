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
#include <string>
#include <vector>

#include "model/model.hpp"

namespace fadaa {

class Database;

struct SessionQuery {
    std::optional<Timestamp> from;  // sessions ending at or after (default: now)
    std::optional<Timestamp> to;    // sessions starting before
    std::optional<std::string> categoryId;
    std::optional<int> age;         // audience: sessions whose event admits this age
    std::string text;               // search-as-you-type; empty = no text filter
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

private:
    Database& m_db;
};

}  // namespace fadaa
