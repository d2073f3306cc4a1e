// tests/unit/sync_push_answer_test.cpp - the push answer read from its text (push_answer.hpp)
// against the tree reading it replaced (JsonFields, wire::registrationFromWire), hostile
// answers refused with the field named, and the json_scan helpers it is built on.
#include <catch2/catch.hpp>

#include "sync/json_fields.hpp"
#include "sync/json_scan.hpp"
#include "sync/push_answer.hpp"
#include "sync/sync_apply.hpp"

using namespace fadaa;
using nlohmann::json;

namespace {

// "code: message" of the WireError f throws, or "" if it throws none.
std::string refusal(const std::string& text) {
    try {
        readPushAnswer(text);
    } catch (const WireError& e) {
        return e.code() + ": " + e.what();
    }
    return "";
}

// The answer as the kiosk read it before, through a tree.
PushAnswer referenceRead(const json& answer) {
    JsonFields top(answer, "", {"results", "server_time"});
    PushAnswer out;
    if (const json* t = top.optValue("server_time")) out.serverTime = t->get<std::int64_t>();
    const json& results = requireArray(top.value("results"), "results");
    for (size_t i = 0; i < results.size(); ++i) {
        std::string path = "results[" + std::to_string(i) + "]";
        JsonFields f(results[i], path,
                     {"op_id", "result", "reason", "message", "registration", "original_result"});
        PushResult r;
        r.opId = f.text("op_id", 64);
        r.result = f.text("result", 16);
        r.effective = r.result == "duplicate" ? f.optText("original_result", 16).value_or("applied")
                                              : r.result;
        r.reason = f.optText("reason", 64).value_or("");
        r.message = f.optText("message", 1024).value_or("");
        if (const json* reg = f.optValue("registration"))
            r.registration = wire::registrationFromWire(*reg, f.pathOf("registration"));
        out.results.push_back(std::move(r));
    }
    return out;
}

void checkSame(const PushAnswer& a, const PushAnswer& b) {
    CHECK(a.serverTime == b.serverTime);
    REQUIRE(a.results.size() == b.results.size());
    for (size_t i = 0; i < a.results.size(); ++i) {
        const PushResult& x = a.results[i];
        const PushResult& y = b.results[i];
        CHECK(x.opId == y.opId);
        CHECK(x.result == y.result);
        CHECK(x.effective == y.effective);
        CHECK(x.reason == y.reason);
        CHECK(x.message == y.message);
        REQUIRE(x.registration.has_value() == y.registration.has_value());
        if (!x.registration) continue;
        CHECK(x.registration->id == y.registration->id);
        CHECK(x.registration->sessionId == y.registration->sessionId);
        CHECK(x.registration->status == y.registration->status);
        CHECK(x.registration->code == y.registration->code);
        CHECK(x.registration->waitlistPosition == y.registration->waitlistPosition);
    }
}

json registration(const std::string& id, const std::string& status, json position = nullptr) {
    return {{"id", id},
            {"session_id", "s-1"},
            {"status", status},
            {"waitlist_position", position},
            {"code", "7KQ2MX"}};
}

// Four results of every shape the server sends.
json sampleAnswer() {
    return {{"results",
             json::array({{{"op_id", "op-1"},
                           {"result", "remapped"},
                           {"reason", "confirmed"},
                           {"registration", registration("r-1", "confirmed")}},
                          {{"op_id", "op-2"},
                           {"result", "duplicate"},
                           {"original_result", "rejected"},
                           {"reason", "session_cancelled"},
                           {"message", "La séance est annulée \"ce soir\"\n\t\u0001 ✓ 𝄞"}},
                          {{"op_id", "op-3"},
                           {"result", "remapped"},
                           {"reason", "waitlisted"},
                           {"message", nullptr},
                           {"registration", registration("r-3", "waitlisted", 7)}},
                          {{"op_id", "op-4"}, {"result", "applied"}, {"registration", nullptr}}})},
            {"server_time", 1764950300}};
}

// Results as the server writes them (keys sorted, plain ASCII), which the kiosk reads in one
// pass; anything unusual in them goes to the strict reader.
json plainAnswer() {
    json answer = sampleAnswer();
    answer["results"][1]["message"] = "the session was cancelled";
    answer["results"].push_back({{"op_id", "op-5"}, {"result", "duplicate"}, {"message", nullptr}});
    answer["server_time"] = 0;
    return answer;
}

}  // namespace

