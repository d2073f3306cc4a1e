// tests/unit/catalogue_test.cpp - Catalogue over a real store: date ranges, categories,
// audience, order, paging, seat counts, cancelled sessions, records and their writes.
#include <catch2/catch.hpp>

#include <ctime>
#include <stdexcept>

#include "catalogue_fixture.hpp"

using namespace fadaa;
using namespace fadaa::test;
using Ids = std::vector<std::string>;

namespace {

SessionQuery from(Timestamp t) {
    SessionQuery q;
    q.from = t;
    return q;
}

}  // namespace

TEST_CASE("sessions are listed from a date to a date, sorted by start then id") {
    CatalogueFixture f;
    f.addEvent("play", "play", text({{"fr", "Pièce"}}));
    f.addSession("d3", "play", kT0 + 3 * kDay);
    f.addSession("d1", "play", kT0 + 1 * kDay);
    f.addSession("d2-b", "play", kT0 + 2 * kDay);
    f.addSession("d2-a", "play", kT0 + 2 * kDay);
    f.addSession("past", "play", kT0 - 1 * kDay);

    CHECK(f.ids(from(kT0)) == (Ids{"d1", "d2-a", "d2-b", "d3"}));
    SessionQuery q = from(kT0 + 2 * kDay);
    q.to = kT0 + 3 * kDay;  // exclusive: the session starting exactly then is not in
    CHECK(f.ids(q) == (Ids{"d2-a", "d2-b"}));
    CHECK(f.ids(from(kT0 + 10 * kDay)).empty());
    CHECK(f.ids(from(0)) == (Ids{"past", "d1", "d2-a", "d2-b", "d3"}));
}

TEST_CASE("a session still running at `from` is listed, however long it is") {
    CatalogueFixture f;
    f.addEvent("camp", "course", text({{"fr", "Camp d'été"}}));
    f.addSession("long", "camp", kT0 - 5 * kDay, 20, "hall", 10 * kDay);  // ends kT0 + 5 days
    f.addSession("short", "camp", kT0 - 1 * kDay, 20, "hall", 2 * kHour);
    f.addSession("later", "camp", kT0 + kHour);
    CHECK(f.ids(from(kT0)) == (Ids{"long", "later"}));
    CHECK(f.ids(from(kT0 + 6 * kDay)).empty());
    SessionQuery q = from(kT0);
    q.text = "camp";
    CHECK(f.ids(q) == (Ids{"long", "later"}));
}

TEST_CASE("without `from` the listing starts now") {
    CatalogueFixture f;
    f.addEvent("e", "play", text({{"fr", "Pièce"}}));
    Timestamp now = std::time(nullptr);
    f.addSession("yesterday", "e", now - 2 * kDay);
    f.addSession("tomorrow", "e", now + 1 * kDay);
    CHECK(f.ids(SessionQuery{}) == Ids{"tomorrow"});
}

TEST_CASE("sessions are filtered by category") {
    CatalogueFixture f;
    f.addEvent("p", "play", text({{"fr", "Pièce"}}));
    f.addEvent("c", "chess", text({{"fr", "Tournoi"}}));
    f.addSession("p1", "p", kT0 + kHour);
    f.addSession("c1", "c", kT0 + 2 * kHour);
    f.addSession("p2", "p", kT0 + 3 * kHour);
    SessionQuery q = from(kT0);
    q.categoryId = "play";
    CHECK(f.ids(q) == (Ids{"p1", "p2"}));
    q.categoryId = "chess";
    CHECK(f.ids(q) == Ids{"c1"});
    q.categoryId = "course";
    CHECK(f.ids(q).empty());
}

