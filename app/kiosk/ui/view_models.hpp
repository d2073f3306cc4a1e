// app/kiosk/ui/view_models.hpp - what each screen shows (view models) and what a resident did
// on it (Actions).
//
// Screens are functions Draw(Ui&, const ViewModel&, Actions&): they draw from the view model
// and record taps in Actions; KioskApp applies the actions after the frame. View models hold
// text already in the screen's language (titles, dates, seat counts), built from the core
// services when data, filters or the language change - never per frame. Messages that depend
// on input (field errors) stay translation keys, so they follow a language change.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "model/model.hpp"
#include "ui/keyboard.hpp"
#include "ui/widget_qr.hpp"

namespace fadaa::kiosk {

enum class ScreenId { Home, Browse, Detail, Register, Confirmation, MyRegistration, OutOfOrder };
const char* screenName(ScreenId id);

// A session's seats as a card says it; each state has a word and an icon, not only a colour.
enum class SeatState {
    Available,
    Few,
    Unlimited,
    Full,
    NoRegistration,
    NotYetOpen,
    Closed,
    Cancelled
};

struct SessionCardVm {
    std::string sessionId, eventId;
    std::string title, category, when, venue;
    SeatState seats = SeatState::Available;
    std::string seatsText;
    bool canRegister = false;  // open, required, not cancelled (a full one takes the waiting list)
};

struct CategoryVm {
    std::string id, name;
};

struct LanguageVm {
    std::string code, nativeName;
};

struct HomeVm {
    std::string kioskName;
    std::vector<LanguageVm> languages;  // offered, in the config's order
    std::vector<CategoryVm> categories;
};

enum class DayFilter { All, Today, Week, Month, Day };
enum class Audience { All, Children, Teens, Adults, Seniors };

struct BrowseFilters {
    std::string categoryId;  // empty: every category
    DayFilter day = DayFilter::All;
    Timestamp pickedDay = 0;  // start of the local day, for DayFilter::Day
    Audience audience = Audience::All;
    std::string search;  // logical text as typed
};

struct DayChoiceVm {
    Timestamp day = 0;  // local midnight
    std::string key;    // "2026-12-05", for the Hit id
    std::string weekday, date;
};

struct BrowseVm {
    BrowseFilters filters;
    std::vector<CategoryVm> categories;
    std::vector<SessionCardVm> cards;
    // Changes whenever `cards` is rebuilt (filters, language, data), not when a page is
    // appended: the list's measured row heights are kept while it stays the same.
    std::uint64_t cardsRevision = 0;
    bool hasMore = false;        // another page can be loaded
    std::string pickedDayLabel;  // the chosen day, for the "pick a day" chip
    bool keyboardOpen = false;   // typing a search
    std::string keyboardLayout;
    bool shift = false;
    bool dayPickerOpen = false;
    std::vector<DayChoiceVm> dayChoices;
};

struct DetailVm {
    std::string eventId;
    std::string title, category, description, organizer, audience;
    bool registrationRequired = true;
    std::vector<SessionCardVm> sessions;
    int selected = -1;  // index into sessions
};

struct FieldVm {
    std::string key;  // "name", "phone" or the form field's key
    std::string label;
    FieldType type = FieldType::Text;
    bool required = false;
    std::vector<CategoryVm> choices;  // Choice: value + label
    std::string value;                // logical text as typed (Boolean: "yes" / "no" / "")
    std::string errorKey;             // a translation key, empty when fine
    int maxLength = 80;
};

struct RegisterVm {
    SessionCardVm session;
    std::string eventTitle;
    std::vector<FieldVm> fields;
    int focused = -1;  // the field being typed into
    bool consent = false;
    std::string consentErrorKey;
    std::string formErrorKey;  // a problem with the session itself (full, closed, ...)
    std::string keyboardLayout;
    bool shift = false;
    std::string textLayout;      // the text layout last chosen, for the next text field
    bool revealFocused = false;  // scroll the focused field into view on the next frame
};

struct ConfirmationVm {
    RegistrationStatus status = RegistrationStatus::Confirmed;
    bool existing = false;  // they were already registered: their registration shown again
    std::optional<int> waitlistPosition;
    std::string code;
    std::string sessionId;
    std::string title, when, venue;
    std::optional<QrCode> qr;
};

struct MyRegistrationVm {
    enum class Stage { Entering, NotFound, Found, ConfirmCancel, Cancelled };
    Stage stage = Stage::Entering;
    std::string code, phone;  // as typed
    int focused = 0;          // 0 code, 1 phone, -1 none
    std::string keyboardLayout = "code";
    std::string errorKey;
    RegistrationStatus status = RegistrationStatus::Confirmed;
    std::optional<int> waitlistPosition;
    std::string sessionId;
    std::string title, when, venue;
    bool canCancel = false;
};

// Everything a resident can do in one frame; at most a few are set.
struct Actions {
    // anywhere
    bool home = false, back = false;
    std::optional<std::string> language;
    bool cycleTextSize = false, toggleContrast = false;
    bool openLanguagePanel = false, closeLanguagePanel = false;
    bool stillHere = false, startOver = false;  // the idle prompt
    // home
    std::optional<BrowseFilters> browse;  // open Browse with these filters
    bool myRegistration = false;
    // browse
    std::optional<BrowseFilters> filters;  // new filters
    std::optional<Timestamp> pickDay;
    bool openSearch = false, closeSearch = false, clearSearch = false;
    bool openDayPicker = false, closeDayPicker = false;
    std::optional<int> openCard;
    bool loadMore = false;
    KeyboardInput keys;
    // detail
    std::optional<int> selectSession;
    bool startRegistration = false;
    // register
    std::optional<int> focusField;
    std::optional<std::pair<int, std::string>> setValue;  // choice / yes-no fields
    bool toggleConsent = false, submit = false;
    // confirmation
    bool done = false;
    // my registration
    std::optional<int> myFocus;
    bool find = false, askCancel = false, confirmCancel = false, keepRegistration = false;
    bool tryAgain = false;
};

}  // namespace fadaa::kiosk
