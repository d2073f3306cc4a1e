// tests/integration/sync_gzip_test.cpp - gzip both ways on a real fadaa-server on loopback:
// request bodies from zlib (old kiosks, httplib) and libdeflate, HTTP "deflate", and the
// refusals (corrupt, truncated, trailing bytes, bombs with a lying size trailer) that change
// nothing; answers gzipped only for clients that accept gzip; and the kiosk's HttpClient
// against answers it cannot use (a fake server injects those faults).
#include <fmt/format.h>
#include <httplib.h>

#include <catch2/catch.hpp>
#include <thread>

#include "protocol_fixture.hpp"
#include "store/migrations.hpp"
#include "support/zlib_stream.hpp"
#include "sync/http_client.hpp"
#include "sync/sync_apply.hpp"
#include "sync/wire.hpp"
#include "util/gzip.hpp"

using namespace fadaa;
using namespace fadaa::test;
using nlohmann::json;

namespace {

// A kiosk with two registrations waiting and the raw push request that would carry them.
struct PushFixture {
    Setup setup{ProtocolBackend::Sqlite, {"a"}};
    TestServer& server = setup.server;
    std::string body;
    std::vector<std::string> headers;

    PushFixture() {
        TestKiosk& a = setup.kiosk("a");
        a.registerPerson("workshop", 1);
        a.registerPerson("workshop", 2);
        json request = {{"kiosk_id", *syncStateGet(a.db(), "kiosk_id")}, {"ops", json::array()}};
        for (const auto& op : pendingOutbox(a.db(), 10)) request["ops"].push_back(opToWire(op));
        body = request.dump();
        headers = {"Authorization: Bearer " + *syncStateGet(a.db(), "kiosk_token"),
                   fmt::format("{}: {}", wire::kSchemaHeader, currentSchemaVersion())};
    }
    HttpReply push(const std::string& payload, std::vector<std::string> extra) {
        std::vector<std::string> h = headers;
        h.insert(h.end(), extra.begin(), extra.end());
        return server.request("POST", "/v1/sync/push", payload, h);
    }
    long long registrations() { return server.count("SELECT count(*) FROM registration"); }
};

}  // namespace

TEST_CASE("gzip [sqlite]: a gzip or deflate push body is read, answered gzip when accepted") {
    SECTION("gzip from libdeflate, the answer gzipped") {
        PushFixture f;
        HttpReply r =
            f.push(gzipCompress(f.body), {"Content-Encoding: gzip", "Accept-Encoding: gzip"});
        INFO(r.status << " " << r.body);
        REQUIRE(r.status == 200);
        CHECK(r.headers["Content-Encoding"] == "gzip");
        CHECK(r.json()["results"].size() == 2);  // inflated by the test's client
        CHECK(f.registrations() == 2);
    }
    SECTION("gzip from zlib (httplib compresses the body), the answer plain") {
        PushFixture f;
        httplib::Client client(f.server.url());
        client.set_compress(true);  // zlib's gzip, as kiosks before libdeflate sent
        httplib::Headers h = {
            {"Authorization", f.headers[0].substr(15)},
            {std::string(wire::kSchemaHeader), std::to_string(currentSchemaVersion())},
            {"Accept-Encoding", "identity"}};
        auto r = client.Post("/v1/sync/push", h, f.body, "application/json");
        REQUIRE(r);
        INFO(r->status << " " << r->body);
        REQUIRE(r->status == 200);
        CHECK_FALSE(r->has_header("Content-Encoding"));  // the client did not accept gzip
        CHECK(json::parse(r->body)["results"].size() == 2);
        CHECK(f.registrations() == 2);
    }
    SECTION("HTTP deflate (a zlib stream)") {
        PushFixture f;
        HttpReply r = f.push(zlibStream(f.body), {"Content-Encoding: deflate"});
        INFO(r.status << " " << r.body);
        REQUIRE(r.status == 200);
        CHECK(f.registrations() == 2);
    }
}

