// core/sync/wire.cpp - catalogue records as JSON on the wire, and table checksums.
#include "sync/wire.hpp"

#include <fmt/format.h>
#include <sodium.h>

#include <algorithm>
#include <charconv>
#include <limits>

#include "sync/json_fields.hpp"

namespace fadaa::wire {

using nlohmann::json;

int entityRank(std::string_view entity) {
    static constexpr std::string_view kOrder[] = {kCategory, kVenue,   kOrganizer,
                                                  kEvent,    kSession, kRegistration};
    for (size_t i = 0; i < std::size(kOrder); ++i)
        if (kOrder[i] == entity) return static_cast<int>(i);
    return -1;
}

bool isValidRecordId(std::string_view id) {
    if (id.empty() || id.size() > 64) return false;
    return std::all_of(id.begin(), id.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
               c == '-' || c == '_' || c == '.';
    });
}

// ---------------------------------------------------------------------------------------------
// Writing
// ---------------------------------------------------------------------------------------------

namespace {
json localized(const LocalizedText& t) {
    return json(t.byLang);
}
template <typename T>
json optional(const std::optional<T>& v) {
    return v ? json(*v) : json(nullptr);
}
}  // namespace

json toWire(const RegistrationState& r) {
    return {{"id", r.id},
            {"session_id", r.sessionId},
            {"status", r.status},
            {"waitlist_position", optional(r.waitlistPosition)},
            {"code", r.code}};
}

void appendQuoted(std::string& out, std::string_view text) {
    // Runs of bytes that need no escape are appended whole: a byte at a time cost ~4% of the
    // server's instructions in a 10k push (callgrind), where ids and codes never need one.
    out += '"';
    size_t plain = 0;  // start of the run not yet appended
    for (size_t i = 0; i < text.size(); ++i) {
        auto c = static_cast<unsigned char>(text[i]);
        if (c >= 0x20 && c != '"' && c != '\\') continue;
        out.append(text.data() + plain, i - plain);
        plain = i + 1;
        switch (c) {
            case '"':
                out += "\\\"";
                break;
            case '\\':
                out += "\\\\";
                break;
            case '\b':
                out += "\\b";
                break;
            case '\f':
                out += "\\f";
                break;
            case '\n':
                out += "\\n";
                break;
            case '\r':
                out += "\\r";
                break;
            case '\t':
                out += "\\t";
                break;
            default:
                out += fmt::format("\\u{:04x}", c);
        }
    }
    out.append(text.data() + plain, text.size() - plain);
    out += '"';
}

std::string toWireText(const RegistrationState& r) {
    std::string out;
    out.reserve(160);
    appendWireText(out, {r.id, r.sessionId, r.status, r.code, r.waitlistPosition});
    return out;
}

void appendWireText(std::string& out, const RegistrationStateView& r) {
    // Keys in nlohmann's order (sorted), so the text is byte for byte toWire(r).dump().
    out += "{\"code\":";
    appendQuoted(out, r.code);
    out += ",\"id\":";
    appendQuoted(out, r.id);
    out += ",\"session_id\":";
    appendQuoted(out, r.sessionId);
    out += ",\"status\":";
    appendQuoted(out, r.status);
    out += ",\"waitlist_position\":";
    if (r.waitlistPosition) {
        char digits[24];
        auto [end, ec] = std::to_chars(digits, digits + sizeof digits, *r.waitlistPosition);
        out.append(digits, end);
    } else {
        out += "null";
    }
    out += '}';
}

json toWire(const Category& c) {
    return {{"id", c.id}, {"name", localized(c.name)}, {"sort_order", c.sortOrder}};
}

json toWire(const Venue& v) {
    return {{"id", v.id}, {"name", localized(v.name)}, {"address", v.address}};
}

json toWire(const Organizer& o) {
    return {{"id", o.id}, {"name", localized(o.name)}};
}

json toWire(const Event& e) {
    return {{"id", e.id},
            {"category_id", e.categoryId},
            {"organizer_id", optional(e.organizerId)},
            {"title", localized(e.title)},
            {"description", localized(e.description)},
            {"age_min", optional(e.ageMin)},
            {"age_max", optional(e.ageMax)},
            {"registration_required", e.registrationRequired},
            {"form", json::parse(formToJson(e.form))},
            {"version", e.version}};
}

json toWire(const Session& s) {
    return {{"id", s.id},
            {"event_id", s.eventId},
            {"venue_id", optional(s.venueId)},
            {"starts_at", s.startsAt},
            {"ends_at", s.endsAt},
            {"capacity", optional(s.capacity)},
            {"reg_opens_at", optional(s.regOpensAt)},
            {"reg_closes_at", optional(s.regClosesAt)},
            {"status", std::string(toString(s.status))}};
}

json toWire(const Session& s, const SessionCounts& counts) {
    json j = toWire(s);
    j["taken"] = counts.taken;
    j["waitlisted"] = counts.waitlisted;
    j["leased"] = counts.leased;
    return j;
}

