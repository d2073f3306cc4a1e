// core/catalogue/demo_seed.hpp - the demo catalogue, seeded the same way by `fadaa demo` and
// `fadaa-kiosk --demo`: the file imported, then each session's `taken` seats filled with
// clearly fake registrations ("Demo 1", +212600000001, ...) through the real
// RegistrationService, so the demo shows nearly full sessions and waiting lists honestly.
#pragma once

#include <string>

#include "catalogue/catalogue_io.hpp"
#include "model/model.hpp"

namespace fadaa {

class Database;

struct DemoSeedResult {
    bool seeded = false;     // false: the store already had events, nothing was written
    int existingEvents = 0;  // when not seeded
    ImportSummary imported;
    int placeholders = 0;     // fake registrations written
    int refusedSessions = 0;  // sessions that took no placeholder (registration closed, ...)
    std::string firstRefusedSession, firstRefusalKey;  // the first refusal and its message key
};

// Seeds `parsed` (read with readCatalogueFile at `now`) into db if it has no events. The
// import is one transaction; placeholders are registered one by one from `kioskId`, with
// `actor` in the audit log. Throws ImportError / StoreError like importCatalogue.
DemoSeedResult seedDemoCatalogue(Database& db, const CatalogueFile& parsed,
                                 const std::string& kioskId, const std::string& actor,
                                 Timestamp now);

}  // namespace fadaa
