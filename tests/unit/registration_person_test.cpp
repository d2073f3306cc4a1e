// tests/unit/registration_person_test.cpp - one live registration per person and session, on
// every path that writes a registration's status. Since schema v6 the unique person index
// filters on registration.cancelled, which triggers keep equal to (status = 'cancelled'); these
// tests write statuses through each writer (the registration service, push answers, pulled
// states, plain SQL) and check the flag and what the index refuses.
#include <catch2/catch.hpp>

#include "pull_page_fixtures.hpp"
#include "registration_fixture.hpp"
#include "sync/push_answer.hpp"
#include "sync/sync_apply.hpp"
#include "sync/sync_client.hpp"

using namespace fadaa;
using namespace fadaa::test;

namespace {

// Rows whose flag disagrees with their status (0 when the store is consistent).
std::int64_t flagsWrong(Database& db) {
    return scalar(
        db, "SELECT count(*) FROM registration WHERE cancelled IS NOT (status = 'cancelled')");
}

std::string statusOf(Database& db, const std::string& id) {
    auto& st = db.prepare("SELECT status FROM registration WHERE id = ?").bindAll(id);
    std::string status = st.step() ? st.getText(0) : "missing";
    st.reset();
    return status;
}

bool refusedAsDuplicate(const std::function<void()>& write) {
    try {
        write();
    } catch (const StoreError& e) {
        return e.isConstraint() && std::string(e.what()).find("UNIQUE") != std::string::npos;
    }
    return false;
}

// A push answer deciding each of `ops` as `decide` says.
PushAnswer answerFor(const std::vector<OutboxOp>& ops,
                     const std::function<PushResult(const OutboxOp&)>& decide) {
    PushAnswer answer;
    for (const OutboxOp& op : ops) {
        PushResult r = decide(op);
        r.opId = op.opId;
        if (r.effective.empty()) r.effective = r.result;
        answer.results.push_back(r);
    }
    return answer;
}

wire::RegistrationState stateOf(const Registration& r, const std::string& status,
                                std::optional<std::int64_t> position = std::nullopt) {
    return {r.id, r.sessionId, status, r.code, position};
}

// A session of `capacity` seats.
SeedSession withSeats(int capacity) {
    SeedSession s;
    s.capacity = capacity;
    return s;
}

}  // namespace

TEST_CASE("one live registration per person: registering, cancelling and promoting") {
    Kiosk k(withSeats(1));
    RegistrationOutcome amina = k.add("Amina Alaoui", phoneOf(0));
    REQUIRE(amina.ok);
    RegistrationOutcome again = k.add("Amina Alaoui", phoneOf(0));
    CHECK(again.existing);
    CHECK(again.registration.id == amina.registration.id);
    RegistrationOutcome youssef = k.add("Youssef Idrissi", phoneOf(1));
    REQUIRE(youssef.registration.status == RegistrationStatus::Waitlisted);

    // Cancelling Amina promotes Youssef (waitlisted -> confirmed: the flag stays 0).
    CancelOutcome cancelled = k.service.cancel(amina.registration.code, phoneOf(0), kNow);
    REQUIRE(cancelled.cancelled);
    REQUIRE(cancelled.promoted);
    CHECK(statusOf(k.db, youssef.registration.id) == "confirmed");
    CHECK(scalar(k.db, "SELECT cancelled FROM registration WHERE status = 'cancelled'") == 1);
    CHECK(flagsWrong(k.db) == 0);

    // She may register again: a new live registration beside the cancelled one.
    RegistrationOutcome back = k.add("Amina Alaoui", phoneOf(0));
    REQUIRE(back.ok);
    CHECK_FALSE(back.existing);
    CHECK(back.registration.id != amina.registration.id);
    // ... and the cancelled one cannot come back to life beside it, whoever writes it.
    CHECK(refusedAsDuplicate([&] {
        k.db.prepare("UPDATE registration SET status = 'confirmed' WHERE id = ?")
            .bindAll(amina.registration.id)
            .exec();
    }));
    CHECK(refusedAsDuplicate([&] {
        k.db.prepare("UPDATE registration SET cancelled = 0 WHERE id = ?")
            .bindAll(amina.registration.id)
            .exec();
    }));
    CHECK(statusOf(k.db, amina.registration.id) == "cancelled");
    CHECK(flagsWrong(k.db) == 0);
}

TEST_CASE("one live registration per person: rows written by plain SQL get the flag right") {
    Kiosk k;
    REQUIRE(k.add("Amina Alaoui", phoneOf(0)).ok);
    const std::string insert =
        "INSERT INTO registration(id, session_id, created_at, updated_at, name, phone, status, "
        "code, person_key, cancelled) SELECT ?1, session_id, 1, 1, name, phone, ?2, ?1, "
        "?3 || person_key, ?4 FROM registration LIMIT 1";
    CHECK(
        refusedAsDuplicate([&] { k.db.prepare(insert).bindAll("r1", "confirmed", "", 0).exec(); }));
    // A cancelled row inserted without its flag gets it (a row inserted beside a live one of
    // the same person must say it is cancelled: the index is checked before the trigger runs).
    k.db.prepare(insert).bindAll("r2", "cancelled", "other ", 0).exec();
    k.db.prepare(insert).bindAll("r3", "cancelled", "", 1).exec();
    k.db.prepare(insert).bindAll("r4", "waitlisted", "another ", 1).exec();
    CHECK(scalar(k.db,
                 "SELECT group_concat(cancelled, '') FROM registration "
                 "WHERE id IN ('r2', 'r3', 'r4') ORDER BY id") == 110);
    // A flag written against the status is put back.
    k.db.exec("UPDATE registration SET cancelled = 1 WHERE id NOT IN ('r2', 'r3')");
    k.db.exec("UPDATE registration SET cancelled = 0 WHERE id = 'r2'");
    CHECK(flagsWrong(k.db) == 0);
    CHECK(k.add("Amina Alaoui", phoneOf(0)).existing);
}