TEST_CASE("sessions are filtered by the audience's age, open bounds admitting everyone") {
    CatalogueFixture f;
    f.addEvent("kids", "play", text({{"fr", "Conte"}}), 6, 12);
    f.addEvent("adults", "play", text({{"fr", "Conférence"}}), 18, std::nullopt);
    f.addEvent("young", "play", text({{"fr", "Éveil"}}), std::nullopt, 5);
    f.addEvent("all", "play", text({{"fr", "Concert"}}));
    f.addSession("kids", "kids", kT0 + 1 * kHour);
    f.addSession("adults", "adults", kT0 + 2 * kHour);
    f.addSession("young", "young", kT0 + 3 * kHour);
    f.addSession("all", "all", kT0 + 4 * kHour);
    auto forAge = [&](int age) {
        SessionQuery q = from(kT0);
        q.age = age;
        return f.ids(q);
    };
    CHECK(forAge(3) == (Ids{"young", "all"}));
    CHECK(forAge(5) == (Ids{"young", "all"}));
    CHECK(forAge(6) == (Ids{"kids", "all"}));
    CHECK(forAge(12) == (Ids{"kids", "all"}));
    CHECK(forAge(13) == Ids{"all"});
    CHECK(forAge(70) == (Ids{"adults", "all"}));
    SessionListing kids = *f.catalogue.session("kids");
    CHECK(kids.ageMin == 6);
    CHECK(kids.ageMax == 12);
}

TEST_CASE("filters combine: date, category, audience and text") {
    CatalogueFixture f;
    f.addEvent("kids-play", "play", text({{"fr", "Théâtre pour enfants"}}), 6, 12);
    f.addEvent("adult-play", "play", text({{"fr", "Théâtre classique"}}), 16, std::nullopt);
    f.addEvent("kids-chess", "chess", text({{"fr", "Échecs pour enfants"}}), 6, 12);
    f.addSession("kp", "kids-play", kT0 + kDay);
    f.addSession("ap", "adult-play", kT0 + kDay);
    f.addSession("kc", "kids-chess", kT0 + kDay);
    f.addSession("kp-late", "kids-play", kT0 + 20 * kDay);
    SessionQuery q = from(kT0);
    q.to = kT0 + 7 * kDay;
    q.categoryId = "play";
    q.age = 8;
    CHECK(f.ids(q) == Ids{"kp"});
    q.categoryId.reset();
    q.text = "enfants";
    CHECK(f.ids(q) == (Ids{"kc", "kp"}));
    q.text = "classique";
    CHECK(f.ids(q).empty());
}

TEST_CASE("limit and offset page through the sorted listing") {
    CatalogueFixture f;
    f.addEvent("e", "play", text({{"fr", "Pièce"}}));
    Ids all;
    for (int i = 0; i < 10; ++i) {
        f.addSession("s" + std::to_string(i), "e", kT0 + i * kHour);
        all.push_back("s" + std::to_string(i));
    }
    SessionQuery q = from(kT0);
    q.limit = 4;
    CHECK(f.ids(q) == Ids(all.begin(), all.begin() + 4));
    q.offset = 8;
    CHECK(f.ids(q) == Ids(all.begin() + 8, all.end()));
    q.offset = 10;
    CHECK(f.ids(q).empty());
    q.limit = 0;
    q.offset = 0;
    CHECK(f.ids(q).empty());
}

TEST_CASE("seats: taken counts confirmed, provisional and attended; waitlisted apart") {
    CatalogueFixture f;
    f.addEvent("e", "play", text({{"fr", "Pièce"}}));
    f.addSession("s", "e", kT0 + kHour, 10);
    f.addRegistrations("s", "confirmed", 3);
    f.addRegistrations("s", "provisional", 2);
    f.addRegistrations("s", "attended", 1);
    f.addRegistrations("s", "waitlisted", 4);
    f.addRegistrations("s", "cancelled", 5);
    SessionListing l = f.catalogue.sessions(from(kT0)).at(0);
    CHECK(l.taken == 6);
    CHECK(l.waitlisted == 4);
    CHECK(l.seatsLeft == 4);
    CHECK(f.catalogue.session("s")->seatsLeft == 4);
}

TEST_CASE("seats left never goes below zero, and is absent without a capacity") {
    CatalogueFixture f;
    f.addEvent("e", "play", text({{"fr", "Pièce"}}));
    f.addSession("over", "e", kT0 + kHour, 2);
    f.addSession("free", "e", kT0 + 2 * kHour, std::nullopt);
    f.addSession("zero", "e", kT0 + 3 * kHour, 0);
    f.addRegistrations("over", "confirmed", 3);  // e.g. capacity lowered after registrations
    f.addRegistrations("free", "confirmed", 7);
    auto listed = f.catalogue.sessions(from(kT0));
    REQUIRE(listed.size() == 3);
    CHECK(listed[0].taken == 3);
    CHECK(listed[0].seatsLeft == 0);
    CHECK(listed[1].taken == 7);
    CHECK_FALSE(listed[1].seatsLeft.has_value());
    CHECK_FALSE(listed[1].session.capacity.has_value());
    CHECK(listed[2].seatsLeft == 0);
}

