// tests/unit/registration_lease_test.cpp - an enrolled kiosk confirms seats only from the
// server's seat lease; beyond it registrations are provisional (design.md section 1).
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "registration/registration.hpp"
#include "unit/registration_fixture.hpp"

using namespace fadaa;
using nlohmann::json;
using test::kDay;
using test::Kiosk;
using test::kNow;
using test::phoneOf;

namespace {

void enrol(Kiosk& k, std::optional<Timestamp> skew = std::nullopt) {
    k.db.exec("INSERT INTO sync_state(key, value) VALUES ('kiosk_token', 'token')");
    if (skew)
        k.db.prepare("INSERT INTO sync_state(key, value) VALUES ('clock_skew_seconds', ?)")
            .bindAll(std::to_string(*skew))
            .exec();
}

// The kiosk's clocks in these tests: wall clock kNow, 1000 s since boot "boot-1".
ClockReading clocksAt(Timestamp wall, std::int64_t sinceBoot = 1000,
                      const std::string& boot = "boot-1") {
    return {wall, boot, sinceBoot};
}

// A lease as a sync stores it: the row, and the receipt of an answer sent at kNow (server time
// kNow + skew), on the clocks of clocksAt(kNow).
void lease(Kiosk& k, const std::string& leaseId, int seats, Timestamp expiresAt,
           const std::string& sessionId = "s1") {
    recordLeaseReceipt(k.db, kNow + storedClockSkew(k.db), clocksAt(kNow));
    k.service.setClocks([] { return clocksAt(kNow); });
    k.db.prepare(
            "INSERT OR REPLACE INTO seat_lease(session_id, lease_id, seats, used, expires_at) "
            "VALUES (?, ?, ?, 0, ?)")
        .bindAll(sessionId, leaseId, seats, expiresAt)
        .exec();
}

std::int64_t leaseUsed(Kiosk& k) {
    return k.count("SELECT used FROM seat_lease WHERE session_id = 's1'");
}

}  // namespace

TEST_CASE("an enrolled kiosk confirms from its lease and records provisional beyond it") {
    test::SeedSession big;
    big.capacity = 50;  // plenty of seats on paper: only the lease counts
    Kiosk k(big);
    enrol(k);
    lease(k, "lease-1", 2, kNow + kDay);

    auto a = k.add("Amina", phoneOf(1));
    auto b = k.add("Badr", phoneOf(2));
    auto c = k.add("Chama", phoneOf(3));
    CHECK(a.registration.status == RegistrationStatus::Confirmed);
    CHECK(b.registration.status == RegistrationStatus::Confirmed);
    CHECK(c.registration.status == RegistrationStatus::Provisional);
    CHECK_FALSE(c.registration.waitlistPosition.has_value());
    CHECK(leaseUsed(k) == 2);

    auto ops = k.outbox("register");
    REQUIRE(ops.size() == 3);
    CHECK(ops[0]["lease_id"] == "lease-1");
    CHECK(ops[0]["local_status"] == "confirmed");
    CHECK(ops[1]["lease_id"] == "lease-1");
    CHECK(ops[2]["lease_id"].is_null());
    CHECK(ops[2]["local_status"] == "provisional");
}

TEST_CASE("without a lease an enrolled kiosk confirms nobody") {
    Kiosk k;
    enrol(k);
    CHECK(k.add("Amina", phoneOf(1)).registration.status == RegistrationStatus::Provisional);
    CHECK(k.add("Badr", phoneOf(2)).registration.status == RegistrationStatus::Provisional);
    CHECK(k.add("Chama", phoneOf(3)).registration.status == RegistrationStatus::Provisional);
    CHECK(k.count("SELECT count(*) FROM registration WHERE status = 'confirmed'") == 0);
}

