// tests/unit/registration_fixture.hpp - a kiosk store for the registration tests, with events
// and sessions seeded by plain SQL (the tests do not depend on Catalogue, written alongside).
#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

#include "model/model.hpp"
#include "registration/registration.hpp"
#include "store/database.hpp"
#include "support/test_support.hpp"

namespace fadaa::test {

// A fixed "now" for the tests: 2026-12-01T10:00:00Z. Sessions are placed around it.
inline constexpr Timestamp kNow = 1796119200;
inline constexpr Timestamp kDay = 86400;

struct SeedSession {
    std::string id = "s1";
    std::string eventId = "e1";
    std::optional<int> capacity = 2;
    Timestamp startsAt = kNow + 7 * kDay;
    std::optional<Timestamp> regOpensAt;
    std::optional<Timestamp> regClosesAt;
    std::string status = "scheduled";
};

// An event (and its category) with a form definition (JSON array) and the registration flag.
inline void seedEvent(Database& db, const std::string& id, const std::string& formJson = "[]",
                      bool registrationRequired = true) {
    db.prepare("INSERT OR IGNORE INTO category(id, name) VALUES ('chess', '{\"fr\":\"Échecs\"}')")
        .exec();
    db.prepare(
          "INSERT INTO event(id, category_id, title, registration_required, form) "
          "VALUES (?, 'chess', '{\"fr\":\"Tournoi\"}', ?, ?)")
        .bindAll(id, registrationRequired ? 1 : 0, formJson)
        .exec();
}

inline void seedSession(Database& db, const SeedSession& s) {
    db.prepare(
          "INSERT INTO session(id, event_id, starts_at, ends_at, capacity, reg_opens_at, "
          "reg_closes_at, status) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
        .bindAll(s.id, s.eventId, s.startsAt, s.startsAt + 7200, s.capacity, s.regOpensAt,
                 s.regClosesAt, s.status)
        .exec();
}

// One integer from a query with no parameters.
inline std::int64_t scalar(Database& db, const std::string& sql) {
    auto& st = db.prepare(sql);
    std::int64_t value = st.step() ? st.getInt(0) : -1;
    st.reset();
    return value;
}

// A fresh kiosk store with event e1 (form as given) and one session (default: s1, 2 seats,
// next week), and a RegistrationService on it.
struct Kiosk {
    TempDir dir;
    Database db{dir / "kiosk.sqlite"};
    RegistrationService service{db, "kiosk-1"};

    explicit Kiosk(const SeedSession& session = {}, const std::string& form = "[]") {
        seedEvent(db, session.eventId, form);
        seedSession(db, session);
    }
    RegistrationOutcome add(const std::string& name, const std::string& phone,
                            const std::string& sessionId = "s1", Timestamp at = kNow) {
        RegistrationRequest r;
        r.sessionId = sessionId;
        r.name = name;
        r.phone = phone;
        return service.registerFor(r, at);
    }
    // The payloads of the outbox rows of one kind, in seq order.
    std::vector<nlohmann::json> outbox(const std::string& kind) {
        std::vector<nlohmann::json> out;
        auto& st =
            db.prepare("SELECT payload FROM outbox WHERE kind = ? ORDER BY seq").bindAll(kind);
        while (st.step()) out.push_back(nlohmann::json::parse(st.getText(0)));
        return out;
    }
    std::int64_t count(const std::string& sql) { return scalar(db, sql); }
};

// Distinct people's phones: 06 12 34 56 10, 06 12 34 56 11, ... (i < 90).
inline std::string phoneOf(int i) {
    return "06 12 34 56 " + std::to_string(10 + i);
}

}  // namespace fadaa::test