TEST_CASE("push answer: a plain answer read in one pass as the tree reader read it") {
    json answer = plainAnswer();
    checkSame(readPushAnswer(answer.dump()), referenceRead(answer));
    checkSame(readPushAnswer(answer.dump(2)), referenceRead(answer));
    PushAnswer read = readPushAnswer(answer.dump());
    CHECK(read.results[1].effective == "rejected");
    CHECK(read.results[3].effective == "applied");
    CHECK(read.results[4].effective == "applied");
    CHECK(read.results[2].registration->waitlistPosition == 7);
    CHECK(read.serverTime == 0);
    CHECK(readPushAnswer(R"( {"results":[ ] ,"server_time":null} )").results.empty());
    CHECK(readPushAnswer(R"({"server_time":-12,"results":[{"result":"applied","op_id":""}]})")
              .serverTime == -12);
}

TEST_CASE("push answer: a hostile answer in the plain form is refused as the strict reader does") {
    auto edited = [](const std::function<void(json&)>& edit) {
        json answer = plainAnswer();
        edit(answer["results"][2]);
        return refusal(answer.dump());
    };
    CHECK(edited([](json& r) { r["surprise"] = true; }) ==
          "unknown_field: unknown field results[2].surprise");
    CHECK(edited([](json& r) { r["op_id"] = nullptr; }) ==
          "missing_field: missing field results[2].op_id");
    CHECK(edited([](json& r) { r["op_id"] = std::string(65, 'x'); }) ==
          "invalid_value: results[2].op_id: longer than 64 bytes");
    CHECK(edited([](json& r) { r["result"] = "accepted"; }) ==
          "invalid_value: results[2].result: unknown result");
    CHECK(edited([](json& r) { r["registration"]["status"] = "provisional"; }) ==
          "invalid_value: results[2].registration.status: not a status the server decides");
    CHECK(edited([](json& r) { r["registration"]["code"] = std::string(17, 'K'); }) ==
          "invalid_value: results[2].registration.code: longer than 16 bytes");
    CHECK(edited([](json& r) { r["registration"].erase("session_id"); }) ==
          "missing_field: missing field results[2].registration.session_id");
    CHECK(edited([](json& r) { r["registration"]["waitlist_position"] = 7.5; }) ==
          "wrong_type: results[2].registration.waitlist_position must be an integer, not a "
          "decimal number");
    CHECK(edited([](json& r) { r["registration"]["waitlist_position"] = "7"; }) ==
          "wrong_type: results[2].registration.waitlist_position must be an integer, not text");

    // Texts the tree cannot write: a key twice (the strict reader takes the first), a number
    // with a leading zero, bytes after the object, a control character in a string.
    std::string text = plainAnswer().dump();
    auto replaced = [&](const std::string& from, const std::string& to) {
        std::string t = text;
        REQUIRE(t.find(from) != std::string::npos);
        return t.replace(t.find(from), from.size(), to);
    };
    CHECK(refusal(replaced("\"op_id\":\"op-3\"", "\"op_id\":null,\"op_id\":\"op-3\"")) ==
          "missing_field: missing field results[2].op_id");
    std::string twice = replaced("\"op_id\":\"op-3\"", "\"op_id\":\"op-3\",\"op_id\":\"op-9\"");
    CHECK(readPushAnswer(twice).results[2].opId == "op-3");
    CHECK(refusal(replaced("\"waitlist_position\":7", "\"waitlist_position\":07"))
              .rfind("malformed_json", 0) == 0);
    CHECK(refusal(text + "x").rfind("malformed_json", 0) == 0);
    CHECK(refusal(replaced("\"op-3\"", "\"op\t3\"")).rfind("malformed_json", 0) == 0);
    CHECK(refusal(replaced("\"server_time\":0", "\"server_time\":1e3")) ==
          "wrong_type: server_time must be an integer, not a decimal number");
    CHECK(refusal(replaced("]", "]]")).rfind("malformed_json", 0) == 0);
}

