// core/sync/json_fields.hpp - strict reading of JSON documents exchanged with the city server.
//
// Holds WireError (a problem with a received document: a stable code and a message naming the
// field's path), parseJson and JsonFields, a reader that refuses unknown keys and wrong types.
//
// Why strict: a typo in a field name or a number sent as text must fail loudly with the
// field's path (ops[3].payload.phone) and change nothing, not be silently ignored. The server
// answers a WireError with 400; the kiosk treats one in a server reply as a protocol error.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace fadaa {

class WireError : public std::invalid_argument {
public:
    // code: invalid_utf8, malformed_json, wrong_type, unknown_field, missing_field,
    // invalid_value.
    WireError(std::string code, const std::string& message)
        : std::invalid_argument(message), m_code(std::move(code)) {}
    const std::string& code() const { return m_code; }

private:
    std::string m_code;
};

// What kind of value j is, in words for an error message: "text", "a list", "a number", ...
std::string describeJsonType(const nlohmann::json& j);

// Parses a document. Throws WireError "invalid_utf8" or "malformed_json".
nlohmann::json parseJson(std::string_view text);

// Reads one JSON object field by field. The constructor throws WireError when the value is not
// an object ("wrong_type") or has a key outside `allowed` ("unknown_field"); the getters throw
// "missing_field" / "wrong_type" / "invalid_value", naming the field's path. An absent key and
// a null value are the same to the opt* getters.
class JsonFields {
public:
    JsonFields(const nlohmann::json& j, std::string path,
               std::initializer_list<std::string_view> allowed);

    bool has(std::string_view key) const;
    std::string text(std::string_view key, size_t maxBytes = 4096) const;
    std::optional<std::string> optText(std::string_view key, size_t maxBytes = 4096) const;
    // A lower-case UUID (ids that leave a device), or invalid_value.
    std::string uuid(std::string_view key) const;
    std::int64_t integer(std::string_view key) const;
    std::optional<std::int64_t> optInteger(std::string_view key) const;
    bool boolean(std::string_view key) const;
    std::optional<bool> optBoolean(std::string_view key) const;
    // The raw value (object, array) for nested reading; throws missing_field when absent.
    const nlohmann::json& value(std::string_view key) const;
    const nlohmann::json* optValue(std::string_view key) const;  // nullptr if absent or null
    std::string pathOf(std::string_view key) const;

    [[noreturn]] void invalid(std::string_view key, const std::string& why) const;

private:
    const nlohmann::json& m_j;
    std::string m_path;
};

// Throws WireError "wrong_type" unless j is an array; path names it in the message.
const nlohmann::json& requireArray(const nlohmann::json& j, const std::string& path);

}  // namespace fadaa