TEST_CASE("cancelled sessions are hidden unless asked for, and keep their registrations") {
    CatalogueFixture f;
    f.addEvent("e", "play", text({{"fr", "Pièce"}}));
    f.addSession("a", "e", kT0 + kHour);
    f.addSession("b", "e", kT0 + 2 * kHour);
    f.addRegistrations("b", "confirmed", 2);
    Timestamp before = f.catalogue.session("b")->session.updatedAt;
    f.catalogue.cancelSession("b");
    CHECK(f.ids(from(kT0)) == Ids{"a"});
    SessionQuery q = from(kT0);
    q.includeCancelled = true;
    CHECK(f.ids(q) == (Ids{"a", "b"}));
    SessionListing b = *f.catalogue.session("b");
    CHECK(b.session.status == SessionStatus::Cancelled);
    CHECK(b.session.updatedAt > before);
    CHECK(b.taken == 2);
    q.text = "piece";
    q.includeCancelled = false;
    CHECK(f.ids(q) == Ids{"a"});
    CHECK_THROWS_AS(f.catalogue.cancelSession("nope"), std::invalid_argument);
}

TEST_CASE("a listing carries its event's title, category, venue and registration flag") {
    CatalogueFixture f;
    Event e = CatalogueFixture::makeEvent("free-concert", "play",
                                          text({{"fr", "Concert gratuit"}, {"ar", "حفل مجاني"}}));
    e.registrationRequired = false;
    f.catalogue.upsertEvent(e);
    f.addSession("s", "free-concert", kT0 + kHour, std::nullopt, "library");
    Session noVenue = f.addSession("nv", "free-concert", kT0 + 2 * kHour);
    noVenue.venueId.reset();
    f.catalogue.upsertSession(noVenue);
    auto listed = f.catalogue.sessions(from(kT0));
    REQUIRE(listed.size() == 2);
    CHECK(listed[0].eventId == "free-concert");
    CHECK(listed[0].eventTitle.get("ar") == "حفل مجاني");
    CHECK(listed[0].categoryId == "play");
    CHECK(listed[0].venueName.get("fr") == "Médiathèque");
    CHECK_FALSE(listed[0].registrationRequired);
    CHECK(listed[1].venueName.empty());
    CHECK_FALSE(f.catalogue.session("unknown").has_value());
}

TEST_CASE("an event is read back as written, form included, and upserts bump updated_at") {
    CatalogueFixture f;
    f.catalogue.upsertOrganizer({"club", text({{"fr", "Club"}})});
    Event e;
    e.id = "chess-open";
    e.categoryId = "chess";
    e.organizerId = "club";
    e.title = text({{"fr", "Open d'échecs"}, {"zgh", "ⴰⵙⵉⵏⴰⵔ"}});
    e.description = text({{"en", "Rated games"}});
    e.ageMin = 8;
    e.version = 4;
    FormField section;
    section.key = "section";
    section.type = FieldType::Choice;
    section.required = true;
    section.choices = {{"u10", text({{"en", "Under 10"}})}, {"open", text({{"en", "Open"}})}};
    e.form = {section};
    f.catalogue.upsertEvent(e);

    Event back = *f.catalogue.event("chess-open");
    CHECK(back.organizerId == "club");
    CHECK(back.title.byLang == e.title.byLang);
    CHECK(back.description.get("en") == "Rated games");
    CHECK(back.ageMin == 8);
    CHECK_FALSE(back.ageMax.has_value());
    CHECK(back.version == 4);
    REQUIRE(back.form.size() == 1);
    CHECK(back.form[0].choices.size() == 2);
    CHECK(back.updatedAt > 0);

    // Same second or not, a second upsert moves updated_at forward.
    f.catalogue.upsertEvent(back);
    CHECK(f.catalogue.event("chess-open")->updatedAt > back.updatedAt);
    CHECK_FALSE(f.catalogue.event("missing").has_value());
    CHECK(f.catalogue.organizer("club")->name.get("fr") == "Club");
    CHECK_FALSE(f.catalogue.organizer("none").has_value());
}

