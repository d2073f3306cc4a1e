// tests/unit/demo_catalogue_test.cpp - assets/demo/catalogue.json read on its own with
// nlohmann-json (independently of the importer): big enough, every category used, every event
// titled in Arabic, French and English, ids unique, references resolving, days in six weeks,
// and the situations the demo must show (nearly full, full, no registration, cancelled).
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <string>

#include "i18n/bidi.hpp"
#include "support/test_support.hpp"

using namespace fadaa;
using nlohmann::json;

namespace {

const json& demo() {
    static const json doc = json::parse(test::readFile(test::assetsDir() / "demo/catalogue.json"));
    return doc;
}

bool hasText(const json& text, const char* lang) {
    return text.is_object() && text.contains(lang) && text[lang].is_string() &&
           !text[lang].get<std::string>().empty();
}

std::set<std::string> idsOf(const json& list) {
    std::set<std::string> ids;
    for (const auto& item : list) ids.insert(item.at("id").get<std::string>());
    return ids;
}

}  // namespace

TEST_CASE("the demo catalogue parses and declares its format") {
    const json& doc = demo();
    CHECK(doc.at("format") == "fadaa-catalogue");
    CHECK(doc.at("version") == 1);
    CHECK(doc.at("timezone") == "Africa/Casablanca");
}

TEST_CASE("the demo catalogue has six weeks of events in every category") {
    const json& doc = demo();
    const json& events = doc.at("events");
    CHECK(events.size() >= 40);
    size_t sessions = 0;
    std::set<std::string> usedCategories;
    for (const auto& e : events) {
        sessions += e.at("sessions").size();
        usedCategories.insert(e.at("category").get<std::string>());
        for (const auto& s : e.at("sessions")) {
            INFO(s.at("id"));
            CHECK(s.at("day").get<int>() >= 0);
            CHECK(s.at("day").get<int>() <= 41);
            CHECK(std::regex_match(s.at("time").get<std::string>(),
                                   std::regex("([01][0-9]|2[0-3]):[0-5][0-9]")));
            CHECK(s.at("duration_min").get<int>() > 0);
        }
    }
    CHECK(sessions >= 120);
    const std::set<std::string> declared = idsOf(doc.at("categories"));
    CHECK(usedCategories == declared);
    for (const char* required : {"play", "concert", "chess", "conference", "workshop", "bootcamp",
                                 "reading", "intergenerational", "course", "sport"})
        CHECK(declared.count(required) == 1);
}

TEST_CASE("every event is titled and described in Arabic, French and English") {
    int tamazightTitles = 0;
    for (const auto& e : demo().at("events")) {
        INFO(e.at("id"));
        for (const char* lang : {"ar", "fr", "en"}) {
            CHECK(hasText(e.at("title"), lang));
            CHECK(hasText(e.at("description"), lang));
        }
        // The Arabic really is Arabic (not French pasted in), the others are not.
        CHECK(paragraphDirection(e["title"]["ar"].get<std::string>()) ==
              TextDirection::RightToLeft);
        CHECK_FALSE(containsRtl(e["title"]["fr"].get<std::string>()));
        if (hasText(e.at("title"), "zgh")) ++tamazightTitles;
    }
    CHECK(tamazightTitles >= 3);
    for (const auto& c : demo().at("categories"))
        for (const char* lang : {"ar", "fr", "en", "zgh"}) CHECK(hasText(c.at("name"), lang));
}

TEST_CASE("ids are unique, well formed, and every reference resolves") {
    const json& doc = demo();
    const std::regex idPattern("[A-Za-z0-9._-]{1,64}");
    for (const char* list : {"categories", "venues", "organizers", "events"}) {
        INFO(list);
        CHECK(idsOf(doc.at(list)).size() == doc.at(list).size());
        for (const auto& item : doc.at(list))
            CHECK(std::regex_match(item.at("id").get<std::string>(), idPattern));
    }
    const auto venues = idsOf(doc.at("venues"));
    const auto organizers = idsOf(doc.at("organizers"));
    std::set<std::string> sessionIds;
    size_t sessionCount = 0;
    for (const auto& e : doc.at("events")) {
        INFO(e.at("id"));
        CHECK(organizers.count(e.at("organizer").get<std::string>()) == 1);
        for (const auto& s : e.at("sessions")) {
            ++sessionCount;
            sessionIds.insert(s.at("id").get<std::string>());
            CHECK(std::regex_match(s.at("id").get<std::string>(), idPattern));
            CHECK(venues.count(s.at("venue").get<std::string>()) == 1);
        }
    }
    CHECK(sessionIds.size() == sessionCount);
}

TEST_CASE("capacities are realistic and the demo shows every seat situation") {
    int nearlyFull = 0, full = 0, cancelled = 0, withoutRegistration = 0;
    for (const auto& e : demo().at("events")) {
        const bool registration = e.at("registration_required").get<bool>();
        if (!registration) ++withoutRegistration;
        for (const auto& s : e.at("sessions")) {
            INFO(s.at("id"));
            if (s.at("status") == "cancelled")
                ++cancelled;
            else
                CHECK(s.at("status") == "scheduled");
            if (s.contains("reg_closes_day"))
                CHECK(s["reg_closes_day"].get<int>() <= s["day"].get<int>());
            if (!s.contains("capacity") || s["capacity"].is_null()) {
                CHECK_FALSE(s.contains("taken"));
                continue;
            }
            const int capacity = s["capacity"].get<int>();
            const int taken = s.value("taken", 0);
            CHECK(capacity > 0);
            CHECK(capacity <= 500);
            CHECK(taken >= 0);
            CHECK(taken <= capacity);
            if (taken == capacity)
                ++full;
            else if (capacity - taken <= std::max(1, capacity / 10))
                ++nearlyFull;
        }
    }
    CHECK(nearlyFull >= 5);
    CHECK(full >= 3);
    CHECK(withoutRegistration >= 2);
    CHECK(cancelled == 1);
}

TEST_CASE("chess competitions ask section, rating, FIDE id, club and a guardian's phone") {
    int competitions = 0;
    for (const auto& e : demo().at("events")) {
        if (e.at("category") != "chess" || e.at("form").empty()) continue;
        INFO(e.at("id"));
        ++competitions;
        std::set<std::string> keys;
        const json* section = nullptr;
        for (const auto& field : e.at("form")) {
            keys.insert(field.at("key").get<std::string>());
            if (field.at("key") == "section") section = &field;
        }
        CHECK(keys ==
              std::set<std::string>{"section", "rating", "fide_id", "club", "guardian_phone"});
        REQUIRE(section != nullptr);
        CHECK(section->at("type") == "choice");
        CHECK(section->value("required", false));
        // One session per age section.
        CHECK(e.at("sessions").size() == section->at("choices").size());
        CHECK(e.at("sessions").size() >= 2);
    }
    CHECK(competitions >= 2);
}