std::string toWireText(const Session& s, const SessionCounts& counts) {
    // Keys in nlohmann's order (sorted), so the text is byte for byte the tree's dump().
    std::string out;
    out.reserve(256);
    auto number = [&](std::string_view key, std::optional<std::int64_t> v) {
        out += key;
        if (v)
            fmt::format_to(std::back_inserter(out), "{}", *v);
        else
            out += "null";
    };
    number("{\"capacity\":", s.capacity);
    number(",\"ends_at\":", s.endsAt);
    out += ",\"event_id\":";
    appendQuoted(out, s.eventId);
    out += ",\"id\":";
    appendQuoted(out, s.id);
    number(",\"leased\":", counts.leased);
    number(",\"reg_closes_at\":", s.regClosesAt);
    number(",\"reg_opens_at\":", s.regOpensAt);
    number(",\"starts_at\":", s.startsAt);
    out += ",\"status\":";
    appendQuoted(out, toString(s.status));
    number(",\"taken\":", counts.taken);
    out += ",\"venue_id\":";
    if (s.venueId)
        appendQuoted(out, *s.venueId);
    else
        out += "null";
    number(",\"waitlisted\":", counts.waitlisted);
    out += '}';
    return out;
}

// ---------------------------------------------------------------------------------------------
// Reading
// ---------------------------------------------------------------------------------------------

namespace {

std::string recordId(const JsonFields& f, std::string_view key) {
    std::string id = f.text(key, 64);
    if (!isValidRecordId(id)) f.invalid(key, "ids are 1-64 letters, digits, '-', '_' or '.'");
    return id;
}

std::optional<std::string> optRecordId(const JsonFields& f, std::string_view key) {
    if (!f.optValue(key)) return std::nullopt;
    return recordId(f, key);
}

int smallInt(const JsonFields& f, std::string_view key, std::int64_t lo, std::int64_t hi) {
    std::int64_t v = f.integer(key);
    if (v < lo || v > hi) f.invalid(key, fmt::format("must be between {} and {}", lo, hi));
    return static_cast<int>(v);
}

std::optional<int> optSmallInt(const JsonFields& f, std::string_view key, std::int64_t lo,
                               std::int64_t hi) {
    if (!f.optValue(key)) return std::nullopt;
    return smallInt(f, key, lo, hi);
}

}  // namespace

LocalizedText localizedFromWire(const json& j, const std::string& path) {
    if (!j.is_object())
        throw WireError("wrong_type", path + " must be an object of texts by language");
    LocalizedText t;
    for (const auto& [lang, value] : j.items()) {
        if (lang.empty() || lang.size() > 16)
            throw WireError("invalid_value",
                            fmt::format("{}: '{}' is not a language tag", path, lang));
        if (!value.is_string())
            throw WireError("wrong_type", fmt::format("{}.{} must be text", path, lang));
        if (value.get_ref<const std::string&>().size() > 8192)
            throw WireError("invalid_value",
                            fmt::format("{}.{} is longer than 8192 bytes", path, lang));
        t.byLang[lang] = value.get<std::string>();
    }
    return t;
}

RegistrationState registrationFromWire(const json& j, const std::string& path) {
    JsonFields f(j, path, kRegistrationStateKeys);
    return registrationStateFrom(f);
}

Category categoryFromWire(const json& j, const std::string& path) {
    JsonFields f(j, path, {"id", "name", "sort_order"});
    Category c;
    c.id = recordId(f, "id");
    c.name = localizedFromWire(f.value("name"), f.pathOf("name"));
    c.sortOrder = f.has("sort_order") ? smallInt(f, "sort_order", -1000000, 1000000) : 0;
    return c;
}

Venue venueFromWire(const json& j, const std::string& path) {
    JsonFields f(j, path, {"id", "name", "address"});
    Venue v;
    v.id = recordId(f, "id");
    v.name = localizedFromWire(f.value("name"), f.pathOf("name"));
    v.address = f.optText("address", 1024).value_or("");
    return v;
}

Organizer organizerFromWire(const json& j, const std::string& path) {
    JsonFields f(j, path, {"id", "name"});
    Organizer o;
    o.id = recordId(f, "id");
    o.name = localizedFromWire(f.value("name"), f.pathOf("name"));
    return o;
}

Event eventFromWire(const json& j, const std::string& path) {
    JsonFields f(j, path,
                 {"id", "category_id", "organizer_id", "title", "description", "age_min", "age_max",
                  "registration_required", "form", "version"});
    Event e;
    e.id = recordId(f, "id");
    e.categoryId = recordId(f, "category_id");
    e.organizerId = optRecordId(f, "organizer_id");
    e.title = localizedFromWire(f.value("title"), f.pathOf("title"));
    if (const json* d = f.optValue("description"))
        e.description = localizedFromWire(*d, f.pathOf("description"));
    e.ageMin = optSmallInt(f, "age_min", 0, 150);
    e.ageMax = optSmallInt(f, "age_max", 0, 150);
    if (e.ageMin && e.ageMax && *e.ageMin > *e.ageMax) f.invalid("age_max", "is below age_min");
    e.registrationRequired = f.optBoolean("registration_required").value_or(true);
    if (const json* form = f.optValue("form")) {
        requireArray(*form, f.pathOf("form"));
        try {
            e.form = formFromJson(form->dump());
        } catch (const std::exception& ex) {
            f.invalid("form", ex.what());
        }
        // A question a resident cannot read is no question (the catalogue format agrees).
        for (const FormField& field : e.form)
            if (field.label.empty())
                f.invalid("form",
                          fmt::format("field '{}' has no label in any language", field.key));
    }
    if (f.optValue("version")) e.version = f.integer("version");
    return e;
}

