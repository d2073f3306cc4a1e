// server/lib/http_support.hpp - small helpers shared by the HTTP handlers: JSON responses,
// errors, the catch-all guard, and reading headers and query parameters strictly.
#pragma once

#include <httplib.h>
#include <nlohmann/json.hpp>

#include <functional>
#include <initializer_list>
#include <string>
#include <string_view>

namespace fadaa::server {

void sendJson(httplib::Response& res, int status, const nlohmann::json& body);
// A 200 answer of JSON already serialised (the large ones: pull pages, push answers), gzipped
// with libdeflate at `level` (1 fastest .. 12 smallest) when the request's Accept-Encoding names
// gzip, else sent as it is. Typed "application/json; charset=utf-8", which httplib leaves alone
// (it compresses only a bare "application/json" itself, with zlib: slower).
void sendJsonText(const httplib::Request& req, httplib::Response& res, std::string body, int level);
// {"error": code, "message": message, ...extra}
void sendError(httplib::Response& res, int status, const std::string& code,
               const std::string& message, const nlohmann::json& extra = nlohmann::json::object());

// Runs f; turns ApiError, WireError (400), SqlError (503 when transient, else 500) and any
// other exception (500, logged) into an error response. Nothing f did in an uncommitted
// transaction survives: the transaction objects roll back as the exception unwinds.
void guarded(httplib::Response& res, const std::function<void()>& f);

// The token of "Authorization: Bearer <token>", or "".
std::string bearerToken(const httplib::Request& req);
// Throws ApiError 400 "unknown_field" for a query parameter not in allowed.
void requireOnlyParams(const httplib::Request& req,
                       std::initializer_list<std::string_view> allowed);
// An integer query parameter within [lo, hi], `fallback` when absent; 400 otherwise.
int intParam(const httplib::Request& req, const std::string& name, int fallback, int lo, int hi);

}  // namespace fadaa::server
