// server/lib/catalogue_io_bridge.hpp - `fadaa-server catalogue import|export`: catalogue files
// (docs/catalogue-format.md) to and from the server's CatalogueData.
#pragma once

#include <filesystem>
#include <string>

#include "catalogue_service.hpp"

namespace fadaa::server {

// Reads and checks a catalogue file. Throws std::runtime_error naming the place of a problem.
CatalogueData loadCatalogueFile(const std::filesystem::path& path, Timestamp now);

// The catalogue as a document `catalogue import` reads back to the same records.
std::string saveCatalogueText(const CatalogueData& data);

// The admin API's JSON form ({"categories": [...], ..., "sessions": [...]}, records as in
// pulls) to and from CatalogueData. fromWire throws WireError naming the field.
CatalogueData catalogueFromWire(const nlohmann::json& body);
nlohmann::json catalogueToWire(const CatalogueData& data);

}  // namespace fadaa::server
