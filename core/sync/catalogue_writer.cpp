// core/sync/catalogue_writer.cpp - pulled catalogue records into the kiosk store (see header).
#include "sync/catalogue_writer.hpp"

#include "catalogue/search_index.hpp"
#include "store/database.hpp"
#include "util/time.hpp"

namespace fadaa {

namespace {
std::optional<std::int64_t> opt(const std::optional<int>& v) {
    return v ? std::optional<std::int64_t>(*v) : std::nullopt;
}
}  // namespace

void CatalogueWriter::upsertCategory(const Category& c) {
    m_db.prepare(
            "INSERT INTO category(id, name, sort_order) VALUES (?, ?, ?) ON CONFLICT (id) DO "
            "UPDATE SET name = excluded.name, sort_order = excluded.sort_order")
        .bindAll(c.id, c.name.toJson(), c.sortOrder)
        .exec();
}

void CatalogueWriter::upsertVenue(const Venue& v) {
    m_db.prepare(
            "INSERT INTO venue(id, name, address, updated_at) VALUES (?, ?, ?, ?) ON CONFLICT (id) "
            "DO UPDATE SET name = excluded.name, address = excluded.address, "
            "updated_at = excluded.updated_at")
        .bindAll(v.id, v.name.toJson(), v.address, nowUtc())
        .exec();
}

void CatalogueWriter::upsertOrganizer(const Organizer& o) {
    m_db.prepare(
            "INSERT INTO organizer(id, name, updated_at) VALUES (?, ?, ?) ON CONFLICT (id) DO "
            "UPDATE SET name = excluded.name, updated_at = excluded.updated_at")
        .bindAll(o.id, o.name.toJson(), nowUtc())
        .exec();
}

void CatalogueWriter::upsertEvent(const Event& e) {
    m_db.prepare(
            "INSERT INTO event(id, category_id, organizer_id, title, description, age_min, "
            "age_max, registration_required, form, version, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET "
            "category_id = excluded.category_id, organizer_id = excluded.organizer_id, "
            "title = excluded.title, description = excluded.description, "
            "age_min = excluded.age_min, age_max = excluded.age_max, "
            "registration_required = excluded.registration_required, form = excluded.form, "
            "version = excluded.version, updated_at = excluded.updated_at")
        .bindAll(e.id, e.categoryId, e.organizerId, e.title.toJson(), e.description.toJson(),
                 opt(e.ageMin), opt(e.ageMax), e.registrationRequired ? 1 : 0, formToJson(e.form),
                 e.version, nowUtc())
        .exec();
    reindexEvent(m_db, e.id);
}

void CatalogueWriter::upsertSession(const Session& s) {
    m_db.prepare(
            "INSERT INTO session(id, event_id, venue_id, starts_at, ends_at, capacity, "
            "reg_opens_at, reg_closes_at, status, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (id) DO UPDATE SET event_id = excluded.event_id, "
            "venue_id = excluded.venue_id, starts_at = excluded.starts_at, "
            "ends_at = excluded.ends_at, capacity = excluded.capacity, "
            "reg_opens_at = excluded.reg_opens_at, reg_closes_at = excluded.reg_closes_at, "
            "status = excluded.status, updated_at = excluded.updated_at")
        .bindAll(s.id, s.eventId, s.venueId, s.startsAt, s.endsAt, opt(s.capacity), s.regOpensAt,
                 s.regClosesAt, toString(s.status), nowUtc())
        .exec();
    reindexEvent(m_db, s.eventId);
}

void CatalogueWriter::cancelSession(const std::string& id) {
    m_db.prepare("UPDATE session SET status = 'cancelled', updated_at = ? WHERE id = ?")
        .bindAll(nowUtc(), id)
        .exec();
}

}  // namespace fadaa
