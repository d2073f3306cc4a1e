// app/kiosk/ui/presenters.hpp - turning core data (sessions, events, registrations) into view
// models in one language, and filters into catalogue queries. Pure functions of their inputs
// (plus the clock passed in), so they are tested without drawing anything.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "catalogue/catalogue.hpp"
#include "i18n/translations.hpp"
#include "ui/view_models.hpp"

namespace fadaa::kiosk {

struct PresentContext {
    const Translations& tr;
    std::string lang;
    std::string zone;
    Timestamp now = 0;
    std::string t(std::string_view key, const std::map<std::string, std::string>& args = {}) const {
        return tr.get(lang, key, args);
    }
};

// Seats of a session as the kiosk says them: state and words ("12 seats left", "Full:
// waiting list", "No registration needed", ...). "Few" is three seats or fewer.
SeatState seatStateOf(const SessionListing& s, Timestamp now);
std::string seatsTextOf(const SessionListing& s, SeatState state, const PresentContext& ctx);

// A card for one session; categoryNames maps category id -> name in ctx.lang.
SessionCardVm makeCard(const SessionListing& s,
                       const std::map<std::string, std::string>& categoryNames,
                       const PresentContext& ctx);

// "All ages", "From 8 years", "Up to 12 years", "8 to 12 years".
std::string audienceText(std::optional<int> ageMin, std::optional<int> ageMax,
                         const PresentContext& ctx);

// The catalogue query for browse filters at time now: day ranges in the kiosk's zone (this
// week ends on Sunday night, this month on the last day), audience as a representative age.
SessionQuery queryFor(const BrowseFilters& filters, Timestamp now, const std::string& zone);
int representativeAge(Audience audience);

// The local midnight after the day containing t.
Timestamp nextLocalMidnight(Timestamp t, const std::string& zone);

// The next `count` days from today, for "pick a day".
std::vector<DayChoiceVm> dayChoices(const PresentContext& ctx, int count);

// The text keyboard layout for a language: arabic for ar, tifinagh for zgh, azerty otherwise.
std::string defaultTextLayout(const std::string& lang);

}  // namespace fadaa::kiosk
