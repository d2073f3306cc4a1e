// tests/integration/push_read_test.cpp - the push body scanner (server/lib/push_scan.cpp) reads
// exactly what the strict reader reads, and leaves every body it is not sure of (above all
// every bad one) to the strict reader, whose errors the kiosk sees.
#include <fmt/format.h>

#include <catch2/catch.hpp>
#include <functional>

#include "push_service.hpp"
#include "sync/json_fields.hpp"

using namespace fadaa;
using namespace fadaa::server;
using nlohmann::json;

namespace {

json registerOp(int seq) {
    return {{"op_id", fmt::format("0190a000-0000-7000-8000-{:012d}", seq)},
            {"seq", seq},
            {"kind", "register"},
            {"created_at", 1764950000 + seq},
            {"payload",
             {{"registration_id", fmt::format("0190b000-0000-7000-8000-{:012d}", seq)},
              {"session_id", "chess-1"},
              {"code", "7KQ2MX"},
              {"name", "Fatima Zahra Ait Benhaddou"},
              {"phone", "+212612345678"},
              {"age_band", nullptr},
              {"answers", json::object()},
              {"local_status", "confirmed"},
              {"lease_id", nullptr}}}};
}

json cancelOp(int seq, std::string_view kind = "cancel") {
    return {{"op_id", fmt::format("0190a000-0000-7000-8000-{:012d}", seq)},
            {"seq", seq},
            {"kind", kind},
            {"created_at", 1764950000 + seq},
            {"payload", {{"registration_id", "0190b000-0000-7000-8000-000000000001"}}}};
}

json body(std::vector<json> ops) {
    return {{"kiosk_id", "0190c000-0000-7000-8000-000000000001"}, {"ops", ops}};
}

// The fields both readers fill, as one comparable value.
std::vector<std::string> flatten(const PushRequest& r) {
    std::vector<std::string> out{r.kioskId};
    for (const PushOp& op : r.ops) {
        const RegisterIntent& g = op.reg;
        for (const std::string& s :
             {op.opId, std::to_string(op.seq), op.kind, std::to_string(op.createdAt),
              op.registrationId, g.registrationId, g.sessionId, g.code, g.name, g.phone,
              g.personKey, g.localStatus, g.answers, g.ageBand.value_or("<none>"),
              g.leaseId.value_or("<none>")})
            out.push_back(s);
    }
    return out;
}

std::vector<std::string> strict(const std::string& text) {
    return flatten(parsePushRequest(parseJson(text), 1000));
}

}  // namespace

TEST_CASE("push reader: the scanner reads what the strict reader reads") {
    json full = registerOp(3);
    full["payload"]["age_band"] = "18-25";
    full["payload"]["lease_id"] = "0190d000-0000-7000-8000-000000000009";
    full["payload"]["answers"] = {
        {"level", "débutant"}, {"age", 12}, {"club", true}, {"note", nullptr}, {"rating", 1.5}};
    full["payload"]["name"] = "محمد أمين";  // UTF-8 as kiosks write it
    json spaced = registerOp(4);
    spaced["payload"]["answers"] = json::object();
    std::vector<std::string> bodies = {
        body({}).dump(),
        body({registerOp(1), cancelOp(2), full, cancelOp(5, "check_in")}).dump(),
        // whitespace anywhere, keys in any order, optional fields absent
        " {\"ops\" : [ {\"payload\": {\"local_status\":\"waitlisted\", \"phone\":\"+2126\", "
        "\"name\":\"A\", \"code\":\"7KQ2MX\", \"session_id\":\"s.1_x\", \"registration_id\":"
        "\"0190b000-0000-7000-8000-000000000001\", \"answers\": { } }, \"kind\":\"register\","
        "\"created_at\": -5, \"seq\": 0, \"op_id\":\"0190a000-0000-7000-8000-000000000001\"}\n"
        "] ,\"kiosk_id\":\"k\" }\r\n",
        body({spaced}).dump(2),
    };
    for (const std::string& text : bodies) {
        INFO(text);
        auto fast = scanPushRequest(text, 1000);
        REQUIRE(fast);
        CHECK(flatten(*fast) == strict(text));
        CHECK(flatten(readPushRequest(text, 1000)) == strict(text));
    }
}

