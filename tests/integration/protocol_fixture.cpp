// tests/integration/protocol_fixture.cpp - server process, admin API, raw HTTP, kiosks.
#include "protocol_fixture.hpp"

#include <fmt/format.h>
#include <httplib.h>
#include <signal.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <chrono>
#include <thread>

#include "registration/registration.hpp"
#include "sql.hpp"
#include "util/time.hpp"

namespace fadaa::test {

using nlohmann::json;
using namespace std::chrono_literals;

namespace {
// A server that answers 413 before reading a whole body closes the socket while the request is
// still being written: that must fail the request, not kill the test with SIGPIPE.
const bool kIgnoreSigpipe = [] {
    signal(SIGPIPE, SIG_IGN);
    return true;
}();
}  // namespace

bool postgresAvailable() {
    return std::filesystem::exists(binDir() / "pg" / "url");
}

Setup::Setup(ProtocolBackend backend, std::vector<std::string> kioskNames,
             std::vector<std::string> serverArgs, SyncOptions firstSync)
    : server(dir / "server", backend) {
    server.start(std::move(serverArgs));
    server.loadTestCatalogue();
    for (const std::string& name : kioskNames) {
        auto k = std::make_unique<TestKiosk>(dir.path(), name);
        k->enrol(server);
        SyncReport r = k->sync(firstSync);
        INFO(name << ": " << r.error);
        REQUIRE(r.ok);
        kiosks[name] = std::move(k);
    }
}

TestKiosk& Setup::kiosk(const std::string& name) {
    return *kiosks.at(name);
}

bool eventually(const std::function<bool()>& f, std::chrono::milliseconds limit) {
    auto until = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < until) {
        if (f()) return true;
        std::this_thread::sleep_for(20ms);
    }
    return f();
}

std::string testName(int person) {
    return fmt::format("Test Person {}", person);
}
std::string testPhone(int person) {
    return fmt::format("0661{:06d}", person);
}

json HttpReply::json() const {
    return nlohmann::json::parse(body, nullptr, false);
}

// ---------------------------------------------------------------------------------------------
// TestServer

void TestServer::start(std::vector<std::string> extraArgs) {
    if (m_adminToken.empty()) {
        RunResult r = command({"admin", "token"});
        REQUIRE(r.status.ok());
        m_adminToken = r.output.substr(0, r.output.find('\n'));
    }
    ServerProcess::start(std::move(extraArgs));
}

std::string TestServer::url() const {
    bool tls = std::find(extraArgs().begin(), extraArgs().end(), "--tls-cert") != extraArgs().end();
    return fmt::format("{}://127.0.0.1:{}", tls ? "https" : "http", port());
}

HttpReply TestServer::request(const std::string& method, const std::string& path,
                              const std::string& body, std::vector<std::string> headers) {
    httplib::Client client(url());
    client.set_read_timeout(30);
    client.enable_server_certificate_verification(false);  // tests of verification use SyncClient
    httplib::Headers h;
    std::string contentType = "application/json";
    for (const std::string& line : headers) {
        auto colon = line.find(':');
        std::string name = line.substr(0, colon), value = line.substr(colon + 2);
        if (name == "Content-Type")
            contentType = value;
        else
            h.emplace(name, value);
    }
    httplib::Result r = method == "GET"      ? client.Get(path.c_str(), h)
                        : method == "DELETE" ? client.Delete(path.c_str(), h)
                        : method == "PUT" ? client.Put(path.c_str(), h, body, contentType.c_str())
                                          : client.Post(path.c_str(), h, body, contentType.c_str());
    HttpReply reply;
    if (!r) return reply;
    reply.status = r->status;
    reply.body = r->body;
    for (const auto& [k, v] : r->headers) reply.headers[k] = v;
    return reply;
}

json TestServer::admin(const std::string& method, const std::string& path, const json& body,
                       int expectStatus) {
    HttpReply r = request(method, path, body.is_null() ? "" : body.dump(),
                          {"Authorization: Bearer " + m_adminToken});
    INFO(method << " " << path << " -> " << r.status << " " << r.body);
    REQUIRE(r.status == expectStatus);
    return r.json();
}

long long TestServer::count(const std::string& sql) {
    auto backend = openStore();
    auto conn = backend->acquire();
    return std::stoll(conn->scalar(sql).value_or("0"));
}

