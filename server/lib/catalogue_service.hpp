// server/lib/catalogue_service.hpp - the central catalogue: reading it, and editing it from the
// admin API and `fadaa-server catalogue import`. Every write puts its change-log entries in the
// same transaction, so kiosks receive it on their next pull.
#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

#include "model/model.hpp"
#include "seat_ledger.hpp"

namespace fadaa::server {

class SqlConnection;
class SqlRow;

struct CatalogueData {
    std::vector<Category> categories;
    std::vector<Venue> venues;
    std::vector<Organizer> organizers;
    std::vector<Event> events;
    std::vector<Session> sessions;
    // Events carry only category, registration flag and titles (a CSV import): an event the
    // server already has keeps its description, form, organizer and audience.
    bool partialEvents = false;
};

// The session columns sessionFromRow() reads, in its order, for "SELECT <these> FROM session s".
inline constexpr const char* kSessionColumns =
    "s.id, s.event_id, s.venue_id, s.starts_at, s.ends_at, s.capacity, s.reg_opens_at, "
    "s.reg_closes_at, s.status, s.updated_at";
inline constexpr size_t kSessionColumnCount = 10;
Session sessionFromRow(const SqlRow& row);

// Everything, sorted by id (sessions by start, then id).
CatalogueData readCatalogue(SqlConnection& conn);
// Only the events (all, or the one with onlyId).
CatalogueData readEvents(SqlConnection& conn,
                         const std::optional<std::string>& onlyId = std::nullopt);

// Writes within the caller's write transaction. References are checked first (ApiError 409
// "unknown_reference"). A session goes through the seat ledger: a capacity change promotes
// waitlisted people or is refused below the seats taken and leased (409).
class CatalogueEditor {
public:
    CatalogueEditor(SqlConnection& conn, const LedgerOptions& options, Timestamp now);

    void putCategory(const Category& c);
    void putVenue(const Venue& v);
    void putOrganizer(const Organizer& o);
    void putEvent(const Event& e);  // the server numbers versions: stored version + 1
    void putSession(const Session& s);
    // Cancels a session (or every session of an event); registrations keep their status.
    void cancelSession(const std::string& id);
    void cancelEvent(const std::string& id);
    // Deletes a record nobody refers to (409 "in_use" otherwise: cancel instead); 404 if absent.
    void remove(std::string_view entity, const std::string& id);
    // Upserts a whole catalogue (import); all-or-nothing with the caller's transaction.
    void putAll(const CatalogueData& data);

    // Writes the ledger's rows and every buffered change. Call once, before commit.
    void flush();

private:
    bool exists(std::string_view table, const std::string& id);
    void requireRef(std::string_view table, const std::optional<std::string>& id,
                    std::string_view what);

    SqlConnection& m_conn;
    Timestamp m_now;
    SeatLedger m_ledger;
    ChangeBuffer m_changes;
};

// GET /v1/admin/sessions/{id}: the session with its counts and its registrations (id, kiosk,
// status, waitlist position, code: no personal data). nullopt when unknown.
std::optional<nlohmann::json> sessionReport(SqlConnection& conn, const std::string& id,
                                            const LedgerOptions& options, Timestamp now);

}  // namespace fadaa::server
