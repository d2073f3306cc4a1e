// server/lib/http_support.cpp - JSON responses, error mapping and request checks.
#include "http_support.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <charconv>

#include "api_error.hpp"
#include "sql.hpp"
#include "sync/json_fields.hpp"
#include "util/gzip.hpp"

namespace fadaa::server {

void sendJson(httplib::Response& res, int status, const nlohmann::json& body) {
    res.status = status;
    // Invalid UTF-8 can only come from stored data; replace it rather than fail the response.
    res.set_content(body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace),
                    "application/json");
}

void sendJsonText(const httplib::Request& req, httplib::Response& res, std::string body,
                  int level) {
    constexpr const char* kType = "application/json; charset=utf-8";
    res.status = 200;
    // As httplib decides for the answers it compresses: "gzip" anywhere in the header.
    if (req.get_header_value("Accept-Encoding").find("gzip") == std::string::npos) {
        res.set_content(std::move(body), kType);
        return;
    }
    res.set_header("Content-Encoding", "gzip");
    res.set_content(gzipCompress(body, level), kType);
}

void sendError(httplib::Response& res, int status, const std::string& code,
               const std::string& message, const nlohmann::json& extra) {
    nlohmann::json body = {{"error", code}, {"message", message}};
    for (const auto& [k, v] : extra.items()) body[k] = v;
    sendJson(res, status, body);
}

void guarded(httplib::Response& res, const std::function<void()>& f) {
    try {
        f();
    } catch (const ApiError& e) {
        sendError(res, e.status(), e.code(), e.what(), e.extra());
    } catch (const WireError& e) {
        sendError(res, 400, e.code(), e.what());
    } catch (const SqlError& e) {
        if (e.transient()) {
            spdlog::warn("database busy: {}", e.what());
            sendError(res, 503, "unavailable", "the database is busy or unreachable; retry later");
            res.set_header("Retry-After", "2");
        } else {
            spdlog::error("database error: {}", e.what());
            sendError(res, 500, "internal", "the server failed; see its log");
        }
    } catch (const std::exception& e) {
        spdlog::error("request failed: {}", e.what());
        sendError(res, 500, "internal", "the server failed; see its log");
    }
}

std::string bearerToken(const httplib::Request& req) {
    std::string h = req.get_header_value("Authorization");
    constexpr std::string_view kPrefix = "Bearer ";
    if (h.size() <= kPrefix.size() || h.compare(0, kPrefix.size(), kPrefix) != 0) return {};
    return h.substr(kPrefix.size());
}

void requireOnlyParams(const httplib::Request& req,
                       std::initializer_list<std::string_view> allowed) {
    for (const auto& [key, value] : req.params)
        if (std::find(allowed.begin(), allowed.end(), key) == allowed.end())
            throw ApiError(400, "unknown_field", fmt::format("unknown query parameter '{}'", key));
}

int intParam(const httplib::Request& req, const std::string& name, int fallback, int lo, int hi) {
    if (!req.has_param(name)) return fallback;
    std::string v = req.get_param_value(name);
    int out = 0;
    auto [ptr, ec] = std::from_chars(v.data(), v.data() + v.size(), out);
    if (ec != std::errc() || ptr != v.data() + v.size())
        throw ApiError(400, "wrong_type", fmt::format("{} must be an integer", name));
    if (out < lo || out > hi)
        throw ApiError(400, "invalid_value",
                       fmt::format("{} must be between {} and {}", name, lo, hi));
    return out;
}

}  // namespace fadaa::server
