// tests/ui/presenters_test.cpp - filters to catalogue queries, and seat states in words.
#include <catch2/catch.hpp>

#include "support/test_support.hpp"
#include "ui/presenters.hpp"
#include "util/time.hpp"

using namespace fadaa;
using namespace fadaa::kiosk;

namespace {
const std::string kZone = "Africa/Casablanca";

Timestamp at(int y, int mo, int d, int h, int mi) {
    LocalDateTime l;
    l.year = y;
    l.month = mo;
    l.day = d;
    l.hour = h;
    l.minute = mi;
    return fromLocal(l, kZone);
}
}  // namespace

TEST_CASE("day filters become local date ranges", "[presenters]") {
    // Wednesday 9 December 2026, 16:20 in Benguerir.
    const Timestamp now = at(2026, 12, 9, 16, 20);
    BrowseFilters f;
    f.day = DayFilter::Today;
    SessionQuery q = queryFor(f, now, kZone);
    CHECK(*q.from == now);
    CHECK(*q.to == at(2026, 12, 10, 0, 0));

    f.day = DayFilter::Week;  // to the end of Sunday 13th
    CHECK(*queryFor(f, now, kZone).to == at(2026, 12, 14, 0, 0));
    // On a Sunday, "this week" is what is left of Sunday.
    CHECK(*queryFor(f, at(2026, 12, 13, 9, 0), kZone).to == at(2026, 12, 14, 0, 0));
    // On a Monday, the whole week.
    CHECK(*queryFor(f, at(2026, 12, 7, 9, 0), kZone).to == at(2026, 12, 14, 0, 0));

    f.day = DayFilter::Month;
    CHECK(*queryFor(f, now, kZone).to == at(2027, 1, 1, 0, 0));

    f.day = DayFilter::Day;
    f.pickedDay = at(2026, 12, 20, 0, 0);
    q = queryFor(f, now, kZone);
    CHECK(*q.from == f.pickedDay);
    CHECK(*q.to == at(2026, 12, 21, 0, 0));

    f.day = DayFilter::All;
    f.categoryId = "chess";
    f.audience = Audience::Children;
    f.search = "éch";
    q = queryFor(f, now, kZone);
    CHECK_FALSE(q.to.has_value());
    CHECK(*q.categoryId == "chess");
    CHECK(*q.age == representativeAge(Audience::Children));
    CHECK(q.text == "éch");
}

TEST_CASE("seat states and their words", "[presenters]") {
    Translations tr = Translations::load(test::assetsDir() / "i18n");
    const Timestamp now = 1'800'000'000;
    SessionListing s;
    s.session.startsAt = now + 3600;
    s.session.endsAt = now + 7200;
    s.session.capacity = 10;
    s.seatsLeft = 5;
    CHECK(seatStateOf(s, now) == SeatState::Available);
    s.seatsLeft = 2;
    CHECK(seatStateOf(s, now) == SeatState::Few);
    s.seatsLeft = 0;
    CHECK(seatStateOf(s, now) == SeatState::Full);
    s.seatsLeft.reset();
    CHECK(seatStateOf(s, now) == SeatState::Unlimited);
    CHECK(seatStateOf(s, now + 3600) == SeatState::Closed);  // registration closes at the start
    s.session.regOpensAt = now + 60;
    CHECK(seatStateOf(s, now) == SeatState::NotYetOpen);
    s.registrationRequired = false;
    CHECK(seatStateOf(s, now) == SeatState::NoRegistration);
    s.session.status = SessionStatus::Cancelled;
    CHECK(seatStateOf(s, now) == SeatState::Cancelled);

    s = SessionListing{};
    s.session.startsAt = now + 3600;
    s.seatsLeft = 7;
    for (const char* lang : {"ar", "fr", "en", "zgh"}) {
        PresentContext ctx{tr, lang, kZone, now};
        std::string text = seatsTextOf(s, SeatState::Available, ctx);
        INFO(lang << ": " << text);
        CHECK(text.find('7') != std::string::npos);  // Western digits in every language
        CHECK(text != "seats.left");
    }
    PresentContext fr{tr, "fr", kZone, now};
    CHECK(audienceText(8, std::nullopt, fr) == tr.get("fr", "audience.from", {{"min", "8"}}));
    CHECK(audienceText(std::nullopt, std::nullopt, fr) == tr.get("fr", "audience.all"));
}

TEST_CASE("pick a day offers the coming days in the resident's words", "[presenters]") {
    Translations tr = Translations::load(test::assetsDir() / "i18n");
    const Timestamp now = at(2026, 12, 30, 10, 0);
    PresentContext ctx{tr, "fr", kZone, now};
    std::vector<DayChoiceVm> days = dayChoices(ctx, 28);
    REQUIRE(days.size() == 28);
    CHECK(days[0].key == "2026-12-30");
    CHECK(days[0].weekday == tr.get("fr", "browse.day.today"));
    CHECK(days[2].key == "2027-01-01");
    CHECK(days[2].weekday == "vendredi");
    CHECK(days[2].date == "1er janvier");
    for (size_t i = 1; i < days.size(); ++i) CHECK(days[i].day > days[i - 1].day);
    CHECK(defaultTextLayout("ar") == "arabic");
    CHECK(defaultTextLayout("zgh") == "tifinagh");
    CHECK(defaultTextLayout("fr") == "azerty");
}
