// tests/integration/sync_input_test.cpp - bad requests get a clear 4xx JSON error and change
// nothing: malformed JSON, wrong types, unknown fields, oversized bodies (plain and gzip bombs),
// invalid UTF-8, unknown and revoked kiosks, a schema mismatch, bad cursors, missing admin
// rights. Each on SQLite and PostgreSQL.
#include <fmt/format.h>

#include <httplib.h>

#include <catch2/catch.hpp>
#include <thread>

#include "protocol_fixture.hpp"
#include "seat_counts.hpp"
#include "store/migrations.hpp"
#include "sync/http_client.hpp"
#include "sync/sync_apply.hpp"
#include "sync/wire.hpp"
#include "util/gzip.hpp"

using namespace fadaa;
using namespace fadaa::test;
using nlohmann::json;

namespace {

// What "nothing changed" means on the server.
struct ServerState {
    long long registrations, ops, changes, kiosks;
    bool operator==(const ServerState&) const = default;
};

ServerState snapshotOf(TestServer& server) {
    return {server.count("SELECT count(*) FROM registration"),
            server.count("SELECT count(*) FROM applied_op"),
            server.count("SELECT coalesce(max(seq), 0) FROM change_log"),
            server.count("SELECT count(*) FROM kiosk WHERE status = 'active'")};
}

std::string schemaHeader(int version = currentSchemaVersion()) {
    return fmt::format("{}: {}", wire::kSchemaHeader, version);
}

void badRequests(ProtocolBackend backend) {
    Setup setup(backend, {"a"}, {"--max-body-mb", "1"});
    TestServer& server = setup.server;
    TestKiosk& a = setup.kiosk("a");
    a.registerPerson("workshop", 1);
    a.registerPerson("workshop", 2);
    std::vector<OutboxOp> ops = pendingOutbox(a.db(), 10);
    REQUIRE(ops.size() == 2);
    const std::string kioskId = *syncStateGet(a.db(), "kiosk_id");
    const std::string auth = "Authorization: Bearer " + *syncStateGet(a.db(), "kiosk_token");
    auto good = [&] {
        json body = {{"kiosk_id", kioskId}, {"ops", json::array()}};
        for (const auto& op : ops) body["ops"].push_back(opToWire(op));
        return body;
    };
    const ServerState before = snapshotOf(server);

    auto expect = [&](const std::string& what, int status, const std::string& error,
                      const std::string& body, std::vector<std::string> headers) {
        INFO(what);
        HttpReply r = server.request("POST", "/v1/sync/push", body, headers);
        INFO(r.status << " " << r.body);
        CHECK(r.status == status);
        json j = r.json();
        REQUIRE(j.is_object());
        CHECK(j["error"] == error);
        CHECK(j["message"].is_string());
        CHECK_FALSE(j["message"].get<std::string>().empty());
        CHECK(snapshotOf(server) == before);
    };
    const std::vector<std::string> headers = {auth, schemaHeader()};

    expect("malformed JSON", 400, "malformed_json", good().dump().substr(0, 40), headers);
    json wrongType = good();
    wrongType["ops"][1]["seq"] = "2";
    expect("seq as text", 400, "wrong_type", wrongType.dump(), headers);
    json wrongPayload = good();
    wrongPayload["ops"][1]["payload"]["answers"] = "not an object";
    expect("answers as text", 400, "invalid_value", wrongPayload.dump(), headers);
    json unknownField = good();
    unknownField["ops"][1]["payload"]["nickname"] = "x";  // the first op is fine: still nothing
    expect("unknown payload field", 400, "unknown_field", unknownField.dump(), headers);
    json unknownTop = good();
    unknownTop["debug"] = true;
    expect("unknown top-level field", 400, "unknown_field", unknownTop.dump(), headers);
    json badUuid = good();
    badUuid["ops"][0]["op_id"] = "not-a-uuid";
    expect("op id not a UUID", 400, "invalid_value", badUuid.dump(), headers);

    std::string invalidUtf8 = good().dump();
    auto at = invalidUtf8.find("Test Person 2");
    REQUIRE(at != std::string::npos);
    invalidUtf8[at + 5] = '\xC3';  // a lead byte followed by an ASCII letter
    expect("invalid UTF-8", 400, "invalid_utf8", invalidUtf8, headers);

    // Over the 1 MiB limit: plainly, and as a small gzip body that inflates past it.
    json big = good();
    big["ops"][0]["payload"]["answers"] = {{"notes", std::string(2 << 20, 'x')}};
    expect("oversized body", 413, "payload_too_large", big.dump(), headers);
    std::string bomb = gzipCompress(std::string(16 << 20, ' ') + good().dump());
    CHECK(bomb.size() < (1 << 20));
    std::vector<std::string> gzipHeaders = headers;
    gzipHeaders.push_back("Content-Encoding: gzip");
    expect("gzip bomb", 413, "payload_too_large", bomb, gzipHeaders);
    std::vector<std::string> brHeaders = headers;
    brHeaders.push_back("Content-Encoding: compress");
    expect("unsupported encoding", 415, "unsupported_encoding", good().dump(), brHeaders);

    expect("no token", 401, "unknown_kiosk", good().dump(), {schemaHeader()});
    expect("unknown token", 401, "unknown_kiosk", good().dump(),
           {"Authorization: Bearer 0123456789abcdef", schemaHeader()});
    expect("no schema", 400, "missing_schema", good().dump(), {auth});
    expect("schema mismatch", 409, "schema_mismatch", good().dump(),
           {auth, schemaHeader(currentSchemaVersion() + 1)});
    json otherKiosk = good();
    otherKiosk["kiosk_id"] = "someone-else";
    expect("kiosk id of another kiosk", 403, "kiosk_mismatch", otherKiosk.dump(), headers);

    // The mismatch answer names the server's schema, so the kiosk can say what to upgrade.
    HttpReply mismatch = server.request("POST", "/v1/sync/push", good().dump(),
                                        {auth, schemaHeader(currentSchemaVersion() - 1)});
    CHECK(mismatch.json()["server_schema"] == currentSchemaVersion());

    // Pull and lease requests are checked just as strictly.
    auto get = [&](const std::string& path, int status, const std::string& error) {
        INFO(path);
        HttpReply r = server.request("GET", path, "", headers);
        CHECK(r.status == status);
        CHECK(r.json()["error"] == error);
    };
    get("/v1/sync/pull?since=garbage", 400, "invalid_value");
    get("/v1/sync/pull?since=0&limit=0", 400, "invalid_value");
    get("/v1/sync/pull?since=0&limit=many", 400, "wrong_type");
    get("/v1/sync/pull?since=0&colour=red", 400, "unknown_field");
    get("/v1/sync/pull?since=ZZZZZZZZ.5", 410, "cursor_expired");
    get("/v1/no/such/thing", 404, "not_found");
    HttpReply lease = server.request(
        "POST", "/v1/seats/lease",
        json{{"kiosk_id", kioskId}, {"sessions", {{{"session_id", "chess"}, {"seats", -1}}}}}
            .dump(),
        headers);
    CHECK(lease.status == 400);
    CHECK(lease.json()["error"] == "invalid_value");

    // Admin routes need the admin token: a kiosk token is not enough.
    HttpReply notAdmin = server.request("PUT", "/v1/admin/sessions/chess", "{}", {auth});
    CHECK(notAdmin.status == 401);
    CHECK(notAdmin.json()["error"] == "not_admin");
    server.admin("PUT", "/v1/admin/sessions/chess",
                 {{"event_id", "chess-open"}, {"starts_at", "soon"}}, 400);
    server.admin("PUT", "/v1/admin/events/x", {{"category_id", "nope"}, {"title", {{"fr", "X"}}}},
                 409);
    CHECK(snapshotOf(server) == before);

    // After all that, the real push still goes through, once.
    SyncReport r = a.sync();
    REQUIRE(r.ok);
    CHECK(server.count("SELECT count(*) FROM registration") == 2);
    checkSeatCounts(setup.server);
}
PROTOCOL_TEST("bad requests get a clear 4xx JSON error and change nothing", badRequests)

void revokedKiosk(ProtocolBackend backend) {
    Setup setup(backend, {"a"}, {"--lease-max-seats", "2"});
    TestServer& server = setup.server;
    TestKiosk& a = setup.kiosk("a");
    CHECK(server.count("SELECT count(*) FROM lease WHERE released_at IS NULL") == 2);
    a.registerPerson("workshop", 1);

    RunResult revoke = server.command({"kiosk", "revoke", "a"});
    INFO(revoke.output);
    REQUIRE(revoke.status.ok());
    // Its leases went back to the sessions.
    CHECK(server.count("SELECT count(*) FROM lease WHERE released_at IS NULL") == 0);
    SyncReport r = a.sync();
    CHECK_FALSE(r.ok);
    CHECK(r.httpStatus == 401);
    CHECK_THAT(r.error, Catch::Contains("revoked"));
    CHECK(a.pending() == 1);  // the kiosk keeps its outbox
    CHECK(server.count("SELECT count(*) FROM registration") == 0);
    CHECK(syncStateGet(a.db(), "last_error").value_or("").find("revoked") != std::string::npos);
    // The name cannot be reused silently.
    CHECK_FALSE(server.command({"kiosk", "add", "a"}).status.ok());
    checkSeatCounts(setup.server);
}
PROTOCOL_TEST("a revoked kiosk is refused, keeps its outbox, and its leases are released",
              revokedKiosk)

}  // namespace