TEST_CASE("push answer: read from text as the tree reader read it") {
    json answer = sampleAnswer();
    checkSame(readPushAnswer(answer.dump()), referenceRead(answer));
    // Whitespace, key order and escapes the server may write differently.
    checkSame(readPushAnswer(answer.dump(2, ' ', true)), referenceRead(answer));
    PushAnswer read = readPushAnswer(answer.dump(-1, ' ', true));
    CHECK(read.results[1].message == answer["results"][1]["message"].get<std::string>());
    CHECK(read.results[1].effective == "rejected");
    CHECK(read.results[3].effective == "applied");
    CHECK(readPushAnswer(R"({"results": [], "server_time": null})").results.empty());
    CHECK_FALSE(readPushAnswer(R"({"results": []})").serverTime);
}

TEST_CASE("push answer: a malformed or hostile answer is refused, naming the field") {
    CHECK(refusal("{\"results\": [").rfind("malformed_json", 0) == 0);
    CHECK(refusal("{\"results\": [], \"server_time\": 1} x").rfind("malformed_json", 0) == 0);
    CHECK(refusal("{\"results\": [{\"op_id\": \"\xC3(\"}]}").rfind("invalid_utf8", 0) == 0);
    CHECK(refusal("[]").rfind("malformed_json", 0) == 0);
    CHECK(refusal(R"({"server_time": 1})") == "missing_field: missing field results");
    CHECK(refusal(R"({"results": {}})") == "wrong_type: results must be an array, not an object");
    CHECK(refusal(R"({"results": [], "server_time": 1.5})") ==
          "wrong_type: server_time must be an integer, not a decimal number");
    CHECK(refusal(R"({"results": [], "extra": 1})") == "unknown_field: unknown field extra");
    CHECK(refusal(R"({"results": [7]})") ==
          "wrong_type: results[0] must be an object, not a number");

    auto withResult = [](const std::function<void(json&)>& edit) {
        json answer = sampleAnswer();
        edit(answer["results"][2]);
        return refusal(answer.dump());
    };
    CHECK(withResult([](json& r) { r["surprise"] = true; }) ==
          "unknown_field: unknown field results[2].surprise");
    CHECK(withResult([](json& r) { r.erase("op_id"); }) ==
          "missing_field: missing field results[2].op_id");
    CHECK(withResult([](json& r) { r["result"] = "accepted"; }) ==
          "invalid_value: results[2].result: unknown result");
    CHECK(withResult([](json& r) { r["result"] = 1; }) ==
          "wrong_type: results[2].result must be text, not a number");
    CHECK(withResult([](json& r) { r["reason"] = std::string(65, 'x'); }) ==
          "invalid_value: results[2].reason: longer than 64 bytes");
    CHECK(withResult([](json& r) { r["registration"]["status"] = "provisional"; }) ==
          "invalid_value: results[2].registration.status: not a status the server decides");
    CHECK(withResult([](json& r) { r["registration"]["waitlist_position"] = "7"; }) ==
          "wrong_type: results[2].registration.waitlist_position must be an integer, not text");
    CHECK(withResult([](json& r) { r["registration"]["seat"] = 1; }) ==
          "unknown_field: unknown field results[2].registration.seat");
    CHECK(withResult([](json& r) { r["registration"] = json::array(); }) ==
          "wrong_type: results[2].registration must be an object, not a list");
    std::string text = sampleAnswer().dump();
    text.replace(text.find("\"waitlisted\""), 12, "\"\xED\xA0\x80\"");  // a surrogate as UTF-8
    CHECK(refusal(text).rfind("invalid_utf8", 0) == 0);
}

TEST_CASE("push answer: the answer must answer the ops sent, one by one, in order") {
    PushAnswer answer = readPushAnswer(sampleAnswer().dump());
    std::vector<OutboxOp> sent(4);
    for (size_t i = 0; i < sent.size(); ++i) sent[i].opId = "op-" + std::to_string(i + 1);
    checkAnswersOps(answer, sent);
    std::swap(sent[1].opId, sent[2].opId);
    CHECK_THROWS_WITH(checkAnswersOps(answer, sent),
                      "results[1].op_id: does not match the op sent");
    sent.pop_back();
    CHECK_THROWS_WITH(checkAnswersOps(answer, sent), "the server answered 4 results for 3 ops");
}

