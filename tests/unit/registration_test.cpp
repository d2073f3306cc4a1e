// tests/unit/registration_test.cpp - RegistrationService on a real SQLite file: capacity,
// waiting list and promotion, duplicates, windows, outbox atomicity, seat leases, codes.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <set>

#include "registration/registration.hpp"
#include "registration/validation.hpp"
#include "unit/registration_fixture.hpp"
#include "util/ids.hpp"

using namespace fadaa;
using nlohmann::json;
using test::kDay;
using test::Kiosk;
using test::kNow;
using test::phoneOf;

namespace {

std::string errorKey(const RegistrationOutcome& o) {
    return o.errors.size() == 1 ? o.errors[0].messageKey
                                : "<" + std::to_string(o.errors.size()) + ">";
}

}  // namespace

TEST_CASE("confirmed while seats are left then waitlisted in arrival order") {
    Kiosk k;
    auto a = k.add("Amina", phoneOf(1));
    auto b = k.add("Badr", phoneOf(2));
    auto c = k.add("Chama", phoneOf(3));
    auto d = k.add("Driss", phoneOf(4));
    REQUIRE((a.ok && b.ok && c.ok && d.ok));
    CHECK(a.registration.status == RegistrationStatus::Confirmed);
    CHECK(b.registration.status == RegistrationStatus::Confirmed);
    CHECK(c.registration.status == RegistrationStatus::Waitlisted);
    CHECK(d.registration.status == RegistrationStatus::Waitlisted);
    CHECK(c.registration.waitlistPosition == std::optional<int>(1));
    CHECK(d.registration.waitlistPosition == std::optional<int>(2));
    CHECK_FALSE(a.registration.waitlistPosition.has_value());

    // What the store says matches what was returned.
    auto rows = k.service.forSession("s1");
    REQUIRE(rows.size() == 4);
    CHECK(rows[2].id == c.registration.id);
    CHECK(rows[2].waitlistPosition == std::optional<int>(1));
    CHECK(rows[3].waitlistPosition == std::optional<int>(2));
    CHECK(k.count("SELECT count(*) FROM registration WHERE status = 'confirmed'") == 2);
}

TEST_CASE("a session without a capacity confirms everyone; capacity 0 waitlists everyone") {
    test::SeedSession open;
    open.capacity = std::nullopt;
    Kiosk k(open);
    for (int i = 0; i < 30; ++i)
        CHECK(k.add("Person " + std::string(1, static_cast<char>('A' + i % 26)) + std::to_string(i),
                    phoneOf(i))
                  .registration.status == RegistrationStatus::Confirmed);
    test::SeedSession closed;
    closed.id = "s0";
    closed.capacity = 0;
    test::seedSession(k.db, closed);
    CHECK(k.add("Amina", phoneOf(1), "s0").registration.status == RegistrationStatus::Waitlisted);
}

TEST_CASE("cancelling a confirmed seat promotes the first waitlisted in the same transaction") {
    Kiosk k;
    auto a = k.add("Amina", phoneOf(1));
    k.add("Badr", phoneOf(2));
    auto c = k.add("Chama", phoneOf(3));
    auto d = k.add("Driss", phoneOf(4));

    auto cancelled = k.service.cancel(a.registration.code, phoneOf(1), kNow + 60);
    CHECK(cancelled.result == CancelResult::Cancelled);
    REQUIRE(cancelled.cancelled);
    CHECK(cancelled.cancelled->status == RegistrationStatus::Cancelled);
    REQUIRE(cancelled.promoted);
    CHECK(cancelled.promoted->id == c.registration.id);
    CHECK(cancelled.promoted->status == RegistrationStatus::Confirmed);
    CHECK(k.service.find(d.registration.code, phoneOf(4))->waitlistPosition ==
          std::optional<int>(1));
    CHECK(k.count("SELECT count(*) FROM registration WHERE status = 'confirmed'") == 2);
    CHECK(k.count("SELECT count(*) FROM audit_log WHERE action = 'registration.promote'") == 1);

    // The outbox holds the intent (cancel); the server promotes on its side.
    auto cancels = k.outbox("cancel");
    REQUIRE(cancels.size() == 1);
    CHECK(cancels[0] == json{{"registration_id", a.registration.id}});
}