TEST_CASE("gzip [sqlite]: bad gzip bodies get a clear 4xx and change nothing") {
    PushFixture f;
    auto expect = [&](const std::string& what, const std::string& payload, int status,
                      const std::string& error, const std::string& encoding = "gzip") {
        INFO(what);
        HttpReply r = f.push(payload, {"Content-Encoding: " + encoding});
        INFO(r.status << " " << r.body);
        CHECK(r.status == status);
        CHECK(r.json()["error"] == error);
        CHECK_FALSE(r.json()["message"].get<std::string>().empty());
        CHECK(f.registrations() == 0);
    };
    std::string gz = gzipCompress(f.body);
    std::string flipped = gz;
    flipped[gz.size() / 2] = static_cast<char>(flipped[gz.size() / 2] ^ 0x55);
    expect("corrupt", flipped, 400, "unreadable_body");
    expect("truncated", gz.substr(0, gz.size() - 6), 400, "unreadable_body");
    expect("trailing bytes", gz + "garbage", 400, "unreadable_body");
    expect("not compressed at all", f.body, 400, "unreadable_body");
    // The default limit is 8 MiB, after inflating.
    std::string bomb = gzipCompress(std::string(64 << 20, ' ') + f.body);
    CHECK(bomb.size() < (1 << 20));
    expect("gzip bomb", bomb, 413, "payload_too_large");
    std::string liar = bomb;  // its size trailer says 100 bytes
    liar[liar.size() - 4] = 100;
    liar[liar.size() - 3] = liar[liar.size() - 2] = liar[liar.size() - 1] = 0;
    expect("gzip bomb with a lying size", liar, 413, "payload_too_large");
    expect("deflate bomb", zlibStream(std::string(64 << 20, ' ')), 413, "payload_too_large",
           "deflate");
    expect("two encodings", gz, 415, "unsupported_encoding", "gzip, gzip");
    // After all that, the same body goes through once.
    HttpReply ok = f.push(gz, {"Content-Encoding: gzip"});
    CHECK(ok.status == 200);
    CHECK(f.registrations() == 2);
}

TEST_CASE("gzip [sqlite]: pull pages are gzipped only for clients that accept gzip") {
    PushFixture f;
    auto pull = [&](const std::string& acceptEncoding) {
        httplib::Client client(f.server.url());
        client.set_decompress(false);  // the bytes as they came
        httplib::Headers h = {
            {"Authorization", f.headers[0].substr(15)},
            {std::string(wire::kSchemaHeader), std::to_string(currentSchemaVersion())},
            {"Accept-Encoding", acceptEncoding}};
        auto r = client.Get("/v1/sync/pull?since=&limit=100", h);
        REQUIRE(r);
        REQUIRE(r->status == 200);
        return *r;
    };
    httplib::Response plain = pull("identity");
    CHECK_FALSE(plain.has_header("Content-Encoding"));
    json page = json::parse(plain.body);
    CHECK(page["changes"].size() == 10);
    httplib::Response gz = pull("gzip");
    CHECK(gz.get_header_value("Content-Encoding") == "gzip");
    Inflated inflated = gzipDecompress(gz.body, 1 << 20);
    REQUIRE(inflated.status == InflateStatus::Ok);
    json again = json::parse(inflated.bytes);
    CHECK(again["changes"] == page["changes"]);
    CHECK(gz.body.size() < plain.body.size() / 2);
}

// The kiosk's client inflates answers itself: a zlib-made gzip answer (httplib compresses JSON)
// reads as it was; a corrupt one or one past maxAnswerBytes is no answer (status 0), as when
// curl's own decoder failed.
TEST_CASE("gzip: the kiosk's client reads gzip answers and refuses bad ones") {
    const std::string text = json{{"status", "ok"}, {"pad", std::string(50000, 'x')}}.dump();
    httplib::Server fake;
    fake.Get("/zlib", [&](const httplib::Request& req, httplib::Response& res) {
        CHECK(req.get_header_value("Accept-Encoding") == "gzip");
        res.set_content(text, "application/json");  // httplib gzips it with zlib
    });
    fake.Get("/corrupt", [&](const httplib::Request&, httplib::Response& res) {
        std::string gz = gzipCompress(text);
        gz[gz.size() / 2] = static_cast<char>(gz[gz.size() / 2] ^ 0x55);
        res.set_header("Content-Encoding", "gzip");
        res.set_content(gz, "application/json; charset=utf-8");
    });
    fake.Get("/bomb", [&](const httplib::Request&, httplib::Response& res) {
        res.set_header("Content-Encoding", "gzip");
        res.set_content(gzipCompress(std::string(4 << 20, ' ')), "application/json; charset=utf-8");
    });
    fake.Get("/brotli", [&](const httplib::Request&, httplib::Response& res) {
        res.set_header("Content-Encoding", "br");
        res.set_content(text, "application/json; charset=utf-8");
    });
    int port = fake.bind_to_any_port("127.0.0.1");
    std::thread serving([&] { fake.listen_after_bind(); });

    HttpClientOptions options;
    options.baseUrl = fmt::format("http://127.0.0.1:{}", port);
    options.maxAnswerBytes = 1 << 20;
    HttpClient client(options);
    HttpResponse zlib = client.get("/zlib");
    CHECK(zlib.status == 200);
    CHECK(zlib.body == text);
    for (const char* path : {"/corrupt", "/bomb", "/brotli"}) {
        INFO(path);
        HttpResponse r = client.get(path);
        CHECK(r.status == 0);
        CHECK_FALSE(r.reached());
        CHECK(r.body.empty());
        CHECK_FALSE(r.transportError.empty());
    }
    CHECK(client.get("/zlib").body == text);  // the connection is still good
    fake.stop();
    serving.join();
}