TEST_CASE("categories by sort order, venues by id, sessions of an event by start") {
    CatalogueFixture f;
    f.catalogue.upsertCategory({"concert", text({{"fr", "Concert"}}), 0});
    f.catalogue.upsertCategory({"chess", text({{"fr", "Échecs !"}}), 9});  // update
    Ids categories;
    for (const Category& c : f.catalogue.categories()) categories.push_back(c.id);
    CHECK(categories == (Ids{"concert", "play", "course", "chess"}));
    CHECK(f.catalogue.categories().back().name.get("fr") == "Échecs !");
    Ids venues;
    for (const Venue& v : f.catalogue.venues()) venues.push_back(v.id);
    CHECK(venues == (Ids{"hall", "library"}));
    CHECK(f.catalogue.venues()[0].address == "Avenue Hassan II");

    f.addEvent("e", "play", text({{"fr", "Pièce"}}));
    f.addSession("late", "e", kT0 + 5 * kDay);
    f.addSession("past", "e", kT0 - 5 * kDay);
    f.addSession("cancelled", "e", kT0 + 1 * kDay);
    f.catalogue.cancelSession("cancelled");
    Ids sessions;
    for (const Session& s : f.catalogue.sessionsOfEvent("e")) sessions.push_back(s.id);
    CHECK(sessions == (Ids{"past", "cancelled", "late"}));
    CHECK(f.catalogue.sessionsOfEvent("none").empty());
}

TEST_CASE("a session is read back as written") {
    CatalogueFixture f;
    f.addEvent("e", "play", text({{"fr", "Pièce"}}));
    Session s = CatalogueFixture::makeSession("s", "e", kT0, kHour);
    s.venueId = "library";
    s.capacity = 12;
    s.regOpensAt = kT0 - 7 * kDay;
    s.regClosesAt = kT0 - kHour;
    f.catalogue.upsertSession(s);
    Session back = f.catalogue.sessionsOfEvent("e").at(0);
    CHECK(back.venueId == "library");
    CHECK(back.startsAt == kT0);
    CHECK(back.endsAt == kT0 + kHour);
    CHECK(back.capacity == 12);
    CHECK(back.regOpensAt == kT0 - 7 * kDay);
    CHECK(back.regClosesAt == kT0 - kHour);
    CHECK(back.status == SessionStatus::Scheduled);
}

TEST_CASE("writes the schema refuses fail with a clear error and change nothing") {
    CatalogueFixture f;
    Event e = CatalogueFixture::makeEvent("e", "no-such-category", text({{"fr", "X"}}));
    CHECK_THROWS_AS(f.catalogue.upsertEvent(e), StoreError);
    CHECK_FALSE(f.catalogue.event("e").has_value());
    e.id = "";
    CHECK_THROWS_AS(f.catalogue.upsertEvent(e), std::invalid_argument);

    f.addEvent("ok", "play", text({{"fr", "Pièce"}}));
    Session backwards = CatalogueFixture::makeSession("s", "ok", kT0, -1);
    CHECK_THROWS_AS(f.catalogue.upsertSession(backwards), StoreError);
    backwards.endsAt = kT0 + 1;
    backwards.eventId = "no-such-event";
    CHECK_THROWS_AS(f.catalogue.upsertSession(backwards), StoreError);
    CHECK(f.catalogue.sessionsOfEvent("ok").empty());
}

TEST_CASE("writes join the caller's transaction and roll back with it") {
    CatalogueFixture f;
    Event e = CatalogueFixture::makeEvent("e", "play", text({{"fr", "Gardé"}}));
    Session s = CatalogueFixture::makeSession("s", "e", kT0);
    {
        Transaction tx(f.db);
        f.catalogue.upsertEvent(e, /*inTransaction=*/true);
        f.catalogue.upsertSession(s, /*inTransaction=*/true);
        CHECK(f.search("garde") == Ids{"s"});  // visible inside the transaction
    }
    CHECK_FALSE(f.catalogue.event("e").has_value());
    CHECK(f.search("garde").empty());
    {
        Transaction tx(f.db);
        f.catalogue.upsertEvent(e, true);
        f.catalogue.upsertSession(s, true);
        tx.commit();
    }
    CHECK(f.search("garde") == Ids{"s"});
    // Transactions do not nest: a write that opens its own inside the caller's is refused.
    Transaction tx(f.db);
    CHECK_THROWS_AS(f.catalogue.upsertEvent(e), StoreError);
}