Session sessionFromWire(const json& j, const std::string& path, SessionCounts* counts) {
    JsonFields f(
        j, path,
        counts ? std::initializer_list<std::string_view>{"id", "event_id", "venue_id", "starts_at",
                                                         "ends_at", "capacity", "reg_opens_at",
                                                         "reg_closes_at", "status", "taken",
                                                         "waitlisted", "leased"}
               : std::initializer_list<std::string_view>{"id", "event_id", "venue_id", "starts_at",
                                                         "ends_at", "capacity", "reg_opens_at",
                                                         "reg_closes_at", "status"});
    Session s;
    s.id = recordId(f, "id");
    s.eventId = recordId(f, "event_id");
    s.venueId = optRecordId(f, "venue_id");
    s.startsAt = f.integer("starts_at");
    s.endsAt = f.integer("ends_at");
    if (s.endsAt < s.startsAt) f.invalid("ends_at", "is before starts_at");
    s.capacity = optSmallInt(f, "capacity", 0, 1000000);
    s.regOpensAt = f.optInteger("reg_opens_at");
    s.regClosesAt = f.optInteger("reg_closes_at");
    if (auto status = f.optText("status", 32)) {
        auto parsed = sessionStatusFromString(*status);
        if (!parsed) f.invalid("status", "must be 'scheduled' or 'cancelled'");
        s.status = *parsed;
    }
    if (counts) {
        counts->taken =
            f.has("taken") ? smallInt(f, "taken", 0, std::numeric_limits<int>::max()) : 0;
        counts->waitlisted =
            f.has("waitlisted") ? smallInt(f, "waitlisted", 0, std::numeric_limits<int>::max()) : 0;
        counts->leased =
            f.has("leased") ? smallInt(f, "leased", 0, std::numeric_limits<int>::max()) : 0;
    }
    return s;
}

// ---------------------------------------------------------------------------------------------
// Checksums
// ---------------------------------------------------------------------------------------------

const std::vector<ChecksumTable>& catalogueChecksumTables() {
    // updated_at and event.version are left out: each side stamps them with its own clock.
    static const std::vector<ChecksumTable> kTables = {
        {kCategory, "SELECT id, name, sort_order FROM category", {1}},
        {kVenue, "SELECT id, name, address FROM venue", {1}},
        {kOrganizer, "SELECT id, name FROM organizer", {1}},
        {kEvent,
         "SELECT id, category_id, organizer_id, title, description, age_min, age_max, "
         "registration_required, form FROM event",
         {3, 4, 8}},
        {kSession,
         "SELECT id, event_id, venue_id, starts_at, ends_at, capacity, reg_opens_at, "
         "reg_closes_at, status FROM session",
         {}},
    };
    return kTables;
}

Checksum checksumRows(std::vector<ChecksumRow> rows, const std::vector<size_t>& jsonColumns) {
    std::vector<std::string> lines;
    lines.reserve(rows.size());
    for (ChecksumRow& row : rows) {
        std::string line;
        for (size_t c = 0; c < row.size(); ++c) {
            if (c) line += '\x1f';
            if (!row[c]) {
                line += '\x00';
                continue;
            }
            if (std::find(jsonColumns.begin(), jsonColumns.end(), c) != jsonColumns.end()) {
                json parsed = json::parse(*row[c], nullptr, false);
                line += parsed.is_discarded() ? *row[c] : parsed.dump();
            } else {
                line += *row[c];
            }
        }
        lines.push_back(std::move(line));
    }
    std::sort(lines.begin(), lines.end());
    crypto_hash_sha256_state state;
    crypto_hash_sha256_init(&state);
    for (const std::string& line : lines) {
        crypto_hash_sha256_update(&state, reinterpret_cast<const unsigned char*>(line.data()),
                                  line.size());
        crypto_hash_sha256_update(&state, reinterpret_cast<const unsigned char*>("\n"), 1);
    }
    unsigned char digest[crypto_hash_sha256_BYTES];
    crypto_hash_sha256_final(&state, digest);
    char hex[crypto_hash_sha256_BYTES * 2 + 1];
    sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
    return {static_cast<std::int64_t>(lines.size()), hex};
}

std::string sha256Hex(std::string_view bytes) {
    unsigned char digest[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size());
    char hex[crypto_hash_sha256_BYTES * 2 + 1];
    sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
    return hex;
}

}  // namespace fadaa::wire
