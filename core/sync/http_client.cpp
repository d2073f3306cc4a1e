// core/sync/http_client.cpp - libcurl requests with gzip both ways.
#include "sync/http_client.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <mutex>
#include <stdexcept>
#include <string_view>

#include "util/gzip.hpp"

namespace fadaa {

namespace {

void initCurlOnce() {
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

size_t appendBody(char* data, size_t size, size_t count, void* out) {
    static_cast<std::string*>(out)->append(data, size * count);
    return size * count;
}

// Keeps the Content-Encoding of the last response's headers (a 1xx answer may come first).
size_t keepEncoding(char* data, size_t size, size_t count, void* out) {
    std::string_view line(data, size * count);
    auto& encoding = *static_cast<std::string*>(out);
    constexpr std::string_view kName = "content-encoding:";
    auto lower = [](unsigned char c) { return static_cast<char>(std::tolower(c)); };
    if (line.starts_with("HTTP/")) {
        encoding.clear();
    } else if (line.size() > kName.size() &&
               std::equal(kName.begin(), kName.end(), line.begin(),
                          [&](char name, char c) { return name == lower(c); })) {
        line.remove_prefix(kName.size());
        while (!line.empty() && std::isspace(static_cast<unsigned char>(line.front())))
            line.remove_prefix(1);
        while (!line.empty() && std::isspace(static_cast<unsigned char>(line.back())))
            line.remove_suffix(1);
        encoding = line;
    }
    return size * count;
}

int checkCancel(void* cancel, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
    return static_cast<const std::atomic<bool>*>(cancel)->load() ? 1 : 0;
}

}  // namespace

std::string urlEncode(const std::string& value) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : value) {
        if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
            c == '-' || c == '_' || c == '.' || c == '~') {
            out.push_back(static_cast<char>(c));
        } else {
            out.push_back('%');
            out.push_back(kHex[c >> 4]);
            out.push_back(kHex[c & 15]);
        }
    }
    return out;
}

HttpClient::HttpClient(HttpClientOptions options) : m_options(std::move(options)) {
    initCurlOnce();
    while (!m_options.baseUrl.empty() && m_options.baseUrl.back() == '/')
        m_options.baseUrl.pop_back();
    m_curl = curl_easy_init();
    if (!m_curl) throw std::runtime_error("libcurl: curl_easy_init failed");
}

HttpClient::~HttpClient() {
    curl_easy_cleanup(static_cast<CURL*>(m_curl));
}

HttpResponse HttpClient::get(const std::string& pathAndQuery) {
    return perform(pathAndQuery, nullptr);
}

HttpResponse HttpClient::post(const std::string& path, const std::string& jsonBody) {
    return perform(path, &jsonBody);
}

HttpResponse HttpClient::postEncoded(const std::string& path, const std::string& encodedBody) {
    return perform(path, &encodedBody, true);
}

HttpResponse HttpClient::perform(const std::string& path, const std::string* body, bool encoded) {
    CURL* curl = static_cast<CURL*>(m_curl);
    curl_easy_reset(curl);  // keeps the connection cache, drops the previous request's options
    HttpResponse response;
    std::string url = m_options.baseUrl + path;
    curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, m_options.connectTimeoutMs);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, m_options.requestTimeoutMs);
    // The answer arrives as sent and is inflated below in one libdeflate call, not by curl
    // through zlib as it streams in.
    curl_easy_setopt(curl, CURLOPT_HTTP_CONTENT_DECODING, 0L);
    curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, 2L);
    if (!m_options.caFile.empty()) curl_easy_setopt(curl, CURLOPT_CAINFO, m_options.caFile.c_str());
    if (m_options.cancel) {
        curl_easy_setopt(curl, CURLOPT_NOPROGRESS, 0L);
        curl_easy_setopt(curl, CURLOPT_XFERINFOFUNCTION, checkCancel);
        curl_easy_setopt(curl, CURLOPT_XFERINFODATA,
                         const_cast<std::atomic<bool>*>(m_options.cancel));
    }
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, appendBody);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &response.body);
    std::string encoding;
    curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, keepEncoding);
    curl_easy_setopt(curl, CURLOPT_HEADERDATA, &encoding);

    curl_slist* headers = nullptr;
    headers = curl_slist_append(headers, "Accept: application/json");
    headers = curl_slist_append(headers, "Accept-Encoding: gzip");
    std::string auth;
    if (!m_options.bearerToken.empty()) {
        auth = "Authorization: Bearer " + m_options.bearerToken;
        headers = curl_slist_append(headers, auth.c_str());
    }
    for (const std::string& h : m_options.headers) headers = curl_slist_append(headers, h.c_str());
    std::string payload;
    if (body) {
        headers = curl_slist_append(headers, "Content-Type: application/json");
        // No "Expect: 100-continue" (curl adds it to bodies over 1 KiB): it costs a round trip
        // per push before the body leaves, and our server reads every body it accepts anyway.
        headers = curl_slist_append(headers, "Expect:");
        if (m_options.gzipRequests) {
            if (!encoded) payload = gzipCompress(*body);
            headers = curl_slist_append(headers, "Content-Encoding: gzip");
        }
        const std::string& sent = encoded || !m_options.gzipRequests ? *body : payload;
        curl_easy_setopt(curl, CURLOPT_POST, 1L);
        curl_easy_setopt(curl, CURLOPT_POSTFIELDS, sent.data());
        curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(sent.size()));
    }
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);

    CURLcode rc = curl_easy_perform(curl);
    curl_slist_free_all(headers);
    // No answer arrived, or one that cannot be decoded, which is no answer either.
    auto unusable = [&](std::string why) {
        response.status = 0;
        response.body.clear();
        response.transportError = std::move(why);
        return response;
    };
    if (rc != CURLE_OK) return unusable(curl_easy_strerror(rc));
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &response.status);
    if (encoding == "gzip" || encoding == "deflate") {
        Inflated inflated = gzipDecompress(response.body, m_options.maxAnswerBytes);
        if (inflated.status == InflateStatus::TooLarge)
            return unusable("the server's answer inflates past the size limit");
        if (inflated.status != InflateStatus::Ok)
            return unusable("the server's answer is not valid " + encoding);
        response.body = std::move(inflated.bytes);
    } else if (!encoding.empty() && encoding != "identity") {
        return unusable("the server's answer has an unknown encoding: " + encoding);
    }
    return response;
}

}  // namespace fadaa
