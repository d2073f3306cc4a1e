// tests/unit/catalogue_fixture.hpp - a small real catalogue in a fresh SQLite file, for the
// catalogue and search tests. Records go in through Catalogue's own writes (as import does);
// registrations are inserted by SQL, since the registration service is not under test here.
#pragma once

#include <initializer_list>
#include <string>
#include <utility>
#include <vector>

#include "catalogue/catalogue.hpp"
#include "store/database.hpp"
#include "support/test_support.hpp"

namespace fadaa::test {

// A fixed instant (2027-01-15T08:00:00Z) so that tests never depend on today's date.
inline constexpr Timestamp kT0 = 1'800'000'000;
inline constexpr Timestamp kHour = 3600;
inline constexpr Timestamp kDay = 24 * kHour;

inline LocalizedText text(std::initializer_list<std::pair<const std::string, std::string>> l) {
    return LocalizedText{std::map<std::string, std::string>(l)};
}

struct CatalogueFixture {
    TempDir dir;
    Database db{dir / "kiosk.sqlite"};
    Catalogue catalogue{db};

    CatalogueFixture() {
        catalogue.upsertCategory({"play", text({{"fr", "Théâtre"}, {"en", "Play"}}), 1});
        catalogue.upsertCategory({"chess", text({{"fr", "Échecs"}, {"en", "Chess"}}), 2});
        catalogue.upsertCategory({"course", text({{"fr", "Cours"}, {"en", "Course"}}), 3});
        catalogue.upsertVenue(
            {"hall", text({{"fr", "Grande salle"}, {"ar", "القاعة الكبرى"}}), "Avenue Hassan II"});
        catalogue.upsertVenue({"library", text({{"fr", "Médiathèque"}, {"en", "Library"}}), ""});
    }

    static Event makeEvent(const std::string& id, const std::string& category, LocalizedText title,
                           std::optional<int> ageMin = std::nullopt,
                           std::optional<int> ageMax = std::nullopt) {
        Event e;
        e.id = id;
        e.categoryId = category;
        e.title = std::move(title);
        e.ageMin = ageMin;
        e.ageMax = ageMax;
        return e;
    }

    static Session makeSession(const std::string& id, const std::string& eventId, Timestamp start,
                               Timestamp duration = 2 * kHour) {
        Session s;
        s.id = id;
        s.eventId = eventId;
        s.startsAt = start;
        s.endsAt = start + duration;
        return s;
    }

    Event addEvent(const std::string& id, const std::string& category, LocalizedText title,
                   std::optional<int> ageMin = std::nullopt,
                   std::optional<int> ageMax = std::nullopt) {
        Event e = makeEvent(id, category, std::move(title), ageMin, ageMax);
        catalogue.upsertEvent(e);
        return e;
    }

    Session addSession(const std::string& id, const std::string& eventId, Timestamp start,
                       std::optional<int> capacity = 20, const std::string& venue = "hall",
                       Timestamp duration = 2 * kHour) {
        Session s = makeSession(id, eventId, start, duration);
        s.venueId = venue;
        s.capacity = capacity;
        catalogue.upsertSession(s);
        return s;
    }

    // Inserts `count` registrations with `status` for a session, directly by SQL.
    void addRegistrations(const std::string& sessionId, const std::string& status, int count) {
        for (int i = 0; i < count; ++i) {
            std::string n = sessionId + "-" + status + "-" + std::to_string(i);
            db.prepare(
                  "INSERT INTO registration(id, session_id, created_at, updated_at, name, phone, "
                  "  status, code, person_key) VALUES (?1, ?2, ?3, ?3, 'x', '+212600000000', ?4, "
                  "  ?1, ?1)")
                .bindAll(n, sessionId, kT0, status)
                .exec();
        }
    }

    std::vector<std::string> ids(const SessionQuery& q) {
        std::vector<std::string> out;
        for (const SessionListing& l : catalogue.sessions(q)) out.push_back(l.session.id);
        return out;
    }

    // Session ids found by text, everything else open (from the distant past, no limit).
    std::vector<std::string> search(const std::string& typed) {
        SessionQuery q;
        q.from = 0;
        q.text = typed;
        q.includeCancelled = true;
        q.limit = 1000;
        return ids(q);
    }
};

}  // namespace fadaa::test
