// server/lib/catalogue_service.cpp - reading and editing the central catalogue.
#include "catalogue_service.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "api_error.hpp"
#include "sql.hpp"
#include "sync/wire.hpp"

namespace fadaa::server {

using nlohmann::json;

// ---------------------------------------------------------------------------------------------
// Reading
// ---------------------------------------------------------------------------------------------

CatalogueData readEvents(SqlConnection& conn, const std::optional<std::string>& onlyId) {
    CatalogueData d;
    std::string sql =
        "SELECT id, category_id, organizer_id, title, description, age_min, age_max, "
        "registration_required, form, version, updated_at FROM event";
    SqlParams params;
    if (onlyId) {
        sql += " WHERE id = $1";
        params.emplace_back(*onlyId);
    }
    for (const SqlRow& r : conn.query(sql + " ORDER BY id", params)) {
        Event e;
        e.id = r.text(0);
        e.categoryId = r.text(1);
        e.organizerId = r.optText(2);
        e.title = LocalizedText::fromJson(r.text(3));
        e.description = LocalizedText::fromJson(r.text(4));
        if (auto v = r.optInteger(5)) e.ageMin = static_cast<int>(*v);
        if (auto v = r.optInteger(6)) e.ageMax = static_cast<int>(*v);
        e.registrationRequired = r.integer(7) != 0;
        e.form = formFromJson(r.text(8));
        e.version = r.integer(9);
        e.updatedAt = r.integer(10);
        d.events.push_back(std::move(e));
    }
    return d;
}

CatalogueData readCatalogue(SqlConnection& conn) {
    CatalogueData d;
    for (const SqlRow& r : conn.query("SELECT id, name, sort_order FROM category ORDER BY id"))
        d.categories.push_back(
            {r.text(0), LocalizedText::fromJson(r.text(1)), static_cast<int>(r.integer(2))});
    for (const SqlRow& r : conn.query("SELECT id, name, address FROM venue ORDER BY id"))
        d.venues.push_back({r.text(0), LocalizedText::fromJson(r.text(1)), r.text(2)});
    for (const SqlRow& r : conn.query("SELECT id, name FROM organizer ORDER BY id"))
        d.organizers.push_back({r.text(0), LocalizedText::fromJson(r.text(1))});
    d.events = readEvents(conn).events;
    for (const SqlRow& r : conn.query(
             fmt::format("SELECT {} FROM session s ORDER BY s.starts_at, s.id", kSessionColumns)))
        d.sessions.push_back(sessionFromRow(r));
    return d;
}

Session sessionFromRow(const SqlRow& r) {
    Session s;
    s.id = r.text(0);
    s.eventId = r.text(1);
    s.venueId = r.optText(2);
    s.startsAt = r.integer(3);
    s.endsAt = r.integer(4);
    if (auto v = r.optInteger(5)) s.capacity = static_cast<int>(*v);
    s.regOpensAt = r.optInteger(6);
    s.regClosesAt = r.optInteger(7);
    s.status = sessionStatusFromString(r.text(8)).value_or(SessionStatus::Scheduled);
    s.updatedAt = r.integer(9);
    return s;
}

// ---------------------------------------------------------------------------------------------
// Editing
// ---------------------------------------------------------------------------------------------

CatalogueEditor::CatalogueEditor(SqlConnection& conn, const LedgerOptions& options, Timestamp now)
    : m_conn(conn), m_now(now), m_ledger(conn, options, now) {}

bool CatalogueEditor::exists(std::string_view table, const std::string& id) {
    return m_conn.scalar(fmt::format("SELECT 1 FROM {} WHERE id = $1", table), {id}).has_value();
}

void CatalogueEditor::requireRef(std::string_view table, const std::optional<std::string>& id,
                                 std::string_view what) {
    if (id && !exists(table, *id))
        throw ApiError(409, "unknown_reference", fmt::format("{}: no {} '{}'", what, table, *id));
}

void CatalogueEditor::putCategory(const Category& c) {
    m_conn.query(
        "INSERT INTO category(id, name, sort_order, updated_at) VALUES ($1, $2, $3, $4) "
        "ON CONFLICT (id) DO UPDATE SET name = excluded.name, sort_order = excluded.sort_order, "
        "updated_at = excluded.updated_at",
        {c.id, c.name.toJson(), static_cast<std::int64_t>(c.sortOrder), m_now});
    m_changes.upsert(wire::kCategory, c.id, wire::toWire(c));
}

void CatalogueEditor::putVenue(const Venue& v) {
    m_conn.query(
        "INSERT INTO venue(id, name, address, updated_at) VALUES ($1, $2, $3, $4) "
        "ON CONFLICT (id) DO UPDATE SET name = excluded.name, address = excluded.address, "
        "updated_at = excluded.updated_at",
        {v.id, v.name.toJson(), v.address, m_now});
    m_changes.upsert(wire::kVenue, v.id, wire::toWire(v));
}

void CatalogueEditor::putOrganizer(const Organizer& o) {
    m_conn.query(
        "INSERT INTO organizer(id, name, updated_at) VALUES ($1, $2, $3) "
        "ON CONFLICT (id) DO UPDATE SET name = excluded.name, updated_at = excluded.updated_at",
        {o.id, o.name.toJson(), m_now});
    m_changes.upsert(wire::kOrganizer, o.id, wire::toWire(o));
}

void CatalogueEditor::putEvent(const Event& in) {
    requireRef("category", in.categoryId, "category_id");
    requireRef("organizer", in.organizerId, "organizer_id");
    Event e = in;
    auto version = m_conn.scalar("SELECT version FROM event WHERE id = $1", {e.id});
    e.version = version ? std::stoll(*version) + 1 : 1;
    auto opt = [](const std::optional<int>& v) {
        return v ? SqlValue(static_cast<std::int64_t>(*v)) : sqlNull();
    };
    m_conn.query(
        "INSERT INTO event(id, category_id, organizer_id, title, description, age_min, age_max, "
        "registration_required, form, version, updated_at) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT (id) DO UPDATE SET "
        "category_id = excluded.category_id, organizer_id = excluded.organizer_id, "
        "title = excluded.title, description = excluded.description, "
        "age_min = excluded.age_min, age_max = excluded.age_max, "
        "registration_required = excluded.registration_required, form = excluded.form, "
        "version = excluded.version, updated_at = excluded.updated_at",
        {e.id, e.categoryId, sqlOpt(e.organizerId), e.title.toJson(), e.description.toJson(),
         opt(e.ageMin), opt(e.ageMax), static_cast<std::int64_t>(e.registrationRequired ? 1 : 0),
         formToJson(e.form), e.version, m_now});
    m_changes.upsert(wire::kEvent, e.id, wire::toWire(e));
}

void CatalogueEditor::putSession(const Session& s) {
    requireRef("event", s.eventId, "event_id");
    requireRef("venue", s.venueId, "venue_id");
    m_ledger.loadSessions({s.id});
    m_ledger.putSession(s);
}

void CatalogueEditor::cancelSession(const std::string& id) {
    m_ledger.loadSessions({id});
    LedgerSession* s = m_ledger.session(id);
    if (!s) throw ApiError(404, "not_found", fmt::format("no session '{}'", id));
    Session next = s->session;
    next.status = SessionStatus::Cancelled;
    m_ledger.putSession(next);
}

void CatalogueEditor::cancelEvent(const std::string& id) {
    if (!exists("event", id)) throw ApiError(404, "not_found", fmt::format("no event '{}'", id));
    for (const SqlRow& r : m_conn.query("SELECT id FROM session WHERE event_id = $1", {id}))
        cancelSession(r.text(0));
}

void CatalogueEditor::remove(std::string_view entity, const std::string& id) {
    struct Rule {
        std::string_view entity, inUseSql, why;
    };
    static const Rule kRules[] = {
        {wire::kCategory, "SELECT 1 FROM event WHERE category_id = $1", "events use it"},
        {wire::kVenue, "SELECT 1 FROM session WHERE venue_id = $1", "sessions use it"},
        {wire::kOrganizer, "SELECT 1 FROM event WHERE organizer_id = $1", "events use it"},
        {wire::kEvent, "SELECT 1 FROM session WHERE event_id = $1", "it has sessions"},
        {wire::kSession,
         "SELECT 1 FROM registration WHERE session_id = $1 UNION ALL "
         "SELECT 1 FROM lease WHERE session_id = $1 AND released_at IS NULL",
         "it has registrations or seats leased to kiosks (cancel it instead)"},
    };
    auto rule = std::find_if(std::begin(kRules), std::end(kRules),
                             [&](const Rule& r) { return r.entity == entity; });
    if (rule == std::end(kRules))
        throw ApiError(404, "not_found", fmt::format("unknown kind of record '{}'", entity));
    if (!exists(entity, id))
        throw ApiError(404, "not_found", fmt::format("no {} '{}'", entity, id));
    if (m_conn.scalar(rule->inUseSql, {id}))
        throw ApiError(409, "in_use",
                       fmt::format("{} '{}' cannot be deleted: {}", entity, id, rule->why));
    if (entity == wire::kSession) m_conn.query("DELETE FROM lease WHERE session_id = $1", {id});
    m_conn.query(fmt::format("DELETE FROM {} WHERE id = $1", entity), {id});
    m_changes.remove(entity, id);
}

void CatalogueEditor::putAll(const CatalogueData& data) {
    for (const auto& c : data.categories) putCategory(c);
    for (const auto& v : data.venues) putVenue(v);
    for (const auto& o : data.organizers) putOrganizer(o);
    for (const auto& in : data.events) {
        Event e = in;
        if (data.partialEvents) {
            CatalogueData known = readEvents(m_conn, e.id);
            if (!known.events.empty()) {
                const Event& old = known.events.front();
                e.description = old.description;
                e.form = old.form;
                e.organizerId = old.organizerId;
                e.ageMin = old.ageMin;
                e.ageMax = old.ageMax;
                for (const auto& [lang, text] : old.title.byLang)
                    if (!e.title.has(lang)) e.title.byLang[lang] = text;
            }
        }
        putEvent(e);
    }
    for (const auto& s : data.sessions) putSession(s);
}

void CatalogueEditor::flush() {
    m_ledger.flush(m_changes);
}

std::optional<json> sessionReport(SqlConnection& conn, const std::string& id,
                                  const LedgerOptions& options, Timestamp now) {
    SeatLedger ledger(conn, options, now);
    ledger.loadSessions({id});
    LedgerSession* s = ledger.session(id);
    if (!s) return std::nullopt;
    json regs = json::array();
    for (const SqlRow& r :
         conn.query("SELECT id, kiosk_id, status, waitlist_pos, code, arrival FROM registration "
                    "WHERE session_id = $1 ORDER BY arrival",
                    {id}))
        regs.push_back({{"id", r.text(0)},
                        {"kiosk_id", r.text(1)},
                        {"status", r.text(2)},
                        {"waitlist_position", r.isNull(3) ? json(nullptr) : json(r.integer(3))},
                        {"code", r.text(4)},
                        {"arrival", r.integer(5)}});
    json leases = json::array();
    for (const SqlRow& r : conn.query("SELECT id, kiosk_id, seats, used, expires_at FROM lease "
                                      "WHERE session_id = $1 AND released_at IS NULL ORDER BY id",
                                      {id}))
        leases.push_back({{"lease_id", r.text(0)},
                          {"kiosk_id", r.text(1)},
                          {"seats", r.integer(2)},
                          {"used", r.integer(3)},
                          {"expires_at", r.integer(4)}});
    json out = wire::toWire(s->session, ledger.counts(*s));
    out["registrations"] = std::move(regs);
    out["leases"] = std::move(leases);
    return out;
}

}  // namespace fadaa::server
