// core/catalogue/catalogue.hpp - reading and editing the event catalogue in the kiosk store.
//
// Catalogue answers what the kiosk screens and the CLI ask: upcoming sessions by date range,
// category, audience and search text, sorted by start, with seats left; one event with its
// sessions; categories and venues. Writes (upsert/cancel) keep the search index in step and put
// their outbox row in the same transaction when the change was made on this device.
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
struct SessionListing {
    Session session;
    std::string eventId;
    LocalizedText eventTitle;
    std::string categoryId;
    LocalizedText venueName;
    bool registrationRequired = true;
    std::optional<int> ageMin;
    std::optional<int> ageMax;
    int taken = 0;      // confirmed + provisional + attended registrations
    int waitlisted = 0;
    std::optional<int> seatsLeft;
};

class Catalogue {
public:
    explicit Catalogue(Database& db) : m_db(db) {}

    // Sessions matching q, sorted by start time then id. Text matches titles, descriptions,
    // organizer and venue in every language, by prefix, with accents and Arabic forms folded.
    std::vector<SessionListing> sessions(const SessionQuery& q);
    std::optional<SessionListing> session(const std::string& sessionId);

    std::optional<Event> event(const std::string& eventId);
    std::vector<Session> sessionsOfEvent(const std::string& eventId);
    std::vector<Category> categories();
    std::vector<Venue> venues();
    std::optional<Organizer> organizer(const std::string& organizerId);

    // Writes: each is its own transaction unless the caller already holds one (pass
    // inTransaction = true). Upserts bump updated_at and re-index the event for search.
    void upsertCategory(const Category& c, bool inTransaction = false);
    void upsertVenue(const Venue& v, bool inTransaction = false);
    void upsertOrganizer(const Organizer& o, bool inTransaction = false);
    void upsertEvent(const Event& e, bool inTransaction = false);
    void upsertSession(const Session& s, bool inTransaction = false);
    // Cancels a session: status cancelled; its registrations keep their rows.
    void cancelSession(const std::string& sessionId, bool inTransaction = false);

private:
    Database& m_db;
};

}  // namespace fadaa