TEST_CASE("cancelling a waitlisted registration promotes nobody and moves the others up") {
    Kiosk k;
    k.add("Amina", phoneOf(1));
    k.add("Badr", phoneOf(2));
    auto c = k.add("Chama", phoneOf(3));
    auto d = k.add("Driss", phoneOf(4));
    auto cancelled = k.service.cancel(c.registration.code, phoneOf(3), kNow);
    CHECK(cancelled.result == CancelResult::Cancelled);
    CHECK_FALSE(cancelled.promoted);
    auto driss = k.service.find(d.registration.code, phoneOf(4));
    CHECK(driss->status == RegistrationStatus::Waitlisted);
    CHECK(driss->waitlistPosition == std::optional<int>(1));
    // A newcomer goes to the end of the list.
    auto e = k.add("Elias", phoneOf(5));
    CHECK(e.registration.waitlistPosition == std::optional<int>(2));
}

TEST_CASE("free seats go to those already waiting before a newcomer") {
    Kiosk k;
    k.add("Amina", phoneOf(1));
    k.add("Badr", phoneOf(2));
    auto c = k.add("Chama", phoneOf(3));
    k.db.exec("UPDATE session SET capacity = 3 WHERE id = 's1'");  // staff raised the capacity
    auto e = k.add("Elias", phoneOf(5));
    CHECK(e.registration.status == RegistrationStatus::Waitlisted);
    CHECK(k.service.find(c.registration.code, phoneOf(3))->status == RegistrationStatus::Confirmed);
}

TEST_CASE("the same person registering twice gets their registration back") {
    Kiosk k;
    auto first = k.add("Fatima Zahra", "0612345678");
    REQUIRE(first.ok);
    CHECK_FALSE(first.existing);
    auto again = k.add("  fatima   ZAHRA ", "+212 6 12 34 56 78", "s1", kNow + 100);
    REQUIRE(again.ok);
    CHECK(again.existing);
    CHECK(again.registration.id == first.registration.id);
    CHECK(again.registration.code == first.registration.code);
    CHECK(k.count("SELECT count(*) FROM registration") == 1);
    CHECK(k.outbox("register").size() == 1);

    // A waitlisted person gets their place back too, not a second place.
    k.add("Badr", phoneOf(2));
    auto c = k.add("Chama", phoneOf(3));
    auto c2 = k.add("CHAMA", phoneOf(3));
    CHECK(c2.existing);
    CHECK(c2.registration.waitlistPosition == std::optional<int>(1));

    // Someone else on the same phone (a parent registering a child) is another person.
    auto child = k.add("Yasmine Zahra", "0612345678");
    CHECK_FALSE(child.existing);
    CHECK(k.count("SELECT count(*) FROM registration") == 4);
}

TEST_CASE("after cancelling the same person may register again") {
    Kiosk k;
    auto first = k.add("Amina", phoneOf(1));
    REQUIRE(k.service.cancel(first.registration.code, phoneOf(1), kNow).result ==
            CancelResult::Cancelled);
    auto again = k.add("Amina", phoneOf(1));
    REQUIRE(again.ok);
    CHECK_FALSE(again.existing);
    CHECK(again.registration.id != first.registration.id);
    CHECK(again.registration.status == RegistrationStatus::Confirmed);
}

