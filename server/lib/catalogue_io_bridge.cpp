// server/lib/catalogue_io_bridge.cpp - catalogue documents for import, export and the admin API.
//
// Files in the catalogue format (docs/catalogue-format.md: JSON or CSV) are read by core's
// catalogue_io, the same reader `fadaa import` uses; the admin API's record form (the form
// kiosks pull) is accepted too. Export writes the catalogue format through catalogue_io's
// exporter, from an in-memory kiosk store filled with the server's records.
#include "catalogue_io_bridge.hpp"

#include <fmt/format.h>

#include <fstream>
#include <sstream>

#include "catalogue/catalogue.hpp"
#include "catalogue/catalogue_io.hpp"
#include "store/database.hpp"
#include "sync/json_fields.hpp"
#include "sync/wire.hpp"

namespace fadaa::server {

using nlohmann::json;

CatalogueData catalogueFromWire(const json& body) {
    JsonFields f(body, "", {"categories", "venues", "organizers", "events", "sessions"});
    CatalogueData d;
    auto each = [&](const char* key, auto&& read) {
        if (const json* list = f.optValue(key)) {
            requireArray(*list, key);
            for (size_t i = 0; i < list->size(); ++i)
                read((*list)[i], fmt::format("{}[{}]", key, i));
        }
    };
    each("categories", [&](const json& j, const std::string& p) {
        d.categories.push_back(wire::categoryFromWire(j, p));
    });
    each("venues", [&](const json& j, const std::string& p) {
        d.venues.push_back(wire::venueFromWire(j, p));
    });
    each("organizers", [&](const json& j, const std::string& p) {
        d.organizers.push_back(wire::organizerFromWire(j, p));
    });
    each("events", [&](const json& j, const std::string& p) {
        d.events.push_back(wire::eventFromWire(j, p));
    });
    each("sessions", [&](const json& j, const std::string& p) {
        d.sessions.push_back(wire::sessionFromWire(j, p));
    });
    return d;
}

json catalogueToWire(const CatalogueData& d) {
    json out = {{"categories", json::array()},
                {"venues", json::array()},
                {"organizers", json::array()},
                {"events", json::array()},
                {"sessions", json::array()}};
    for (const auto& c : d.categories) out["categories"].push_back(wire::toWire(c));
    for (const auto& v : d.venues) out["venues"].push_back(wire::toWire(v));
    for (const auto& o : d.organizers) out["organizers"].push_back(wire::toWire(o));
    for (const auto& e : d.events) out["events"].push_back(wire::toWire(e));
    for (const auto& s : d.sessions) out["sessions"].push_back(wire::toWire(s));
    return out;
}

CatalogueData loadCatalogueFile(const std::filesystem::path& path, Timestamp now) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error("cannot read " + path.string());
    std::stringstream buffer;
    buffer << in.rdbuf();
    std::string text = buffer.str();
    // The record form has no "format" key; the catalogue format always does (or is CSV).
    json probe = json::parse(text, nullptr, false);
    if (probe.is_object() && !probe.contains("format")) return catalogueFromWire(probe);
    try {
        CatalogueFile file = readCatalogueFile(path, now);
        CatalogueData d;
        d.categories = std::move(file.categories);
        d.venues = std::move(file.venues);
        d.organizers = std::move(file.organizers);
        d.events = std::move(file.events);
        d.sessions = std::move(file.sessions);
        d.partialEvents = file.partialEvents;
        return d;
    } catch (const ImportError& e) {
        throw std::runtime_error(fmt::format("{}: {} (nothing imported)", path.string(), e.what()));
    }
}

std::string saveCatalogueText(const CatalogueData& data) {
    // catalogue_io exports from a kiosk store: fill a throw-away one in memory.
    DatabaseOptions options;
    options.durability = Durability::Normal;
    Database db(":memory:", options);
    CatalogueFile file;
    file.categories = data.categories;
    file.venues = data.venues;
    file.organizers = data.organizers;
    file.events = data.events;
    file.sessions = data.sessions;
    for (const auto& e : data.events) file.eventPlaces.push_back("events." + e.id);
    for (const auto& s : data.sessions) file.sessionPlaces.push_back("sessions." + s.id);
    importCatalogue(db, file);
    return exportCatalogueJson(db);
}

}  // namespace fadaa::server
