// core/catalogue/catalogue_json.cpp - the JSON catalogue document: a strict reader that names
// the JSON path of the first problem, and the writer used by `fadaa export --format json`.
#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <vector>

#include "catalogue/catalogue.hpp"
#include "catalogue/catalogue_io.hpp"
#include "catalogue/catalogue_io_detail.hpp"
#include "i18n/utf8.hpp"
#include "store/database.hpp"
#include "sync/json_fields.hpp"
#include "util/time.hpp"

namespace fadaa {

using nlohmann::json;

namespace {

std::string describe(const json& j) { return describeJsonType(j); }

// A JSON value with its path in the document, and typed accessors that throw ImportError
// naming that path. A missing key is an At whose value is null and present() false.
class At {
public:
    At(const json& value, std::string path) : m_value(value), m_path(std::move(path)) {}

    const json& value() const { return m_value; }
    const std::string& path() const { return m_path; }
    bool present() const { return !m_value.is_null(); }

    [[noreturn]] void fail(const std::string& reason) const {
        throw ImportError(m_path.empty() ? "document" : m_path, reason);
    }

    At operator[](std::string_view key) const {
        static const json kNull;
        std::string path = m_path.empty() ? std::string(key) : m_path + "." + std::string(key);
        auto it = m_value.find(key);
        return At(it == m_value.end() ? kNull : *it, std::move(path));
    }