TEST_CASE("what is stored is the cleaned request and the outbox payload carries the intent") {
    Kiosk k({}, R"([{"key":"rating","type":"number","min":0,"max":3000},
                    {"key":"guardian","type":"phone"}])");
    RegistrationRequest r;
    r.sessionId = "s1";
    r.name = "  Omar   Idrissi ";
    r.phone = "00212 6 12 34 56 78";
    r.ageBand = "child";
    r.answers = {{"rating", " 1200 "}, {"guardian", "07 00 11 22 33"}};
    auto o = k.service.registerFor(r, kNow);
    REQUIRE(o.ok);
    CHECK(isUuid(o.registration.id));
    CHECK(o.registration.code.size() == 6);
    CHECK(normalizeHumanCode(o.registration.code) == o.registration.code);
    CHECK(o.registration.kioskId == "kiosk-1");
    CHECK(o.registration.createdAt == kNow);

    auto stored = k.service.find(o.registration.code, "0612345678");
    REQUIRE(stored);
    CHECK(stored->name == "Omar Idrissi");
    CHECK(stored->phone == "+212612345678");
    CHECK(stored->ageBand == std::optional<std::string>("child"));
    CHECK(stored->answers ==
          std::map<std::string, std::string>{{"guardian", "+212700112233"}, {"rating", "1200"}});

    auto ops = k.outbox("register");
    REQUIRE(ops.size() == 1);
    CHECK(ops[0] == json{{"registration_id", o.registration.id},
                         {"session_id", "s1"},
                         {"code", o.registration.code},
                         {"name", "Omar Idrissi"},
                         {"phone", "+212612345678"},
                         {"age_band", "child"},
                         {"answers", {{"guardian", "+212700112233"}, {"rating", "1200"}}},
                         {"local_status", "confirmed"},
                         {"lease_id", nullptr}});
    auto& op = k.db.prepare("SELECT op_id, state, created_at FROM outbox");
    REQUIRE(op.step());
    CHECK(isUuid(op.getText(0)));
    CHECK(op.getText(1) == "pending");
    CHECK(op.getInt(2) == kNow);
    op.reset();

    // The audit log names ids only: never the name or the phone.
    auto& audit = k.db.prepare("SELECT actor, action, subject, detail FROM audit_log");
    REQUIRE(audit.step());
    CHECK(audit.getText(0) == "resident");
    CHECK(audit.getText(1) == "registration.create");
    CHECK(audit.getText(2) == o.registration.id);
    std::string detail = audit.getText(3);
    audit.reset();
    CHECK(detail.find("Omar") == std::string::npos);
    CHECK(detail.find("612345678") == std::string::npos);
}

TEST_CASE("a registration and its outbox row commit together or not at all") {
    Kiosk k;
    // Fault injection: the outbox (then the audit log) refuses the insert.
    for (const char* table : {"outbox", "audit_log"}) {
        INFO(table);
        k.db.exec(std::string("CREATE TRIGGER fail BEFORE INSERT ON ") + table +
                  " BEGIN SELECT RAISE(ABORT, 'injected failure'); END");
        CHECK_THROWS_AS(k.add("Amina", phoneOf(1)), StoreError);
        CHECK(k.count("SELECT count(*) FROM registration") == 0);
        CHECK(k.count("SELECT count(*) FROM outbox") == 0);
        CHECK(k.count("SELECT count(*) FROM audit_log") == 0);
        k.db.exec("DROP TRIGGER fail");
    }
    auto ok = k.add("Amina", phoneOf(1));
    REQUIRE(ok.ok);

    // A cancellation whose outbox row fails leaves the registration and the waitlist as they were.
    k.add("Badr", phoneOf(2));
    auto c = k.add("Chama", phoneOf(3));
    k.db.exec(
        "CREATE TRIGGER fail BEFORE INSERT ON outbox "
        "BEGIN SELECT RAISE(ABORT, 'injected failure'); END");
    CHECK_THROWS_AS(k.service.cancel(ok.registration.code, phoneOf(1), kNow), StoreError);
    k.db.exec("DROP TRIGGER fail");
    CHECK(k.service.find(ok.registration.code, phoneOf(1))->status ==
          RegistrationStatus::Confirmed);
    CHECK(k.service.find(c.registration.code, phoneOf(3))->status ==
          RegistrationStatus::Waitlisted);
    CHECK(k.outbox("cancel").empty());
}