void TestServer::loadTestCatalogue() {
    Timestamp start = nowUtc() + 4 * 86400, end = start + 7200, closed = nowUtc() - 3600;
    std::string text = fmt::format(R"json({{
      "categories": [{{"id": "chess", "name": {{"fr": "Échecs", "ar": "شطرنج"}}}},
                     {{"id": "workshop", "name": {{"fr": "Atelier"}}, "sort_order": 2}}],
      "venues": [{{"id": "hall", "name": {{"fr": "Grande salle"}}, "address": "Benguerir"}}],
      "organizers": [{{"id": "club", "name": {{"fr": "Club d'échecs"}}}}],
      "events": [
        {{"id": "chess-open", "category_id": "chess", "organizer_id": "club",
          "title": {{"fr": "Open d'échecs", "en": "Chess open"}},
          "form": [{{"key": "section", "type": "choice", "label": {{"fr": "Section"}},
                    "choices": ["u10", "u14"]}}]}},
        {{"id": "robotics", "category_id": "workshop", "title": {{"fr": "Robotique"}}}}],
      "sessions": [
        {{"id": "chess", "event_id": "chess-open", "venue_id": "hall", "starts_at": {0},
          "ends_at": {1}, "capacity": 30}},
        {{"id": "small", "event_id": "chess-open", "venue_id": "hall", "starts_at": {0},
          "ends_at": {1}, "capacity": 3}},
        {{"id": "workshop", "event_id": "robotics", "venue_id": "hall", "starts_at": {0},
          "ends_at": {1}, "capacity": null}},
        {{"id": "closed", "event_id": "robotics", "venue_id": "hall", "starts_at": {0},
          "ends_at": {1}, "capacity": 10, "reg_closes_at": {2}}}]
    }})json",
                                   start, end, closed);
    admin("PUT", "/v1/admin/catalogue", json::parse(text));
}

// ---------------------------------------------------------------------------------------------
// TestKiosk

TestKiosk::TestKiosk(const std::filesystem::path& dir, const std::string& name)
    : m_path(dir / (name + ".sqlite")), m_name(name), m_db(std::make_unique<Database>(m_path)) {}

void TestKiosk::enrol(TestServer& server) {
    serverUrl = server.url();
    EnrolResult r = SyncClient::enrol(*m_db, serverUrl, server.addKiosk(m_name));
    INFO(r.error);
    REQUIRE(r.ok);
}

SyncReport TestKiosk::sync(SyncOptions options) {
    if (options.serverUrl.empty()) options.serverUrl = serverUrl;
    options.requestTimeoutMs = 20000;
    return SyncClient(*m_db, options).syncOnce();
}

Registration TestKiosk::registerPerson(const std::string& sessionId, int person) {
    RegistrationService service(*m_db, syncStateGet(*m_db, "kiosk_id").value_or("local"));
    RegistrationRequest request;
    request.sessionId = sessionId;
    request.name = testName(person);
    request.phone = testPhone(person);
    if (sessionId == "chess" || sessionId == "small") request.answers["section"] = "u14";
    RegistrationOutcome outcome = service.registerFor(request);
    std::string problems;
    for (const auto& e : outcome.errors) problems += e.field + ": " + e.messageKey + "; ";
    INFO(problems);
    REQUIRE(outcome.ok);
    return outcome.registration;
}

std::optional<Registration> TestKiosk::cancel(const Registration& r) {
    RegistrationService service(*m_db, syncStateGet(*m_db, "kiosk_id").value_or("local"));
    CancelOutcome outcome = service.cancel(r.code, r.phone);
    return outcome.cancelled;
}

std::string TestKiosk::status(const std::string& registrationId) {
    auto& st =
        m_db->prepare("SELECT status FROM registration WHERE id = ?").bindAll(registrationId);
    std::string s = st.step() ? st.getText(0) : "";
    st.reset();
    return s;
}

std::optional<int> TestKiosk::waitlistPosition(const std::string& registrationId) {
    RegistrationService service(*m_db, "");
    for (const Registration& r : service.all())
        if (r.id == registrationId) return r.waitlistPosition;
    return std::nullopt;
}

int TestKiosk::pending() {
    return pendingOps(*m_db);
}

long long TestKiosk::count(const std::string& sql) {
    auto& st = m_db->prepare(sql);
    st.step();
    long long n = st.getInt(0);
    st.reset();
    return n;
}

}  // namespace fadaa::test
