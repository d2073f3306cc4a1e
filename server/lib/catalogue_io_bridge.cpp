// server/lib/catalogue_io_bridge.cpp - catalogue documents for import, export and the admin API.
#include "catalogue_io_bridge.hpp"

#include <fmt/format.h>

#include <fstream>
#include <sstream>

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
    json out = {{"categories", json::array()}, {"venues", json::array()},
                {"organizers", json::array()}, {"events", json::array()},
                {"sessions", json::array()}};
    for (const auto& c : d.categories) out["categories"].push_back(wire::toWire(c));
    for (const auto& v : d.venues) out["venues"].push_back(wire::toWire(v));
    for (const auto& o : d.organizers) out["organizers"].push_back(wire::toWire(o));
    for (const auto& e : d.events) out["events"].push_back(wire::toWire(e));
    for (const auto& s : d.sessions) out["sessions"].push_back(wire::toWire(s));
    return out;
}

CatalogueData loadCatalogueFile(const std::filesystem::path& path, Timestamp) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error("cannot read " + path.string());
    std::stringstream text;
    text << in.rdbuf();
    return catalogueFromWire(parseJson(text.str()));
}

std::string saveCatalogueText(const CatalogueData& data) { return catalogueToWire(data).dump(2) + "\n"; }

}  // namespace fadaa::server