TEST_CASE("registration window and cancelled sessions and events without registration") {
    Kiosk k;
    test::SeedSession later;
    later.id = "later";
    later.regOpensAt = kNow + kDay;
    test::seedSession(k.db, later);
    test::SeedSession closing;
    closing.id = "closing";
    closing.regClosesAt = kNow + 3600;
    test::seedSession(k.db, closing);
    test::SeedSession cancelled;
    cancelled.id = "cancelled";
    cancelled.status = "cancelled";
    test::seedSession(k.db, cancelled);
    test::seedEvent(k.db, "walk-in", "[]", false);
    test::SeedSession walkIn;
    walkIn.id = "walk-in";
    walkIn.eventId = "walk-in";
    test::seedSession(k.db, walkIn);

    CHECK(errorKey(k.add("Amina", phoneOf(1), "later")) == "error.session.not_open_yet");
    CHECK(k.add("Amina", phoneOf(1), "later", kNow + kDay).ok);  // opens exactly then
    CHECK(k.add("Amina", phoneOf(1), "closing", kNow + 3599).ok);
    CHECK(errorKey(k.add("Badr", phoneOf(2), "closing", kNow + 3600)) == "error.session.closed");
    // Without reg_closes_at, registration closes when the session starts.
    CHECK(k.add("Badr", phoneOf(2), "s1", kNow + 7 * kDay - 1).ok);
    CHECK(errorKey(k.add("Chama", phoneOf(3), "s1", kNow + 7 * kDay)) == "error.session.closed");
    CHECK(errorKey(k.add("Amina", phoneOf(1), "cancelled")) == "error.session.cancelled");
    CHECK(errorKey(k.add("Amina", phoneOf(1), "walk-in")) == "error.session.no_registration");
    auto missing = k.add("Amina", phoneOf(1), "no-such-session");
    CHECK(errorKey(missing) == "error.session.not_found");
    CHECK(missing.errors[0].field == "session");
    CHECK(k.count("SELECT count(*) FROM registration") == 3);
    CHECK(k.count("SELECT count(*) FROM outbox") == 3);

    // A person already registered asking again after the window closed gets their registration.
    auto again = k.add("Amina", phoneOf(1), "closing", kNow + 2 * kDay);
    CHECK(again.ok);
    CHECK(again.existing);
}

TEST_CASE("invalid input is refused with every error and nothing is written") {
    Kiosk k({}, R"([{"key":"section","type":"choice","required":true,"choices":["u12","open"]}])");
    RegistrationRequest r;
    r.sessionId = "s1";
    r.name = "x";
    r.phone = "0012";
    r.answers = {{"section", "senior"}, {"extra", "1"}};
    auto o = k.service.registerFor(r, kNow);
    CHECK_FALSE(o.ok);
    REQUIRE(o.errors.size() == 4);
    CHECK(o.errors[0].messageKey == "error.name.too_short");
    CHECK(o.errors[1].messageKey == "error.phone.invalid");
    CHECK(o.errors[2].messageKey == "error.field.bad_choice");
    CHECK(o.errors[3].messageKey == "error.field.unknown");
    // For an unknown session, name and phone problems are still reported.
    r.sessionId = "nope";
    o = k.service.registerFor(r, kNow);
    REQUIRE(o.errors.size() == 3);
    CHECK(o.errors[2].messageKey == "error.session.not_found");
    CHECK(k.count("SELECT count(*) FROM registration") == 0);
    CHECK(k.count("SELECT count(*) FROM outbox") == 0);
    CHECK(k.count("SELECT count(*) FROM audit_log") == 0);
}

TEST_CASE("cancel and find need the code and the right phone") {
    Kiosk k;
    auto a = k.add("Amina", "0612345678");
    std::string code = a.registration.code;
    CHECK_FALSE(k.service.find(code, "0700112233"));
    CHECK(k.service.cancel(code, "0700112233", kNow).result == CancelResult::NotFound);
    CHECK(k.service.cancel("ZZZZZZ", "0612345678", kNow).result == CancelResult::NotFound);
    CHECK(k.service.cancel("", "0612345678", kNow).result == CancelResult::NotFound);
    CHECK(k.service.cancel(code, "not a phone", kNow).result == CancelResult::NotFound);
    CHECK(k.count("SELECT count(*) FROM outbox WHERE kind = 'cancel'") == 0);

    // Typed in lower case with a dash, and with O for 0 / I for 1, as Crockford reads them.
    std::string typed;
    for (char c : code)
        typed.push_back(c == '0' ? 'o' : c == '1' ? 'i' : static_cast<char>(tolower(c)));
    typed.insert(3, "-");
    REQUIRE(k.service.find(typed, "+212 6 12 34 56 78"));
    auto cancelled = k.service.cancel(typed, "+212 6 12 34 56 78", kNow);
    CHECK(cancelled.result == CancelResult::Cancelled);
    auto twice = k.service.cancel(code, "0612345678", kNow);
    CHECK(twice.result == CancelResult::AlreadyCancelled);
    CHECK(twice.cancelled->status == RegistrationStatus::Cancelled);
    CHECK(k.count("SELECT count(*) FROM outbox WHERE kind = 'cancel'") == 1);

    auto b = k.add("Badr", phoneOf(2));
    k.db.prepare("UPDATE registration SET status = 'attended' WHERE id = ?")
        .bindAll(b.registration.id)
        .exec();
    CHECK(k.service.cancel(b.registration.code, phoneOf(2), kNow).result ==
          CancelResult::AlreadyAttended);
}