TEST_CASE("an expired lease confirms nobody and expiry is judged in server time") {
    SECTION("expired by this clock") {
        Kiosk k;
        enrol(k);
        lease(k, "lease-1", 2, kNow);  // expires_at must be later than now
        CHECK(k.add("Amina", phoneOf(1)).registration.status == RegistrationStatus::Provisional);
        CHECK(leaseUsed(k) == 0);
    }
    SECTION("this clock is 200 s behind the server: a lease ending in 100 s is over") {
        Kiosk k;
        enrol(k, 200);
        lease(k, "lease-1", 2, kNow + 100);
        CHECK(k.add("Amina", phoneOf(1)).registration.status == RegistrationStatus::Provisional);
    }
    SECTION("this clock is 200 s ahead: a lease that seems 100 s over still runs") {
        Kiosk k;
        enrol(k, -200);
        lease(k, "lease-1", 2, kNow - 100);
        auto a = k.add("Amina", phoneOf(1));
        CHECK(a.registration.status == RegistrationStatus::Confirmed);
        CHECK(a.registration.createdAt == kNow - 200);  // stored in server time
    }
    SECTION("an unreadable skew counts as none") {
        Kiosk k;
        enrol(k);
        k.db.exec("INSERT INTO sync_state(key, value) VALUES ('clock_skew_seconds', '12abc')");
        lease(k, "lease-1", 2, kNow + 10);
        CHECK(k.add("Amina", phoneOf(1)).registration.status == RegistrationStatus::Confirmed);
    }
}

TEST_CASE("cancelling a lease-confirmed seat gives it back to the lease and promotes nobody") {
    test::SeedSession one;
    one.capacity = 1;
    Kiosk k(one);
    enrol(k);
    lease(k, "lease-1", 1, kNow + kDay);
    auto a = k.add("Amina", phoneOf(1));
    auto b = k.add("Badr", phoneOf(2));
    REQUIRE(a.registration.status == RegistrationStatus::Confirmed);
    REQUIRE(b.registration.status == RegistrationStatus::Provisional);
    REQUIRE(leaseUsed(k) == 1);

    auto cancelled = k.service.cancel(a.registration.code, phoneOf(1), kNow);
    CHECK(cancelled.result == CancelResult::Cancelled);
    CHECK_FALSE(cancelled.promoted);  // the server decides Badr's fate
    CHECK(leaseUsed(k) == 0);
    CHECK(k.service.find(b.registration.code, phoneOf(2))->status ==
          RegistrationStatus::Provisional);
    // The seat is usable again on this kiosk.
    auto c = k.add("Chama", phoneOf(3));
    CHECK(c.registration.status == RegistrationStatus::Confirmed);
    CHECK(leaseUsed(k) == 1);

    // Once the lease was replaced by a new one, an old lease's seat is not added to it.
    lease(k, "lease-2", 3, kNow + kDay);
    k.add("Driss", phoneOf(4));
    REQUIRE(leaseUsed(k) == 1);
    k.service.cancel(c.registration.code, phoneOf(3), kNow);
    CHECK(leaseUsed(k) == 1);
}

TEST_CASE("after enrolment a seat confirmed locally before is not re-offered locally") {
    test::SeedSession one;
    one.capacity = 1;
    Kiosk k(one);
    auto a = k.add("Amina", phoneOf(1));  // standalone: the local store confirmed it
    auto b = k.add("Badr", phoneOf(2));
    REQUIRE(b.registration.status == RegistrationStatus::Waitlisted);
    enrol(k);
    auto cancelled = k.service.cancel(a.registration.code, phoneOf(1), kNow);
    CHECK(cancelled.result == CancelResult::Cancelled);
    CHECK_FALSE(cancelled.promoted);
    CHECK(k.service.find(b.registration.code, phoneOf(2))->status ==
          RegistrationStatus::Waitlisted);
    auto ops = k.outbox("cancel");
    REQUIRE(ops.size() == 1);
    CHECK(ops[0]["registration_id"] == a.registration.id);
}