// A server on another schema: the kiosk's sync stops with the reason, and its outbox stays.
TEST_CASE("sync protocol: a schema mismatch stops the sync and keeps the outbox") {
    Setup setup(ProtocolBackend::Sqlite, {"a"});
    TestKiosk& a = setup.kiosk("a");
    a.registerPerson("workshop", 1);
    a.registerPerson("workshop", 2);

    httplib::Server newer;  // answers like a server one schema ahead
    int requests = 0;
    newer.set_pre_routing_handler([&](const httplib::Request&, httplib::Response& res) {
        ++requests;
        res.status = 409;
        res.set_content(
            json{{"error", "schema_mismatch"},
                 {"message", "the kiosk's store has an older schema; upgrade the kiosk"},
                 {"server_schema", currentSchemaVersion() + 1}}
                .dump(),
            "application/json");
        return httplib::Server::HandlerResponse::Handled;
    });
    int port = newer.bind_to_any_port("127.0.0.1");
    std::thread serving([&] { newer.listen_after_bind(); });
    SyncOptions options;
    options.serverUrl = fmt::format("http://127.0.0.1:{}", port);
    SyncReport r = a.sync(options);
    newer.stop();
    serving.join();
    CHECK_FALSE(r.ok);
    CHECK(r.httpStatus == 409);
    CHECK_THAT(r.error, Catch::Contains("upgrade"));
    CHECK(requests == 1);  // stopped at once, nothing retried in a loop
    CHECK(a.pending() == 2);
    CHECK(a.count("SELECT count(*) FROM outbox WHERE state = 'pending'") == 2);
    // Back on a server of its schema, the same ops go through.
    SyncReport again = a.sync();
    REQUIRE(again.ok);
    CHECK(again.pushed == 2);
}
