// core/sync/json_fields.cpp - JSON parsing and strict field reading.
#include "sync/json_fields.hpp"

#include "util/ids.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <vector>

namespace fadaa {

using nlohmann::json;

json parseJson(std::string_view body) {
    try {
        return json::parse(body);
    } catch (const json::parse_error& e) {
        // nlohmann validates UTF-8 inside strings; say which problem it was in plain words.
        std::string what = e.what();
        if (what.find("UTF-8") != std::string::npos || what.find("utf-8") != std::string::npos)
            throw WireError("invalid_utf8",
                            fmt::format("the document is not valid UTF-8 (byte {})", e.byte));
        throw WireError("malformed_json",
                        fmt::format("the document is not valid JSON (at byte {})", e.byte));
    }
}

std::string describeJsonType(const json& j) {
    switch (j.type()) {
        case json::value_t::null:
            return "null";
        case json::value_t::object:
            return "an object";
        case json::value_t::array:
            return "a list";
        case json::value_t::string:
            return "text";
        case json::value_t::boolean:
            return "true/false";
        case json::value_t::number_float:
            return "a decimal number";
        default:
            return "a number";
    }
}

JsonFields::JsonFields(const json& j, std::string path,
                       std::initializer_list<std::string_view> allowed)
    : m_j(j), m_path(std::move(path)) {
    if (!j.is_object())
        throw WireError("wrong_type",
                        fmt::format("{} must be an object, not {}",
                                    m_path.empty() ? "the body" : m_path, describeJsonType(j)));
    for (const auto& [key, v] : j.items()) {
        if (std::find(allowed.begin(), allowed.end(), key) == allowed.end())
            throw WireError("unknown_field", fmt::format("unknown field {}", pathOf(key)));
    }
}

std::string JsonFields::pathOf(std::string_view key) const {
    return m_path.empty() ? std::string(key) : fmt::format("{}.{}", m_path, key);
}

bool JsonFields::has(std::string_view key) const {
    return m_j.contains(std::string(key));
}

const json& JsonFields::value(std::string_view key) const {
    auto it = m_j.find(std::string(key));
    if (it == m_j.end())
        throw WireError("missing_field", fmt::format("missing field {}", pathOf(key)));
    return *it;
}

const json* JsonFields::optValue(std::string_view key) const {
    auto it = m_j.find(std::string(key));
    if (it == m_j.end() || it->is_null()) return nullptr;
    return &*it;
}

void JsonFields::invalid(std::string_view key, const std::string& why) const {
    throw WireError("invalid_value", fmt::format("{}: {}", pathOf(key), why));
}

[[noreturn]] static void wrongType(const std::string& path, const char* expected, const json& got) {
    throw WireError("wrong_type",
                    fmt::format("{} must be {}, not {}", path, expected, describeJsonType(got)));
}

std::string JsonFields::text(std::string_view key, size_t maxBytes) const {
    const json& v = value(key);
    if (!v.is_string()) wrongType(pathOf(key), "text", v);
    const auto& s = v.get_ref<const std::string&>();
    if (s.size() > maxBytes) invalid(key, fmt::format("longer than {} bytes", maxBytes));
    return s;
}

std::string JsonFields::uuid(std::string_view key) const {
    std::string v = text(key, 36);
    if (!isUuid(v)) invalid(key, "must be a lower-case UUID");
    return v;
}

std::optional<std::string> JsonFields::optText(std::string_view key, size_t maxBytes) const {
    if (!optValue(key)) return std::nullopt;
    return text(key, maxBytes);
}

std::int64_t JsonFields::integer(std::string_view key) const {
    const json& v = value(key);
    if (v.is_number_integer()) return v.get<std::int64_t>();
    if (v.is_number_unsigned()) {
        auto u = v.get<std::uint64_t>();
        if (u <= static_cast<std::uint64_t>(INT64_MAX)) return static_cast<std::int64_t>(u);
        invalid(key, "out of range");
    }
    wrongType(pathOf(key), "an integer", v);
}

std::optional<std::int64_t> JsonFields::optInteger(std::string_view key) const {
    if (!optValue(key)) return std::nullopt;
    return integer(key);
}

bool JsonFields::boolean(std::string_view key) const {
    const json& v = value(key);
    if (!v.is_boolean()) wrongType(pathOf(key), "true or false", v);
    return v.get<bool>();
}

std::optional<bool> JsonFields::optBoolean(std::string_view key) const {
    if (!optValue(key)) return std::nullopt;
    return boolean(key);
}

}  // namespace fadaa

namespace fadaa {
const json& requireArray(const json& j, const std::string& path) {
    if (!j.is_array())
        throw WireError("wrong_type",
                        fmt::format("{} must be an array, not {}", path, describeJsonType(j)));
    return j;
}
}  // namespace fadaa
