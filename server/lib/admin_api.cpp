// server/lib/admin_api.cpp - the admin routes: central catalogue editing, session reports,
// cancelling a registration, listing kiosks. Authorised by the admin token (separate from every
// kiosk token). Records travel in the same JSON form as in pulls (core/sync/wire.hpp).
#include <httplib.h>
#include <spdlog/spdlog.h>

#include "api_error.hpp"
#include "catalogue_io_bridge.hpp"
#include "catalogue_service.hpp"
#include "http_api.hpp"
#include "http_support.hpp"
#include "kiosk_registry.hpp"
#include "sql.hpp"
#include "sync/json_fields.hpp"
#include "sync/wire.hpp"
#include "util/ids.hpp"
#include "util/time.hpp"

namespace fadaa::server {

using nlohmann::json;

void HttpServer::requireAdmin(SqlConnection& conn, const httplib::Request& req) {
    if (!checkAdminToken(conn, bearerToken(req), m_options.adminTokenHash))
        throw ApiError(401, "not_admin",
                       "this request needs the admin token (fadaa-server admin token)");
}

namespace {

constexpr const char* kIdPattern = "([A-Za-z0-9._-]{1,64})";
constexpr const char* kKinds = "(categories|venues|organizers|events|sessions)";

std::string_view entityOfPlural(const std::string& plural) {
    if (plural == "categories") return wire::kCategory;
    if (plural == "venues") return wire::kVenue;
    if (plural == "organizers") return wire::kOrganizer;
    if (plural == "events") return wire::kEvent;
    return wire::kSession;
}

// One record of kind `plural` from a PUT body whose id must match the path's.
CatalogueData recordFromWire(const std::string& plural, const std::string& id, json body) {
    if (body.is_object() && !body.contains("id")) body["id"] = id;
    CatalogueData d;
    std::string_view entity = entityOfPlural(plural);
    if (entity == wire::kCategory)
        d.categories.push_back(wire::categoryFromWire(body, ""));
    else if (entity == wire::kVenue)
        d.venues.push_back(wire::venueFromWire(body, ""));
    else if (entity == wire::kOrganizer)
        d.organizers.push_back(wire::organizerFromWire(body, ""));
    else if (entity == wire::kEvent)
        d.events.push_back(wire::eventFromWire(body, ""));
    else
        d.sessions.push_back(wire::sessionFromWire(body, ""));
    if (body["id"] != id)
        throw ApiError(400, "invalid_value", "id: differs from the id in the path");
    return d;
}

}  // namespace

void HttpServer::installAdminRoutes() {
    httplib::Server& http = *m_http;
    // Runs an admin request in one transaction of `kind`; f's JSON is the answer.
    auto admin = [this](const httplib::Request& req, httplib::Response& res, TxKind kind,
                        const std::function<json(SqlConnection&)>& f) {
        guarded(res, [&] {
            auto conn = m_backend.acquire();
            requireAdmin(*conn, req);
            SqlTransaction tx(*conn, kind);
            json out = f(*conn);
            tx.commit();
            sendJson(res, 200, out);
        });
    };
    // An edit of the catalogue: its ledger and change-log entries are written before commit.
    auto edit = [this, admin](const httplib::Request& req, httplib::Response& res,
                              const std::function<json(CatalogueEditor&)>& f) {
        admin(req, res, TxKind::Write, [&](SqlConnection& conn) {
            CatalogueEditor editor(conn, m_options.ledger, now());
            json out = f(editor);
            editor.flush();
            return out;
        });
    };

    http.Get("/v1/admin/catalogue", [admin](const httplib::Request& req, httplib::Response& res) {
        admin(req, res, TxKind::Read,
              [](SqlConnection& conn) { return catalogueToWire(readCatalogue(conn)); });
    });

    http.Put("/v1/admin/catalogue",
             [this, edit](const httplib::Request& req, httplib::Response& res,
                          const httplib::ContentReader& reader) {
                 std::string body;
                 guarded(res, [&] { body = readBody(req, reader); });
                 if (res.status >= 400) return;
                 edit(req, res, [&](CatalogueEditor& editor) {
                     CatalogueData d = catalogueFromWire(parseJson(body));
                     editor.putAll(d);
                     return json{{"categories", d.categories.size()},
                                 {"venues", d.venues.size()},
                                 {"organizers", d.organizers.size()},
                                 {"events", d.events.size()},
                                 {"sessions", d.sessions.size()}};
                 });
             });

    http.Put(fmt::format("/v1/admin/{}/{}", kKinds, kIdPattern),
             [this, edit](const httplib::Request& req, httplib::Response& res,
                          const httplib::ContentReader& reader) {
                 std::string body;
                 guarded(res, [&] { body = readBody(req, reader); });
                 if (res.status >= 400) return;
                 edit(req, res, [&](CatalogueEditor& editor) {
                     editor.putAll(recordFromWire(req.matches[1], req.matches[2], parseJson(body)));
                     return json{{"ok", true}};
                 });
             });

    http.Delete(fmt::format("/v1/admin/{}/{}", kKinds, kIdPattern),
                [edit](const httplib::Request& req, httplib::Response& res) {
                    edit(req, res, [&](CatalogueEditor& editor) {
                        editor.remove(entityOfPlural(req.matches[1]), req.matches[2]);
                        return json{{"ok", true}};
                    });
                });

    http.Post(fmt::format("/v1/admin/(sessions|events)/{}/cancel", kIdPattern),
              [edit](const httplib::Request& req, httplib::Response& res) {
                  edit(req, res, [&](CatalogueEditor& editor) {
                      if (req.matches[1] == "sessions")
                          editor.cancelSession(req.matches[2]);
                      else
                          editor.cancelEvent(req.matches[2]);
                      return json{{"ok", true}};
                  });
              });

    http.Get(fmt::format("/v1/admin/sessions/{}", kIdPattern),
             [this, admin](const httplib::Request& req, httplib::Response& res) {
                 admin(req, res, TxKind::Read, [&](SqlConnection& conn) {
                     auto report = sessionReport(conn, req.matches[1], m_options.ledger, now());
                     if (!report) throw ApiError(404, "not_found", "no such session");
                     return *report;
                 });
             });

    // A cancellation made centrally (phone call, front desk): promotes the next waitlisted
    // person; every kiosk learns the new statuses on its next pull.
    http.Post("/v1/admin/registrations/([0-9a-f-]{36})/cancel",
              [this, admin](const httplib::Request& req, httplib::Response& res) {
                  admin(req, res, TxKind::Write, [&](SqlConnection& conn) {
                      SeatLedger ledger(conn, m_options.ledger, now());
                      ledger.loadRegistrations({req.matches[1]});
                      LedgerRegistration* r = ledger.registration(req.matches[1]);
                      if (!r) throw ApiError(404, "not_found", "no such registration");
                      if (r->status == "attended")
                          throw ApiError(409, "already_attended",
                                         "the person has already attended");
                      ledger.cancel(*r, "");
                      json out = registrationToWire(*r);
                      ChangeBuffer changes;
                      ledger.flush(changes);
                      return out;
                  });
              });

    http.Get("/v1/admin/kiosks", [admin](const httplib::Request& req, httplib::Response& res) {
        admin(req, res, TxKind::Read, [](SqlConnection& conn) {
            json out = json::array();
            for (const KioskInfo& k : listKiosks(conn))
                out.push_back(
                    {{"id", k.id},
                     {"name", k.name},
                     {"status", k.status},
                     {"last_seen_at", k.lastSeenAt ? json(*k.lastSeenAt) : json(nullptr)}});
            return json{{"kiosks", out}};
        });
    });
}

}  // namespace fadaa::server