TEST_CASE("json_scan: strings decoded, integers read, checked text split as the scanner does") {
    CHECK(jsonscan::stringValue(R"("plain")") == "plain");
    CHECK(jsonscan::stringValue(R"("a\"b\\c\/d\b\f\n\r\t")") == "a\"b\\c/d\b\f\n\r\t");
    CHECK(jsonscan::stringValue(R"("\u00e9\u0635\ud834\udd1e")") ==
          "é"
          "ص"
          "𝄞");
    CHECK_FALSE(jsonscan::stringValue(R"("\ud834")"));        // a lone high surrogate
    CHECK_FALSE(jsonscan::stringValue(R"("\udd1e\ud834")"));  // pair in the wrong order
    CHECK_FALSE(jsonscan::stringValue(R"("\x")"));
    CHECK_FALSE(jsonscan::stringValue(R"("open)"));
    CHECK_FALSE(jsonscan::stringValue("7"));
    for (const char* text : {"0", "-1", "42", "9223372036854775807", "-9223372036854775808"})
        CHECK(jsonscan::integerValue(text) == json::parse(text).get<std::int64_t>());
    for (const char* text : {"", "-", "01", "1.0", "1e3", "9223372036854775808",
                             "-9223372036854775809", "12345678901234567890", "\"1\"", "true"})
        CHECK_FALSE(jsonscan::integerValue(text));

    std::string doc = sampleAnswer().dump(1, '\t', true);
    auto top = jsonscan::objectMembers(doc);
    REQUIRE(top);
    auto checkedTop = jsonscan::checkedObjectMembers(doc);
    REQUIRE(checkedTop);
    REQUIRE(checkedTop->size() == top->size());
    for (size_t i = 0; i < top->size(); ++i) {
        CHECK((*checkedTop)[i].key == (*top)[i].key);
        CHECK((*checkedTop)[i].value == (*top)[i].value);
    }
    std::string_view results = (*top)[0].value;
    CHECK(jsonscan::checkedArrayElements(results) == jsonscan::arrayElements(results));
    CHECK(jsonscan::arrayElements(results)->size() == 4);
    CHECK_FALSE(jsonscan::arrayElements("[1,]"));
    CHECK_FALSE(jsonscan::checkedArrayElements("{}"));
    CHECK_FALSE(jsonscan::checkedObjectMembers("{\"open"));  // stays inside the text
}

TEST_CASE("json_scan: a quote, backslash, control or non-ASCII byte found at any offset") {
    // The scanner skips plain text 8 bytes at a time: each special byte at each position of a
    // word, in strings of every length around it.
    for (size_t len = 0; len < 20; ++len) {
        for (size_t at = 0; at < len; ++at) {
            std::string plain(len, 'a');
            auto object = [](const std::string& value) { return "{\"k\":\"" + value + "\"}"; };
            CHECK(jsonscan::objectMembers(object(plain)));
            std::string s = plain;
            s[at] = '\x1f';
            CHECK_FALSE(jsonscan::objectMembers(object(s)));
            s[at] = '"';
            CHECK_FALSE(jsonscan::objectMembers(object(s)));
            s = plain;
            s.replace(at, 1, "\\\"");
            std::string text = object(s);  // the members are views into it
            auto escaped = jsonscan::objectMembers(text);
            REQUIRE(escaped);
            CHECK(jsonscan::stringValue((*escaped)[0].value) ==
                  plain.substr(0, at) + "\"" + plain.substr(at + 1));
            s = plain;
            s.replace(at, 1, "\\q");
            CHECK_FALSE(jsonscan::objectMembers(object(s)));
            s = plain;
            s[at] = '\xC3';
            CHECK_FALSE(jsonscan::objectMembers(object(s)));  // a lone lead byte
            s.insert(at + 1, "\xA9");
            CHECK(jsonscan::objectMembers(object(s)));  // é
        }
    }
}
