// core/sync/sync_pull_page.cpp - reading a pull page from its text (sync_pull.hpp): a strict
// scanner for the envelope and for session records, the tree-based wire readers for the rest.
#include <fmt/format.h>

#include <array>
#include <charconv>
#include <limits>

#include "sync/json_fields.hpp"
#include "sync/json_scan.hpp"
#include "sync/sync_pull.hpp"

namespace fadaa {

using nlohmann::json;

namespace {

// ---------------------------------------------------------------------------------------------
// The tree path: the protocol's reference reading (and every error message).
// ---------------------------------------------------------------------------------------------

// Reads the record of an upsert whose entity is known (c.entity) from `data`.
void readRecord(PulledChange& c, const json& data, const std::string& dpath) {
    if (c.entity == wire::kCategory)
        c.category = wire::categoryFromWire(data, dpath);
    else if (c.entity == wire::kVenue)
        c.venue = wire::venueFromWire(data, dpath);
    else if (c.entity == wire::kOrganizer)
        c.organizer = wire::organizerFromWire(data, dpath);
    else if (c.entity == wire::kEvent)
        c.event = wire::eventFromWire(data, dpath);
    else if (c.entity == wire::kSession)
        c.session = wire::sessionFromWire(data, dpath, &c.counts);
    else
        c.registration = wire::registrationFromWire(data, dpath);
}

PulledChange parseChange(const json& j, const std::string& path) {
    JsonFields f(j, path, {"seq", "entity", "id", "op", "data"});
    PulledChange c;
    c.entity = f.text("entity", 32);
    c.id = f.text("id", 64);
    c.rank = wire::entityRank(c.entity);
    if (c.rank < 0) f.invalid("entity", "unknown entity");
    std::string op = f.text("op", 16);
    if (op != "upsert" && op != "delete") f.invalid("op", "must be upsert or delete");
    c.deleted = op == "delete";
    if (!c.deleted) readRecord(c, f.value("data"), f.pathOf("data"));
    return c;
}

std::string changePath(size_t i) {
    return fmt::format("changes[{}]", i);
}

// ---------------------------------------------------------------------------------------------
// The scanner path: values in their plainest valid form only; anything else returns "not
// recognised" (nullopt / false) and the caller reads the same text with the tree path.
// ---------------------------------------------------------------------------------------------

// A string value written without escapes: its contents.
std::optional<std::string_view> plainString(std::optional<std::string_view> v) {
    if (!v || v->size() < 2 || v->front() != '"') return std::nullopt;
    std::string_view s = v->substr(1, v->size() - 2);
    if (s.find('\\') != std::string_view::npos) return std::nullopt;
    return s;
}

// An integer written as digits (the scanner has checked the JSON grammar), in int64 range.
std::optional<std::int64_t> plainInteger(std::optional<std::string_view> v) {
    if (!v) return std::nullopt;
    std::int64_t out = 0;
    auto [end, ec] = std::from_chars(v->data(), v->data() + v->size(), out);
    if (ec != std::errc() || end != v->data() + v->size()) return std::nullopt;
    return out;
}

bool absent(std::optional<std::string_view> v) {
    return !v || *v == "null";
}

// The values of `members` by key position in `keys`; false on a key outside `keys` or a key
// given twice (the tree keeps the last one: left to it).
template <size_t N>
bool pick(const std::vector<jsonscan::Member>& members, const std::array<std::string_view, N>& keys,
          std::array<std::optional<std::string_view>, N>& out) {
    for (const jsonscan::Member& m : members) {
        size_t i = 0;
        while (i < N && keys[i] != m.key) ++i;
        if (i == N || out[i]) return false;
        out[i] = m.value;
    }
    return true;
}

// pick() on an object within the page (already validated with it): false if not an object.
template <size_t N>
bool pickMembers(std::string_view object, const std::array<std::string_view, N>& keys,
                 std::array<std::optional<std::string_view>, N>& out) {
    if (object.empty() || object.front() != '{') return false;
    auto members = jsonscan::checkedObjectMembers(object);
    return members && pick(*members, keys, out);
}

std::optional<std::string> plainRecordId(std::optional<std::string_view> v) {
    auto s = plainString(v);
    if (!s || !wire::isValidRecordId(*s)) return std::nullopt;
    return std::string(*s);
}

// An optional integer in [lo, hi]: *ok is false when present and not one.
std::optional<std::int64_t> optBounded(std::optional<std::string_view> v, std::int64_t lo,
                                       std::int64_t hi, bool* ok) {
    if (absent(v)) return std::nullopt;
    auto n = plainInteger(v);
    if (!n || *n < lo || *n > hi) *ok = false;
    return n;
}

// A session record as sessionFromWire(data, path, &counts) reads it.
bool scanSession(std::string_view data, Session& s, wire::SessionCounts& counts) {
    static constexpr std::array<std::string_view, 12> kKeys = {
        "id",           "event_id",      "venue_id", "starts_at", "ends_at",    "capacity",
        "reg_opens_at", "reg_closes_at", "status",   "taken",     "waitlisted", "leased"};
    std::array<std::optional<std::string_view>, kKeys.size()> v{};
    if (!pickMembers(data, kKeys, v)) return false;
    auto id = plainRecordId(v[0]);
    auto eventId = plainRecordId(v[1]);
    auto startsAt = plainInteger(v[3]);
    auto endsAt = plainInteger(v[4]);
    if (!id || !eventId || !startsAt || !endsAt || *endsAt < *startsAt) return false;
    s.id = std::move(*id);
    s.eventId = std::move(*eventId);
    if (!absent(v[2]) && !(s.venueId = plainRecordId(v[2]))) return false;
    s.startsAt = *startsAt;
    s.endsAt = *endsAt;
    bool ok = true;
    constexpr std::int64_t kIntMax = std::numeric_limits<int>::max();
    constexpr std::int64_t kInt64Max = std::numeric_limits<std::int64_t>::max();
    constexpr std::int64_t kInt64Min = std::numeric_limits<std::int64_t>::min();
    if (auto c = optBounded(v[5], 0, 1000000, &ok)) s.capacity = static_cast<int>(*c);
    s.regOpensAt = optBounded(v[6], kInt64Min, kInt64Max, &ok);
    s.regClosesAt = optBounded(v[7], kInt64Min, kInt64Max, &ok);
    if (!absent(v[8])) {
        auto text = plainString(v[8]);
        auto status = text ? sessionStatusFromString(*text) : std::nullopt;
        if (!status) return false;
        s.status = *status;
    }
    // A count given as null is an error for the tree reader: not plain.
    int* countOf[] = {&counts.taken, &counts.waitlisted, &counts.leased};
    for (size_t i = 0; i < 3; ++i) {
        if (!v[9 + i]) continue;
        auto n = plainInteger(v[9 + i]);
        if (!n || *n < 0 || *n > kIntMax) return false;
        *countOf[i] = static_cast<int>(*n);
    }
    return ok;
}

// One element of "changes": true when read here, false when the tree path must read it.
bool scanChange(std::string_view element, size_t index, PulledChange& c) {
    static constexpr std::array<std::string_view, 5> kKeys = {"seq", "entity", "id", "op", "data"};
    std::array<std::optional<std::string_view>, kKeys.size()> v{};
    if (!pickMembers(element, kKeys, v)) return false;
    auto entity = plainString(v[1]);
    auto id = plainString(v[2]);
    auto op = plainString(v[3]);
    if (!entity || entity->size() > 32 || !id || id->size() > 64 || !op) return false;
    c.rank = wire::entityRank(*entity);
    if (c.rank < 0 || (*op != "upsert" && *op != "delete")) return false;
    c.entity = std::string(*entity);
    c.id = std::string(*id);
    c.deleted = *op == "delete";
    if (c.deleted) return true;
    if (!v[4]) return false;
    if (c.entity == wire::kSession) {
        Session s;
        if (!scanSession(*v[4], s, c.counts)) return false;
        c.session = std::move(s);
        return true;
    }
    // Other records (events, categories, venues...) through the tree readers, with their exact
    // errors; the envelope is read already (no tree of it: copying the record's tree into one
    // was a sixth of reading a page of events).
    readRecord(c, parseJson(*v[4]), changePath(index) + ".data");
    return true;
}

}  // namespace

PullPageData readPullPageDocument(const json& page) {
    JsonFields top(page, "pull response", {"changes", "next_cursor", "has_more", "server_time"});
    PullPageData out;
    out.nextCursor = top.text("next_cursor", 128);
    out.hasMore = top.boolean("has_more");
    if (auto it = page.find("server_time"); it != page.end() && it->is_number_integer())
        out.serverTime = it->get<std::int64_t>();
    const json& list = requireArray(top.value("changes"), "changes");
    out.changes.reserve(list.size());
    for (size_t i = 0; i < list.size(); ++i)
        out.changes.push_back(parseChange(list[i], changePath(i)));
    return out;
}

PullPageData readPullPage(std::string_view text) {
    static constexpr std::array<std::string_view, 4> kKeys = {"changes", "next_cursor", "has_more",
                                                              "server_time"};
    // The envelope in its plain form, else the whole page through the tree path.
    auto members = jsonscan::objectMembers(text);
    std::array<std::optional<std::string_view>, kKeys.size()> v{};
    std::optional<std::vector<std::string_view>> elements;
    std::optional<std::string_view> cursor;
    if (members && pick(*members, kKeys, v) && v[0] && v[0]->front() == '[')
        elements = jsonscan::checkedArrayElements(*v[0]);
    if (elements) cursor = plainString(v[1]);
    if (!cursor || cursor->size() > 128 || !v[2] || (*v[2] != "true" && *v[2] != "false"))
        return readPullPageDocument(parseJson(text));
    PullPageData out;
    out.nextCursor = std::string(*cursor);
    out.hasMore = *v[2] == "true";
    out.serverTime = plainInteger(v[3]);
    out.changes.resize(elements->size());
    for (size_t i = 0; i < elements->size(); ++i) {
        if (!scanChange((*elements)[i], i, out.changes[i]))
            out.changes[i] = parseChange(parseJson((*elements)[i]), changePath(i));
    }
    return out;
}

}  // namespace fadaa
