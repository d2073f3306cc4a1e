// core/sync/http_client.hpp - the kiosk's HTTP(S) client for the city server (libcurl).
//
// One HttpClient keeps one connection alive across the requests of a sync. Request bodies are
// sent gzip-compressed (util/gzip); responses are accepted gzip-compressed. Certificates are
// verified by default (the system's CA store, or caFile). Not thread-safe: one client per thread.
#pragma once

#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <vector>

namespace fadaa {

struct HttpClientOptions {
    std::string baseUrl;      // "https://city.example.ma" (no trailing slash needed)
    std::string bearerToken;  // sent as Authorization: Bearer
    std::string caFile;       // extra CA bundle (self-signed city server); "" = system store
    long connectTimeoutMs = 5000;
    long requestTimeoutMs = 60000;
    bool gzipRequests = true;
    // A gzip answer inflating past this is refused (status 0, transportError), never held.
    size_t maxAnswerBytes = size_t{256} << 20;
    std::vector<std::string> headers;  // more "Name: value" headers on every request
    // When set and true, a request in flight is abandoned at once (shutdown of a worker).
    const std::atomic<bool>* cancel = nullptr;
};

struct HttpResponse {
    long status = 0;             // 0 when no HTTP answer arrived (see transportError)
    std::string body;            // decompressed
    std::string transportError;  // curl's message when the server could not be reached
    bool ok() const { return status >= 200 && status < 300; }
    bool reached() const { return status != 0; }
};

class HttpClient {
public:
    explicit HttpClient(HttpClientOptions options);
    ~HttpClient();
    HttpClient(const HttpClient&) = delete;
    HttpClient& operator=(const HttpClient&) = delete;

    // Never throw for network or HTTP errors: those come back in the response.
    HttpResponse get(const std::string& pathAndQuery);
    HttpResponse post(const std::string& path, const std::string& jsonBody);
    // Posts a body encoded ahead of time: gzipCompress(jsonBody) when options().gzipRequests,
    // else the JSON itself. So a caller can compress the next request while this one is out.
    HttpResponse postEncoded(const std::string& path, const std::string& encodedBody);

    const HttpClientOptions& options() const { return m_options; }

private:
    // `encoded`: the body is already as it goes on the wire (see postEncoded).
    HttpResponse perform(const std::string& path, const std::string* body, bool encoded = false);

    HttpClientOptions m_options;
    void* m_curl = nullptr;  // CURL*, kept opaque so curl.h stays out of this header
};

// Percent-encodes a query parameter value.
std::string urlEncode(const std::string& value);

}  // namespace fadaa
