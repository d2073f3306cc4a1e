// server/lib/api_error.hpp - an error the HTTP API answers with a status and a JSON body
// {"error": code, "message": plain words, ...extra}. Problems with a request document itself
// arrive as core's WireError (sync/json_fields.hpp) and are answered with 400 the same way.
#pragma once

#include <nlohmann/json.hpp>

#include <stdexcept>
#include <string>

namespace fadaa::server {

class ApiError : public std::runtime_error {
public:
    ApiError(int status, std::string code, const std::string& message,
             nlohmann::json extra = nlohmann::json::object())
        : std::runtime_error(message),
          m_status(status),
          m_code(std::move(code)),
          m_extra(std::move(extra)) {}
    int status() const { return m_status; }
    const std::string& code() const { return m_code; }
    const nlohmann::json& extra() const { return m_extra; }  // more fields for the body

private:
    int m_status;
    std::string m_code;
    nlohmann::json m_extra;
};

}  // namespace fadaa::server