TEST_CASE("a lease is not used beyond its validity counted on the boot clock") {
    Kiosk k;
    enrol(k);
    lease(k, "lease-1", 2, kNow + kDay);
    // The wall clock went back a day after the sync: by it the lease would run another day.
    SECTION("a day and a second held, wall clock unchanged") {
        k.service.setClocks([] { return clocksAt(kNow, 1000 + kDay + 1); });
        CHECK(k.add("Amina", phoneOf(1)).registration.status == RegistrationStatus::Provisional);
        CHECK(leaseUsed(k) == 0);
    }
    SECTION("held a minute less than its validity: usable") {
        k.service.setClocks([] { return clocksAt(kNow, 1000 + kDay - 60); });
        CHECK(k.add("Amina", phoneOf(1)).registration.status == RegistrationStatus::Confirmed);
    }
    SECTION("the wall clock jumped ahead past the expiry: over, whatever the boot clock says") {
        k.service.setClocks([] { return clocksAt(kNow + 2 * kDay, 1000); });
        CHECK(k.add("Amina", phoneOf(1), "s1", kNow + 2 * kDay).registration.status ==
              RegistrationStatus::Provisional);
    }
}

TEST_CASE("after a restart the lease is held by the wall clock, and unusable if it went back") {
    Kiosk k;
    enrol(k);
    lease(k, "lease-1", 2, kNow + kDay);
    SECTION("restarted, wall clock a minute behind the receipt") {
        k.service.setClocks([] { return clocksAt(kNow - 60, 5, "boot-2"); });
        CHECK(k.add("Amina", phoneOf(1), "s1", kNow - 60).registration.status ==
              RegistrationStatus::Provisional);
    }
    SECTION("restarted, an hour later by the wall clock") {
        k.service.setClocks([] { return clocksAt(kNow + 3600, 5, "boot-2"); });
        CHECK(k.add("Amina", phoneOf(1), "s1", kNow + 3600).registration.status ==
              RegistrationStatus::Confirmed);
    }
    SECTION("restarted, a day and a second later by the wall clock") {
        k.service.setClocks([] { return clocksAt(kNow + kDay + 1, 5, "boot-2"); });
        CHECK(k.add("Amina", phoneOf(1), "s1", kNow + kDay + 1).registration.status ==
              RegistrationStatus::Provisional);
    }
}

TEST_CASE("a lease without a receipt of its answer confirms nobody") {
    Kiosk k;
    enrol(k);
    lease(k, "lease-1", 2, kNow + kDay);
    k.db.exec("DELETE FROM sync_state WHERE key = 'lease_clock'");
    CHECK(k.add("Amina", phoneOf(1)).registration.status == RegistrationStatus::Provisional);
    k.db.exec("INSERT INTO sync_state(key, value) VALUES ('lease_clock', '{\"wall\": 1}')");
    CHECK(k.add("Badr", phoneOf(2)).registration.status == RegistrationStatus::Provisional);
}

TEST_CASE("an enrolled kiosk confirms a session without a capacity limit at once") {
    test::SeedSession open;
    open.capacity = std::nullopt;
    Kiosk k(open);
    enrol(k);  // and no lease: there is nothing to lease
    auto a = k.add("Amina", phoneOf(1));
    CHECK(a.registration.status == RegistrationStatus::Confirmed);
    auto ops = k.outbox("register");
    REQUIRE(ops.size() == 1);
    CHECK(ops[0]["local_status"] == "confirmed");
    CHECK(ops[0]["lease_id"].is_null());
}

TEST_CASE("registrations carry the enrolled kiosk id, the given id only while standalone") {
    Kiosk k;  // its service was made with "kiosk-1"
    auto before = k.add("Amina", phoneOf(1));
    CHECK(before.registration.kioskId == "kiosk-1");
    CHECK(k.service.kioskId() == "kiosk-1");
    // Enrolled by another process (the CLI) while this service lives.
    enrol(k);
    k.db.exec("INSERT INTO sync_state(key, value) VALUES ('kiosk_id', 'k-0192')");
    auto after = k.add("Badr", phoneOf(2));
    CHECK(after.registration.kioskId == "k-0192");
    CHECK(k.count("SELECT count(*) FROM registration WHERE kiosk_id = 'k-0192'") == 1);
    CHECK(k.service.kioskId() == "k-0192");
    CHECK(deviceKioskId(k.db) == "k-0192");
}