TEST_CASE("one live registration per person: push answers and pulled states") {
    Kiosk k(withSeats(10));
    syncStateSet(k.db, "kiosk_token", "t");  // enrolled, no lease: every one provisional
    std::vector<Registration> made;
    for (int i = 0; i < 5; ++i) {
        RegistrationOutcome out = k.add("Person " + std::to_string(i), phoneOf(i));
        REQUIRE(out.registration.status == RegistrationStatus::Provisional);
        made.push_back(out.registration);
    }
    std::vector<OutboxOp> ops = pendingOutbox(k.db, 10);
    REQUIRE(ops.size() == 5);
    // 0 confirmed, 1 rejected, 2 already registered as someone else's registration, 3
    // waitlisted with a rank, 4 confirmed from an expired lease: every writer of the answer.
    size_t at = 0;
    PushAnswer answer = answerFor(ops, [&](const OutboxOp&) {
        const Registration& r = made[at];
        PushResult p;
        p.result = "remapped";
        switch (at++) {
            case 0:
                p.registration = stateOf(r, "confirmed");
                break;
            case 1:
                p.result = "rejected";
                p.reason = "registration_closed";
                break;
            case 2:
                p.reason = "already_registered";
                p.registration = stateOf(r, "confirmed");
                p.registration->id = "elsewhere";
                break;
            case 3:
                p.registration = stateOf(r, "waitlisted", 2);
                break;
            default:
                p.reason = "lease_expired";
                p.registration = stateOf(r, "confirmed");
        }
        return p;
    });
    applyPushResults(k.db, ops, answer, kNow);
    CHECK(statusOf(k.db, made[0].id) == "confirmed");
    CHECK(statusOf(k.db, made[1].id) == "cancelled");
    CHECK(statusOf(k.db, made[2].id) == "cancelled");
    CHECK(statusOf(k.db, made[3].id) == "waitlisted");
    CHECK(statusOf(k.db, made[4].id) == "confirmed");
    CHECK(flagsWrong(k.db) == 0);
    // The people whose registrations were cancelled may register again; the others may not.
    for (int i = 0; i < 5; ++i) {
        INFO(i);
        CHECK(k.add("Person " + std::to_string(i), phoneOf(i)).existing == (i != 1 && i != 2));
    }

    // Pulled states: the server cancels 0, then gives 1 back (it is 1's second registration
    // that is live now, so the server's word cannot make two of them).
    auto pull = [&](const Registration& r, const std::string& status) {
        nlohmann::json record = {{"id", r.id},
                                 {"session_id", r.sessionId},
                                 {"status", status},
                                 {"waitlist_position", nullptr},
                                 {"code", r.code}};
        applyPullPage(k.db,
                      pullPage(nlohmann::json::array({change("registration", r.id, record)}), false,
                               "E.2", 1),
                      false, kNow);
    };
    pull(made[0], "cancelled");
    CHECK(statusOf(k.db, made[0].id) == "cancelled");
    CHECK(flagsWrong(k.db) == 0);
    CHECK_FALSE(k.add("Person 0", phoneOf(0)).existing);
    CHECK(refusedAsDuplicate([&] { pull(made[1], "confirmed"); }));
    CHECK(statusOf(k.db, made[1].id) == "cancelled");
    pull(made[3], "confirmed");  // a promotion
    CHECK(statusOf(k.db, made[3].id) == "confirmed");
    CHECK(flagsWrong(k.db) == 0);
}

TEST_CASE("one live registration per person: a push answer cannot revive a duplicate") {
    Kiosk k;
    syncStateSet(k.db, "kiosk_token", "t");
    Registration first = k.add("Amina Alaoui", phoneOf(0)).registration;
    std::vector<OutboxOp> ops = pendingOutbox(k.db, 10);
    REQUIRE(ops.size() == 1);
    // Cancelled here, the cancel refused locally (so the server's answer counts), and she
    // registers again: the answer confirming her first registration would make two.
    REQUIRE(k.service.cancel(first.code, phoneOf(0), kNow).cancelled);
    for (const OutboxOp& op : pendingOutbox(k.db, 10))
        if (op.kind == "cancel") rejectLocally(k.db, op, "test");
    REQUIRE_FALSE(k.add("Amina Alaoui", phoneOf(0)).existing);
    PushAnswer answer = answerFor(ops, [&](const OutboxOp&) {
        PushResult p;
        p.result = "remapped";
        p.registration = stateOf(first, "confirmed");
        return p;
    });
    CHECK(refusedAsDuplicate([&] { applyPushResults(k.db, ops, answer, kNow); }));
    // Refused whole: the op is still pending, nothing was written.
    CHECK(pendingOps(k.db) == 2);
    CHECK(statusOf(k.db, first.id) == "cancelled");
    CHECK(flagsWrong(k.db) == 0);
}