TEST_CASE("push reader: the scanner leaves bad and unusual bodies to the strict reader") {
    auto withOp = [](const std::function<void(json&)>& change) {
        json op = registerOp(1);
        change(op);
        return body({op}).dump();
    };
    std::string leadingZero = body({registerOp(1)}).dump();
    leadingZero.replace(leadingZero.find("\"seq\":1"), 7, "\"seq\":01");
    // Each is refused by the strict reader: the scanner must not accept it.
    std::vector<std::pair<std::string, std::string>> bad = {
        {"malformed_json", body({registerOp(1)}).dump().substr(0, 60)},
        {"malformed_json", "{\"kiosk_id\":\"k\",\"ops\":[],}"},
        {"malformed_json", "{\"kiosk_id\":\"k\",\"ops\":[]} x"},
        {"malformed_json", leadingZero},
        {"invalid_utf8", "{\"kiosk_id\":\"k\xff\",\"ops\":[]}"},
        {"wrong_type", withOp([](json& o) { o["seq"] = "1"; })},
        {"wrong_type", withOp([](json& o) { o["seq"] = 1.5; })},
        {"wrong_type", withOp([](json& o) { o["payload"]["name"] = 7; })},
        {"unknown_field", withOp([](json& o) { o["payload"]["nmae"] = "x"; })},
        {"unknown_field", withOp([](json& o) { o["extra"] = 1; })},
        {"missing_field", withOp([](json& o) { o["payload"].erase("phone"); })},
        {"missing_field", withOp([](json& o) { o.erase("created_at"); })},
        {"invalid_value", withOp([](json& o) { o["payload"]["phone"] = "0612"; })},
        {"invalid_value", withOp([](json& o) { o["payload"]["code"] = "7kq2mx"; })},
        {"invalid_value", withOp([](json& o) { o["payload"]["session_id"] = "a b"; })},
        {"invalid_value", withOp([](json& o) { o["payload"]["local_status"] = "maybe"; })},
        {"invalid_value", withOp([](json& o) { o["payload"]["answers"] = "text"; })},
        {"invalid_value", withOp([](json& o) {
             o["payload"]["answers"] = {{"a", {1, 2}}};
         })},
        {"invalid_value", withOp([](json& o) { o["payload"]["name"] = std::string(401, 'a'); })},
        {"invalid_value", withOp([](json& o) { o["op_id"] = "0190A000-0000-7000-8000-1"; })},
        {"invalid_value", withOp([](json& o) { o["payload"]["lease_id"] = "lease"; })},
        {"invalid_value", body({registerOp(2), registerOp(1)}).dump()},
        {"wrong_type", "{\"kiosk_id\":\"k\",\"ops\":{}}"},
    };
    for (const auto& [code, text] : bad) {
        INFO(code << ": " << text);
        CHECK_FALSE(scanPushRequest(text, 1000));
        try {
            readPushRequest(text, 1000);
            FAIL("accepted");
        } catch (const WireError& e) {
            CHECK(e.code() == code);
        }
    }
    // Too many ops: refused as a whole by the strict reader.
    std::string two = body({registerOp(1), registerOp(2)}).dump();
    CHECK_FALSE(scanPushRequest(two, 1));
    CHECK_THROWS_AS(readPushRequest(two, 1), WireError);

    // Valid, but not in the form kiosks write: the strict reader decides, with the same result.
    std::vector<std::string> unusual = {
        withOp([](json& o) { o["payload"]["name"] = "Quote \" and \\ backslash"; }),
        "{\"kiosk_id\":\"k\",\"kiosk_id\":\"k\",\"ops\":[]}",
        withOp([](json& o) { o["kind"] = "teleport"; }),
    };
    for (const std::string& text : unusual) {
        INFO(text);
        CHECK_FALSE(scanPushRequest(text, 1000));
        CHECK(flatten(readPushRequest(text, 1000)) == strict(text));
    }
}
