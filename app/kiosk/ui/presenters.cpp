// app/kiosk/ui/presenters.cpp - view models from core data (see presenters.hpp).
#include "ui/presenters.hpp"

#include <fmt/format.h>

#include "util/time.hpp"

namespace fadaa::kiosk {

SeatState seatStateOf(const SessionListing& s, Timestamp now) {
    if (s.session.status == SessionStatus::Cancelled) return SeatState::Cancelled;
    if (!s.registrationRequired) return SeatState::NoRegistration;
    Timestamp closes = s.session.regClosesAt.value_or(s.session.startsAt);
    if (now >= closes) return SeatState::Closed;
    if (s.session.regOpensAt && now < *s.session.regOpensAt) return SeatState::NotYetOpen;
    if (!s.seatsLeft) return SeatState::Unlimited;
    if (*s.seatsLeft <= 0) return SeatState::Full;
    if (*s.seatsLeft <= 3) return SeatState::Few;
    return SeatState::Available;
}

std::string seatsTextOf(const SessionListing& s, SeatState state, const PresentContext& ctx) {
    switch (state) {
        case SeatState::Available:
        case SeatState::Few:
            return ctx.t("seats.left", {{"n", std::to_string(s.seatsLeft.value_or(0))}});
        case SeatState::Unlimited:
            return ctx.t("seats.open");
        case SeatState::Full:
            return ctx.t("seats.full");
        case SeatState::NoRegistration:
            return ctx.t("seats.no_registration");
        case SeatState::NotYetOpen:
            return ctx.t(
                "seats.not_yet_open",
                {{"day", formatDay(s.session.regOpensAt.value_or(0), ctx.lang, ctx.zone)}});
        case SeatState::Closed:
            return ctx.t("seats.closed");
        case SeatState::Cancelled:
            return ctx.t("seats.cancelled");
    }
    return {};
}

SessionCardVm makeCard(const SessionListing& s,
                       const std::map<std::string, std::string>& categoryNames,
                       const PresentContext& ctx) {
    SessionCardVm card;
    card.sessionId = s.session.id;
    card.eventId = s.eventId;
    card.title = s.eventTitle.get(ctx.lang);
    if (auto it = categoryNames.find(s.categoryId); it != categoryNames.end())
        card.category = it->second;
    card.when = ctx.t("card.when", {{"day", formatDayTime(s.session.startsAt, ctx.lang, ctx.zone)},
                                    {"end", formatTime(s.session.endsAt, ctx.zone)}});
    card.venue = s.venueName.get(ctx.lang);
    card.seats = seatStateOf(s, ctx.now);
    card.seatsText = seatsTextOf(s, card.seats, ctx);
    card.canRegister = card.seats == SeatState::Available || card.seats == SeatState::Few ||
                       card.seats == SeatState::Unlimited || card.seats == SeatState::Full;
    return card;
}

std::string audienceText(std::optional<int> ageMin, std::optional<int> ageMax,
                         const PresentContext& ctx) {
    if (ageMin && ageMax)
        return ctx.t("audience.range",
                     {{"min", std::to_string(*ageMin)}, {"max", std::to_string(*ageMax)}});
    if (ageMin) return ctx.t("audience.from", {{"min", std::to_string(*ageMin)}});
    if (ageMax) return ctx.t("audience.up_to", {{"max", std::to_string(*ageMax)}});
    return ctx.t("audience.all");
}

int representativeAge(Audience audience) {
    switch (audience) {
        case Audience::Children:
            return 9;
        case Audience::Teens:
            return 15;
        case Audience::Adults:
            return 30;
        case Audience::Seniors:
            return 65;
        case Audience::All:
            break;
    }
    return -1;
}

Timestamp nextLocalMidnight(Timestamp t, const std::string& zone) {
    // A day is 23 to 25 hours around clock changes: step past the next midnight, then snap back.
    return startOfLocalDay(startOfLocalDay(t, zone) + 30 * 3600, zone);
}

SessionQuery queryFor(const BrowseFilters& filters, Timestamp now, const std::string& zone) {
    SessionQuery q;
    q.from = now;
    switch (filters.day) {
        case DayFilter::All:
            break;
        case DayFilter::Today:
            q.to = nextLocalMidnight(now, zone);
            break;
        case DayFilter::Week: {
            // Monday starts the week in Morocco: run to the end of Sunday.
            int weekday = toLocal(now, zone).weekday;  // 0 = Sunday
            int days = weekday == 0 ? 1 : 8 - weekday;
            Timestamp t = now;
            for (int i = 0; i < days; ++i) t = nextLocalMidnight(t, zone);
            q.to = t;
            break;
        }
        case DayFilter::Month: {
            LocalDateTime local = toLocal(now, zone);
            LocalDateTime next{};
            next.year = local.month == 12 ? local.year + 1 : local.year;
            next.month = local.month == 12 ? 1 : local.month + 1;
            next.day = 1;
            q.to = fromLocal(next, zone);
            break;
        }
        case DayFilter::Day:
            q.from = std::max(now, filters.pickedDay);
            q.to = nextLocalMidnight(filters.pickedDay, zone);
            break;
    }
    if (!filters.categoryId.empty()) q.categoryId = filters.categoryId;
    if (filters.audience != Audience::All) q.age = representativeAge(filters.audience);
    q.text = filters.search;
    return q;
}

std::vector<DayChoiceVm> dayChoices(const PresentContext& ctx, int count) {
    std::vector<DayChoiceVm> out;
    Timestamp day = startOfLocalDay(ctx.now, ctx.zone);
    for (int i = 0; i < count; ++i) {
        LocalDateTime local = toLocal(day, ctx.zone);
        DayChoiceVm d;
        d.day = day;
        d.key = fmt::format("{:04}-{:02}-{:02}", local.year, local.month, local.day);
        // formatDay gives "samedi 5 décembre": the weekday on one line, the date on the next.
        std::string full = formatDay(day, ctx.lang, ctx.zone);
        auto space = full.find(' ');
        d.weekday = i == 0 ? ctx.t("browse.day.today") : full.substr(0, space);
        d.date = space == std::string::npos ? full : full.substr(space + 1);
        out.push_back(std::move(d));
        day = nextLocalMidnight(day, ctx.zone);
    }
    return out;
}

std::string defaultTextLayout(const std::string& lang) {
    if (lang == "ar") return "arabic";
    if (lang == "zgh") return "tifinagh";
    return "azerty";
}

}  // namespace fadaa::kiosk
