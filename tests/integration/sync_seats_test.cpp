// tests/integration/sync_seats_test.cpp - what an enrolled kiosk shows and confirms, against a
// real fadaa-server: seats left from the city's counts, unacknowledged registrations and the
// kiosk's lease; unlimited sessions confirmed at once; a lease not used past its validity by
// the boot clock; registrations carrying the enrolled kiosk id. Each on SQLite and PostgreSQL.
#include <catch2/catch.hpp>

#include "catalogue/catalogue.hpp"
#include "protocol_fixture.hpp"
#include "registration/registration.hpp"
#include "seat_counts.hpp"

using namespace fadaa;
using namespace fadaa::test;
using nlohmann::json;

namespace {

std::optional<int> seatsLeft(TestKiosk& k, const std::string& sessionId) {
    Catalogue catalogue(k.db());
    auto listing = catalogue.session(sessionId);
    REQUIRE(listing);
    // The listing page and the single card agree.
    SessionQuery q;
    q.includeCancelled = true;
    for (const SessionListing& l : catalogue.sessions(q))
        if (l.session.id == sessionId) CHECK(l.seatsLeft == listing->seatsLeft);
    return listing->seatsLeft;
}

void seatsLeftFromTheCity(ProtocolBackend backend) {
    SyncOptions asked;
    asked.leaseSeats = 2;
    // "small" has 3 seats: a, syncing first, holds 2 of them; b gets the last one.
    Setup setup(backend, {"a", "b"}, {"--lease-max-seats", "2"}, asked);
    TestKiosk &a = setup.kiosk("a"), &b = setup.kiosk("b");
    REQUIRE(b.count("SELECT seats FROM seat_lease WHERE session_id = 'small'") == 1);

    // b uses its seat; once a has synced it knows the third seat is gone, and shows its own 2.
    REQUIRE(b.registerPerson("small", 1).status == RegistrationStatus::Confirmed);
    REQUIRE(b.sync(asked).ok);
    REQUIRE(a.sync(asked).ok);
    CHECK(seatsLeft(a, "small") == 2);
    // Offline, a confirms from its lease: the seats it can still confirm are shown, no more.
    CHECK(a.registerPerson("small", 2).status == RegistrationStatus::Confirmed);
    CHECK(seatsLeft(a, "small") == 1);
    CHECK(a.registerPerson("small", 3).status == RegistrationStatus::Confirmed);
    CHECK(seatsLeft(a, "small") == 0);
    CHECK(a.registerPerson("small", 4).status == RegistrationStatus::Provisional);
    CHECK(seatsLeft(a, "small") == 0);

    // chess (30 seats): a and b hold 2 each. A provisional registration waiting to be pushed
    // takes a free seat of the city first.
    CHECK(seatsLeft(a, "chess") == 28);  // 26 free in the city + the 2 a holds
    a.registerPerson("chess", 10);
    a.registerPerson("chess", 11);
    CHECK(seatsLeft(a, "chess") == 26);  // from the lease
    Registration p = a.registerPerson("chess", 12);
    REQUIRE(p.status == RegistrationStatus::Provisional);
    CHECK(seatsLeft(a, "chess") == 25);
    CHECK(Catalogue(a.db()).session("chess")->taken == 3);

    // The push is answered but the pull fails: the counts are old, the kiosk still counts its
    // three registrations once.
    SyncOptions noPull = asked;
    noPull.maxPages = 0;
    SyncReport cut = a.sync(noPull);
    REQUIRE_FALSE(cut.ok);
    REQUIRE(a.pending() == 0);
    CHECK(a.status(p.id) == "confirmed");
    CHECK(seatsLeft(a, "chess") == 25);
    // A full sync: the server's counts and a renewed lease (2 unused seats again).
    REQUIRE(a.sync(asked).ok);
    REQUIRE(a.count("SELECT seats - used FROM seat_lease WHERE session_id = 'chess'") == 2);
    CHECK(seatsLeft(a, "chess") == 25);  // 30 - 3 taken - 2 leased to b
    CHECK(Catalogue(a.db()).session("chess")->taken == 3);

    // Another kiosk's sale appears after a sync, never before; unlimited stays unlimited.
    b.registerPerson("chess", 20);
    b.registerPerson("chess", 21);
    b.registerPerson("chess", 22);  // provisional at b
    // b last pulled before a's three: 30 - 4 leased (2 each) - its own provisional one.
    CHECK(seatsLeft(b, "chess") == 25);
    REQUIRE(b.sync(asked).ok);
    REQUIRE(a.sync(asked).ok);
    CHECK(seatsLeft(a, "chess") == 22);  // 30 - 6 taken - 2 leased to b
    CHECK_FALSE(seatsLeft(a, "workshop").has_value());
    checkSeatCounts(setup.server);
}
PROTOCOL_TEST("an enrolled kiosk shows the seats the city has left and its own lease holds",
              seatsLeftFromTheCity)

void unlimitedConfirmedAtOnce(ProtocolBackend backend) {
    Setup setup(backend, {"a"});
    TestKiosk& a = setup.kiosk("a");
    REQUIRE(a.count("SELECT count(*) FROM seat_lease WHERE session_id = 'workshop'") == 0);
    Registration r = a.registerPerson("workshop", 1);
    CHECK(r.status == RegistrationStatus::Confirmed);
    SyncReport sync = a.sync();
    REQUIRE(sync.ok);
    CHECK(sync.applied == 1);  // the server agrees: not remapped
    CHECK(a.count("SELECT count(*) FROM outbox WHERE state = 'applied'") == 1);
    CHECK(a.status(r.id) == "confirmed");
    CHECK(setup.server.count("SELECT count(*) FROM registration WHERE status = 'confirmed' "
                             "AND local_status = 'confirmed'") == 1);
}
PROTOCOL_TEST("a session without a capacity limit is confirmed at once, and the server agrees",
              unlimitedConfirmedAtOnce)

void leaseHeldByTheBootClock(ProtocolBackend backend) {
    Setup setup(backend, {"a"});
    TestKiosk& a = setup.kiosk("a");
    auto leaseEnd = a.count("SELECT expires_at FROM seat_lease WHERE session_id = 'chess'");
    json receipt = json::parse(syncStateGet(a.db(), "lease_clock").value_or("null"));
    REQUIRE(receipt.is_object());
    // The server's own clock: the lease lasts --lease-hours (24) from the answer.
    CHECK(leaseEnd - receipt["server_time"].get<std::int64_t>() == 24 * 3600);

    auto registerWith = [&](ClockReading clocks, int person) {
        RegistrationService service(a.db(), "local");
        service.setClocks([clocks] { return clocks; });
        RegistrationRequest request;
        request.sessionId = "chess";
        request.name = testName(person);
        request.phone = testPhone(person);
        request.answers["section"] = "u14";
        RegistrationOutcome outcome = service.registerFor(request);
        REQUIRE(outcome.ok);
        return outcome.registration;
    };
    // The wall clock is set back (by hand, NTP, a dead RTC battery) while the boot clock runs
    // on: a day and a minute later the lease is over although the wall clock says it is young.
    ClockReading later = readClocks();
    later.sinceBoot += 24 * 3600 + 60;
    CHECK(registerWith(later, 1).status == RegistrationStatus::Provisional);
    // After a restart with the wall clock behind the receipt: no lease until the next sync.
    ClockReading restarted = readClocks();
    restarted.bootId = "another-boot";
    restarted.wall = receipt["wall"].get<std::int64_t>() - 60;
    CHECK(registerWith(restarted, 2).status == RegistrationStatus::Provisional);
    CHECK(a.count("SELECT used FROM seat_lease WHERE session_id = 'chess'") == 0);
    // The same lease on the clocks as they are: usable.
    CHECK(registerWith(readClocks(), 3).status == RegistrationStatus::Confirmed);
    REQUIRE(a.sync().ok);
    CHECK(registerWith(readClocks(), 4).status == RegistrationStatus::Confirmed);
}
PROTOCOL_TEST("a kiosk stops confirming from a lease held longer than its validity",
              leaseHeldByTheBootClock)

TEST_CASE("the server refuses a lease grace that could reclaim a lease still in use") {
    TempDir dir;
    TestServer server(dir / "server", ProtocolBackend::Sqlite);
    RunResult r = server.command({"serve", "--listen", "127.0.0.1:0", "--lease-grace-hours", "0"});
    INFO(r.output);
    CHECK_FALSE(r.status.ok());
    CHECK_THAT(r.output, Catch::Contains("lease-grace-hours"));
}

void registrationsCarryTheKioskId(ProtocolBackend backend) {
    Setup setup(backend, {"a"});
    TestKiosk& a = setup.kiosk("a");
    std::string kioskId = syncStateGet(a.db(), "kiosk_id").value_or("");
    REQUIRE_FALSE(kioskId.empty());
    // Made as the kiosk screen makes it: the service knows only the standalone id.
    RegistrationService service(a.db(), "local");
    CHECK(service.kioskId() == kioskId);
    RegistrationRequest request;
    request.sessionId = "workshop";
    request.name = testName(1);
    request.phone = testPhone(1);
    RegistrationOutcome outcome = service.registerFor(request);
    REQUIRE(outcome.ok);
    CHECK(outcome.registration.kioskId == kioskId);
    CHECK(a.count("SELECT count(*) FROM registration WHERE kiosk_id = 'local'") == 0);
    REQUIRE(a.sync().ok);
    CHECK(setup.server.count("SELECT count(*) FROM registration WHERE kiosk_id = '" + kioskId +
                             "'") == 1);
}
PROTOCOL_TEST("registrations carry the enrolled kiosk's id, on the kiosk and on the server",
              registrationsCarryTheKioskId)

}  // namespace