    // Requires an object whose keys are all in `allowed`.
    void requireObject(std::initializer_list<std::string_view> allowed) const {
        if (!m_value.is_object()) fail("expected an object, found " + describe(m_value));
        for (const auto& [key, v] : m_value.items()) {
            bool known = false;
            for (std::string_view a : allowed) known = known || a == key;
            if (known) continue;
            std::string list;
            for (std::string_view a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
            (*this)[key].fail("unknown key (expected one of: " + list + ")");
        }
    }

    // The elements of a list; an absent list is empty.
    std::vector<At> elements() const {
        std::vector<At> out;
        if (!present()) return out;
        if (!m_value.is_array()) fail("expected a list, found " + describe(m_value));
        for (size_t i = 0; i < m_value.size(); ++i)
            out.emplace_back(m_value[i], fmt::format("{}[{}]", m_path, i));
        return out;
    }

    std::string text() const {
        if (!present()) fail("missing");
        if (!m_value.is_string()) fail("expected text, found " + describe(m_value));
        return m_value.get<std::string>();
    }

    std::string id() const {
        std::string value = text();
        if (auto bad = badIdReason(value)) fail(*bad);
        return value;
    }
    std::optional<std::string> optId() const {
        if (!present()) return std::nullopt;
        return id();
    }

    std::int64_t integer(std::int64_t lo, std::int64_t hi) const {
        if (!present()) fail("missing");
        if (!m_value.is_number_integer())
            fail("expected a whole number, found " + describe(m_value));
        if (m_value.is_number_unsigned() && m_value.get<std::uint64_t>() > std::uint64_t(hi))
            fail(fmt::format("must be between {} and {}", lo, hi));
        std::int64_t v = m_value.get<std::int64_t>();
        if (v < lo || v > hi) fail(fmt::format("must be between {} and {}", lo, hi));
        return v;
    }
    std::optional<std::int64_t> optInteger(std::int64_t lo, std::int64_t hi) const {
        if (!present()) return std::nullopt;
        return integer(lo, hi);
    }

    bool boolean(bool fallback) const {
        if (!present()) return fallback;
        if (!m_value.is_boolean()) fail("expected true or false, found " + describe(m_value));
        return m_value.get<bool>();
    }

    // Translatable text: {"ar": .., "fr": .., "en": .., "zgh": ..}, or a plain string (French).
    LocalizedText localized(bool required) const {
        LocalizedText out;
        if (!present()) {
            if (required) fail("missing");
            return out;
        }
        if (m_value.is_string()) {
            out.byLang["fr"] = m_value.get<std::string>();
        } else if (m_value.is_object()) {
            for (const auto& [lang, v] : m_value.items()) {
                bool known = false;
                for (std::string_view l : kLanguages) known = known || l == lang;
                if (!known) (*this)[lang].fail("unknown language (expected ar, fr, en or zgh)");
                out.byLang[lang] = (*this)[lang].text();
            }
        } else {
            fail("expected text or an object of texts by language, found " + describe(m_value));
        }
        bool any = false;
        for (const auto& [lang, t] : out.byLang) any = any || !t.empty();
        if (required && !any) fail("empty: give the text in at least one language");
        return out;
    }

private:
    const json& m_value;
    std::string m_path;
};

// nlohmann keeps the last of two equal keys silently; a catalogue must not lose the first, so
// a parser callback tracks the path and rejects the second.
class DuplicateKeyCheck {
public:
    bool operator()(int, json::parse_event_t event, json& parsed) {
        using E = json::parse_event_t;
        if (event == E::object_start || event == E::array_start) {
            countElement();
            m_frames.push_back({event == E::array_start, -1, {}, {}});
        } else if (event == E::object_end || event == E::array_end) {
            if (!m_frames.empty()) m_frames.pop_back();
        } else if (event == E::value) {
            countElement();
        } else if (event == E::key && !m_frames.empty()) {
            std::string key = parsed.get<std::string>();
            if (!m_frames.back().keys.insert(key).second) {
                std::string path;
                for (size_t i = 0; i + 1 < m_frames.size(); ++i) path += segment(m_frames[i]);
                path += "." + key;
                if (path[0] == '.') path.erase(0, 1);
                throw ImportError(path, "the same key appears twice in one object");
            }
            m_frames.back().key = key;
        }
        return true;
    }

private:
    struct Frame {
        bool isArray;
        int index;
        std::string key;
        std::set<std::string> keys;
    };
    void countElement() {
        if (!m_frames.empty() && m_frames.back().isArray) ++m_frames.back().index;
    }
    static std::string segment(const Frame& f) {
        return f.isArray ? fmt::format("[{}]", f.index) : "." + f.key;
    }
    std::vector<Frame> m_frames;
};

FormField parseFormField(const At& at) {
    at.requireObject({"key", "type", "required", "label", "choices", "min", "max", "max_length"});
    FormField f;
    f.key = at["key"].id();
    std::string typeName = at["type"].present() ? at["type"].text() : "text";
    auto type = fieldTypeFromString(typeName);
    if (!type) at["type"].fail("unknown type (expected text, number, choice, phone or boolean)");
    f.type = *type;
    f.required = at["required"].boolean(false);
    f.label = at["label"].localized(true);
    if (at["choices"].present() && f.type != FieldType::Choice)
        at["choices"].fail("only a choice field has choices");
    if ((at["min"].present() || at["max"].present()) && f.type != FieldType::Number)
        at[at["min"].present() ? "min" : "max"].fail("only a number field has min and max");
    if (at["max_length"].present() && f.type != FieldType::Text)
        at["max_length"].fail("only a text field has max_length");
    if (f.type == FieldType::Choice) {
        std::set<std::string> values;
        for (const At& c : at["choices"].elements()) {
            FormChoice choice;
            if (c.value().is_string()) {
                choice.value = c.text();
                choice.label.byLang["fr"] = choice.value;
            } else {
                c.requireObject({"value", "label"});
                choice.value = c["value"].text();
                choice.label = c["label"].present() ? c["label"].localized(true)
                                                    : LocalizedText{{{"fr", choice.value}}};
            }
            if (choice.value.empty()) c.fail("empty choice value");
            if (!values.insert(choice.value).second)
                c.fail(fmt::format("choice '{}' appears twice", choice.value));
            f.choices.push_back(std::move(choice));
        }
        if (f.choices.empty()) at["choices"].fail("a choice field needs at least one choice");
    }
    constexpr std::int64_t kBig = 1'000'000'000'000;
    f.min = at["min"].optInteger(-kBig, kBig);
    f.max = at["max"].optInteger(-kBig, kBig);
    if (f.min && f.max && *f.min > *f.max) at["max"].fail("max is below min");
    if (auto len = at["max_length"].optInteger(1, 10000)) f.maxLength = static_cast<int>(*len);
    return f;
}

// "HH:MM" -> minutes of the day.
int parseClock(const At& at) {
    std::string t = at.text();
    auto d = [&](size_t k) { return t[k] >= '0' && t[k] <= '9'; };
    if (t.size() != 5 || t[2] != ':' || !d(0) || !d(1) || !d(3) || !d(4))
        at.fail(fmt::format("'{}' is not a time (expected HH:MM)", t));
    int h = (t[0] - '0') * 10 + (t[1] - '0'), m = (t[3] - '0') * 10 + (t[4] - '0');
    if (h > 23 || m > 59) at.fail(fmt::format("'{}' is not a time (expected HH:MM)", t));
    return h * 60 + m;
}

Timestamp parseInstant(const At& at, std::string_view zone) {
    std::string text = at.text();
    auto t = parseCatalogueDateTime(text, zone);
    if (!t)
        at.fail(
            fmt::format("'{}' is not a date (expected YYYY-MM-DDTHH:MM, optionally "
                        "with Z or an offset like +01:00)",
                        text));
    return *t;
}

constexpr std::int64_t kMaxDays = 3660;  // relative days: ten years either way

Session parseSession(const At& at, const Event& event, Timestamp now, std::string_view zone,
                     CatalogueFile& out) {
    at.requireObject({"id", "venue", "start", "end", "day", "time", "duration_min", "capacity",
                      "taken", "status", "reg_opens", "reg_closes", "reg_opens_day",
                      "reg_closes_day"});
    Session s;
    s.id = at["id"].id();
    s.eventId = event.id;
    s.venueId = at["venue"].optId();
    bool absolute = at["start"].present() || at["end"].present();
    bool relative = at["day"].present() || at["time"].present() || at["duration_min"].present();
    if (absolute && relative)
        at.fail("give either start and end, or day, time and duration_min, not both");
    if (absolute) {
        s.startsAt = parseInstant(at["start"], zone);
        s.endsAt = parseInstant(at["end"], zone);
        if (s.endsAt < s.startsAt) at["end"].fail("ends before it starts");
    } else if (relative) {
        int day = static_cast<int>(at["day"].integer(-kMaxDays, kMaxDays));
        int minutes = parseClock(at["time"]);
        auto duration = at["duration_min"].integer(1, 60 * 24 * 31);
        s.startsAt = detail::localDayTime(now, day, minutes / 60, minutes % 60, zone);
        s.endsAt = s.startsAt + duration * 60;
    } else {
        at.fail("missing its time: give start and end, or day, time and duration_min");
    }
    if (auto cap = at["capacity"].optInteger(0, 1'000'000)) s.capacity = static_cast<int>(*cap);
    if (at["status"].present()) {
        auto status = sessionStatusFromString(at["status"].text());
        if (!status) at["status"].fail("unknown status (expected scheduled or cancelled)");
        s.status = *status;
    }
    if (at["reg_opens"].present() && at["reg_opens_day"].present())
        at["reg_opens_day"].fail("give reg_opens or reg_opens_day, not both");
    if (at["reg_closes"].present() && at["reg_closes_day"].present())
        at["reg_closes_day"].fail("give reg_closes or reg_closes_day, not both");
    if (at["reg_opens"].present()) s.regOpensAt = parseInstant(at["reg_opens"], zone);
    if (at["reg_closes"].present()) s.regClosesAt = parseInstant(at["reg_closes"], zone);
    if (auto d = at["reg_opens_day"].optInteger(-kMaxDays, kMaxDays))
        s.regOpensAt = detail::localDayStart(now, static_cast<int>(*d), zone);
    if (auto d = at["reg_closes_day"].optInteger(-kMaxDays, kMaxDays))
        s.regClosesAt = detail::localDayStart(now, static_cast<int>(*d), zone);
    if (s.regOpensAt && s.regClosesAt && *s.regClosesAt < *s.regOpensAt)
        at.fail("registration closes before it opens");
    if (auto taken = at["taken"].optInteger(0, 1'000'000)) {
        if (!event.registrationRequired)
            at["taken"].fail("the event takes no registrations (registration_required is false)");
        if (s.capacity && *taken > *s.capacity)
            at["taken"].fail(
                fmt::format("{} taken is more than the capacity {}", *taken, *s.capacity));
        if (*taken > 0) out.taken[s.id] = static_cast<int>(*taken);
    }
    return s;
}

void parseEvent(const At& at, Timestamp now, std::string_view zone, CatalogueFile& out,
                std::map<std::string, std::string>& sessionPlaces) {
    at.requireObject({"id", "category", "organizer", "title", "description", "age_min", "age_max",
                      "registration_required", "form", "sessions"});
    Event e;
    e.id = at["id"].id();
    e.categoryId = at["category"].id();
    e.organizerId = at["organizer"].optId();
    e.title = at["title"].localized(true);
    e.description = at["description"].localized(false);
    if (auto v = at["age_min"].optInteger(0, 150)) e.ageMin = static_cast<int>(*v);
    if (auto v = at["age_max"].optInteger(0, 150)) e.ageMax = static_cast<int>(*v);
    if (e.ageMin && e.ageMax && *e.ageMax < *e.ageMin) at["age_max"].fail("below age_min");
    e.registrationRequired = at["registration_required"].boolean(true);
    std::set<std::string> keys;
    for (const At& field : at["form"].elements()) {
        FormField f = parseFormField(field);
        if (!keys.insert(f.key).second)
            field["key"].fail(fmt::format("field '{}' appears twice in the form", f.key));
        e.form.push_back(std::move(f));
    }
    for (const At& sessionAt : at["sessions"].elements()) {
        Session s = parseSession(sessionAt, e, now, zone, out);
        auto [it, added] = sessionPlaces.emplace(s.id, sessionAt.path());
        if (!added)
            sessionAt["id"].fail(
                fmt::format("session id '{}' already used at {}", s.id, it->second));
        out.sessions.push_back(std::move(s));
        out.sessionPlaces.push_back(sessionAt.path());
    }
    out.events.push_back(std::move(e));
    out.eventPlaces.push_back(at.path());
}

// Reads one list of {id, name, ...} records, rejecting an id seen twice.
template <typename T, typename Fill>
void parseNamed(const At& list, std::vector<T>& out, std::initializer_list<std::string_view> keys,
                Fill fill) {
    std::map<std::string, std::string> seen;
    for (const At& at : list.elements()) {
        at.requireObject(keys);
        T record;
        record.id = at["id"].id();
        record.name = at["name"].localized(true);
        fill(at, record);
        auto [it, added] = seen.emplace(record.id, at.path());
        if (!added) at["id"].fail(fmt::format("id '{}' already used at {}", record.id, it->second));
        out.push_back(std::move(record));
    }
}

}  // namespace

CatalogueFile parseCatalogueJson(std::string_view text, Timestamp now) {
    if (auto bad = utf8::firstInvalid(text)) {
        std::string_view before = text.substr(0, *bad);
        size_t lineStart = before.rfind('\n');
        int line = 1 + static_cast<int>(std::count(before.begin(), before.end(), '\n'));
        size_t column = *bad - (lineStart == std::string_view::npos ? 0 : lineStart + 1) + 1;
        throw ImportError(fmt::format("line {}, column {}", line, column),
                          "invalid UTF-8; save the file as UTF-8");
    }
    json doc;
    try {
        doc = json::parse(text, DuplicateKeyCheck());
    } catch (const json::parse_error& e) {
        // nlohmann says "[json.exception.parse_error.101] parse error at line 3, column 5: ...";
        // keep the place and the reason, drop the library's prefix.
        std::string what = e.what();
        auto at = what.find("parse error at ");
        std::string rest = at == std::string::npos ? what : what.substr(at + 15);
        auto colon = rest.find(": ");
        if (colon == std::string::npos) throw ImportError("document", "not valid JSON: " + rest);
        throw ImportError(rest.substr(0, colon), "not valid JSON: " + rest.substr(colon + 2));
    }

    At root(doc, "");
    root.requireObject(
        {"format", "version", "timezone", "categories", "venues", "organizers", "events"});
    if (root["format"].text() != "fadaa-catalogue")
        root["format"].fail("expected \"fadaa-catalogue\"");
    if (root["version"].integer(0, 1'000'000) != 1)
        root["version"].fail("this Fadaa reads version 1 catalogues only");

    CatalogueFile out;
    if (root["timezone"].present()) {
        out.timezone = root["timezone"].text();
        if (!detail::isKnownZone(out.timezone))
            root["timezone"].fail(
                fmt::format("unknown time zone '{}' (an IANA name such as "
                            "Africa/Casablanca)",
                            out.timezone));
    }
    parseNamed(root["categories"], out.categories, {"id", "name", "sort_order"},
               [](const At& at, Category& c) {
                   c.sortOrder = static_cast<int>(
                       at["sort_order"].optInteger(-1'000'000, 1'000'000).value_or(0));
               });
    parseNamed(root["venues"], out.venues, {"id", "name", "address"}, [](const At& at, Venue& v) {
        if (at["address"].present()) v.address = at["address"].text();
    });
    parseNamed(root["organizers"], out.organizers, {"id", "name"}, [](const At&, Organizer&) {});

    std::map<std::string, std::string> eventPlaces, sessionPlaces;
    for (const At& at : root["events"].elements()) {
        parseEvent(at, now, out.timezone, out, sessionPlaces);
        auto [it, added] = eventPlaces.emplace(out.events.back().id, at.path());
        if (!added)
            at["id"].fail(
                fmt::format("event id '{}' already used at {}", out.events.back().id, it->second));
    }
    return out;
}

// ---------------------------------------------------------------------------------------------
// Export
// ---------------------------------------------------------------------------------------------

namespace {

using ordered = nlohmann::ordered_json;

ordered localizedJson(const LocalizedText& t) {
    ordered out = ordered::object();
    for (std::string_view lang : kLanguages)  // the same order in every file: ar, fr, en, zgh
        if (auto it = t.byLang.find(std::string(lang)); it != t.byLang.end())
            out[std::string(lang)] = it->second;
    return out;
}

std::vector<std::string> ids(Database& db, const char* sql) {
    std::vector<std::string> out;
    auto& st = db.prepare(sql);
    while (st.step()) out.push_back(st.getText(0));
    st.reset();
    return out;
}

ordered sessionJson(const Session& s, std::string_view zone) {
    ordered j = ordered::object();
    j["id"] = s.id;
    if (s.venueId) j["venue"] = *s.venueId;
    j["start"] = localIsoWithOffset(s.startsAt, zone);
    j["end"] = localIsoWithOffset(s.endsAt, zone);
    j["capacity"] = s.capacity ? ordered(*s.capacity) : ordered(nullptr);
    j["status"] = std::string(toString(s.status));
    if (s.regOpensAt) j["reg_opens"] = localIsoWithOffset(*s.regOpensAt, zone);
    if (s.regClosesAt) j["reg_closes"] = localIsoWithOffset(*s.regClosesAt, zone);
    return j;
}

}  // namespace

std::string exportCatalogueJson(Database& db, std::string_view zone) {
    Catalogue catalogue(db);
    ordered doc = ordered::object();
    doc["format"] = "fadaa-catalogue";
    doc["version"] = 1;
    doc["timezone"] = std::string(zone);

    ordered categories = ordered::array();
    for (const Category& c : catalogue.categories())
        categories.push_back(
            {{"id", c.id}, {"name", localizedJson(c.name)}, {"sort_order", c.sortOrder}});
    doc["categories"] = std::move(categories);

    ordered venues = ordered::array();
    for (const Venue& v : catalogue.venues())
        venues.push_back({{"id", v.id}, {"name", localizedJson(v.name)}, {"address", v.address}});
    doc["venues"] = std::move(venues);

    ordered organizers = ordered::array();
    for (const std::string& id : ids(db, "SELECT id FROM organizer ORDER BY id"))
        if (auto o = catalogue.organizer(id))
            organizers.push_back({{"id", o->id}, {"name", localizedJson(o->name)}});
    doc["organizers"] = std::move(organizers);

    ordered events = ordered::array();
    for (const std::string& id : ids(db, "SELECT id FROM event ORDER BY id")) {
        std::optional<Event> e = catalogue.event(id);
        if (!e) continue;
        ordered j = ordered::object();
        j["id"] = e->id;
        j["category"] = e->categoryId;
        if (e->organizerId) j["organizer"] = *e->organizerId;
        j["title"] = localizedJson(e->title);
        if (!e->description.empty()) j["description"] = localizedJson(e->description);
        if (e->ageMin) j["age_min"] = *e->ageMin;
        if (e->ageMax) j["age_max"] = *e->ageMax;
        j["registration_required"] = e->registrationRequired;
        // The store's form JSON is the file's form format (model.cpp writes both).
        j["form"] = ordered::parse(formToJson(e->form));
        ordered sessions = ordered::array();
        for (const Session& s : catalogue.sessionsOfEvent(id))
            sessions.push_back(sessionJson(s, zone));
        j["sessions"] = std::move(sessions);
        events.push_back(std::move(j));
    }
    doc["events"] = std::move(events);
    return doc.dump(2, ' ', false) + "\n";
}

}  // namespace fadaa