TEST_CASE("codes are retried on collision and grow to 7 symbols after a few") {
    Kiosk k;
    std::vector<int> lengths;
    int calls = 0;
    k.service.setCodeGenerator([&](int length) {
        lengths.push_back(length);
        return ++calls <= 1 ? std::string("AAAAAA") : newHumanCode(length);
    });
    REQUIRE(k.add("Amina", phoneOf(1)).registration.code == "AAAAAA");
    // From now on the generator keeps answering the taken code: 3 tries of 6, then 7 symbols.
    calls = -3;
    lengths.clear();
    k.service.setCodeGenerator([&](int length) {
        lengths.push_back(length);
        return ++calls <= 0 ? std::string("AAAAAA") : newHumanCode(length);
    });
    auto b = k.add("Badr", phoneOf(2));
    REQUIRE(b.ok);
    CHECK(b.registration.code.size() == 7);
    CHECK(lengths == std::vector<int>{6, 6, 6, 7});
    CHECK(k.service.find(b.registration.code, phoneOf(2)));

    k.service.setCodeGenerator([](int) { return std::string("AAAAAA"); });
    CHECK_THROWS_AS(k.add("Chama", phoneOf(3)), StoreError);
    CHECK(k.count("SELECT count(*) FROM registration") == 2);
}

TEST_CASE("every message key the service returns is listed for translators and each occurs") {
    Kiosk k({}, R"([{"key":"n","type":"number","min":1,"max":9},
                    {"key":"c","type":"choice","choices":["a"]},
                    {"key":"t","type":"text","max_length":3},
                    {"key":"r","type":"text","required":true},
                    {"key":"p","type":"phone"}])");
    test::SeedSession later, shut, gone, walkIn;
    later.id = "later";
    later.regOpensAt = kNow + kDay;
    shut.id = "shut";
    shut.regClosesAt = kNow - 1;
    gone.id = "gone";
    gone.status = "cancelled";
    walkIn.id = "walk-in";
    walkIn.eventId = "walk-in";
    test::seedSession(k.db, later);
    test::seedSession(k.db, shut);
    test::seedSession(k.db, gone);
    test::seedEvent(k.db, "walk-in", "[]", false);
    test::seedSession(k.db, walkIn);

    std::set<std::string> seen;
    auto attempt = [&](RegistrationRequest r) {
        if (r.sessionId.empty()) r.sessionId = "s1";
        // e1's form requires "r"; the walk-in event has no form at all.
        if (r.sessionId != "walk-in" && !r.answers.count("r")) r.answers["r"] = "x";
        for (const FieldError& e : k.service.registerFor(r, kNow).errors) seen.insert(e.messageKey);
    };
    auto with = [](std::string name, std::string phone,
                   std::map<std::string, std::string> answers = {},
                   std::optional<std::string> ageBand = std::nullopt, std::string session = "") {
        RegistrationRequest r;
        r.name = std::move(name);
        r.phone = std::move(phone);
        r.answers = std::move(answers);
        r.ageBand = std::move(ageBand);
        r.sessionId = std::move(session);
        return r;
    };
    attempt(with("", ""));
    attempt(with("A", "123"));
    attempt(with(std::string(81, 'a'), "0612345678", {{"n", "x"}, {"c", "b"}, {"t", "abcd"}}));
    attempt(with("12", "0612345678", {{"n", "10"}, {"r", ""}, {"p", "1"}, {"zz", "1"}}, "a\x01"));
    attempt(with("Ali\x01", "0612345678", {{"t", "a\x02"}}));
    attempt(with("Ali\xff", "0612345678"));
    for (const char* session : {"nope", "later", "shut", "gone", "walk-in"})
        attempt(with("Amina", "0612345678", {}, std::nullopt, session));

    std::set<std::string> listed(std::begin(kRegistrationMessageKeys),
                                 std::end(kRegistrationMessageKeys));
    CHECK(seen == listed);
    CHECK(k.count("SELECT count(*) FROM registration") == 0);
}
