// app/kiosk/ui/app_view_models.cpp - the view models, built from the core services when
// filters, data or the language change (never per frame).
#include <algorithm>

#include "registration/validation.hpp"
#include "ui/app_state.hpp"
#include "util/time.hpp"

namespace fadaa::kiosk {

std::map<std::string, std::string> KioskApp::Impl::categoryNames() {
    std::map<std::string, std::string> names;
    for (const Category& c : catalogue->categories()) names[c.id] = c.name.get(lang);
    return names;
}

void KioskApp::Impl::buildHome() {
    home.kioskName = config.kioskName;
    home.languages.clear();
    for (const auto& code : config.languages) {
        for (const auto& info : translations.languages())
            if (info.code == code) home.languages.push_back({info.code, info.nativeName});
    }
    home.categories.clear();
    if (!catalogue) return;
    for (const Category& c : catalogue->categories())
        home.categories.push_back({c.id, c.name.get(lang)});
}

void KioskApp::Impl::buildBrowse(bool keepScroll) {
    PresentContext ctx = present();
    browse.categories.clear();
    for (const Category& c : catalogue->categories())
        browse.categories.push_back({c.id, c.name.get(lang)});
    auto names = categoryNames();
    SessionQuery q = queryFor(browse.filters, ctx.now, config.timezone);
    // Keep as many cards as were loaded, so a language or data change does not jump the list.
    q.limit = std::max(kPageSize, keepScroll ? static_cast<int>(browse.cards.size()) : 0);
    std::vector<SessionListing> found = catalogue->sessions(q);
    browse.cards.clear();
    for (const auto& s : found) browse.cards.push_back(makeCard(s, names, ctx));
    static std::uint64_t revisions = 0;  // one counter for every kiosk: a fresh BrowseVm too
    browse.cardsRevision = ++revisions;
    browse.hasMore = static_cast<int>(found.size()) == q.limit;
    browse.pickedDayLabel = browse.filters.day == DayFilter::Day
                                ? formatDay(browse.filters.pickedDay, lang, config.timezone)
                                : std::string();
    if (browse.dayPickerOpen) browse.dayChoices = dayChoices(ctx, 28);
    if (browse.keyboardLayout.empty()) browse.keyboardLayout = defaultTextLayout(lang);
    if (!keepScroll) ui->resetScroll("browse.list");
}

void KioskApp::Impl::loadMoreBrowse() {
    if (!browse.hasMore) return;
    PresentContext ctx = present();
    SessionQuery q = queryFor(browse.filters, ctx.now, config.timezone);
    q.limit = kPageSize;
    q.offset = static_cast<int>(browse.cards.size());
    auto names = categoryNames();
    std::vector<SessionListing> found = catalogue->sessions(q);
    for (const auto& s : found) browse.cards.push_back(makeCard(s, names, ctx));
    browse.hasMore = static_cast<int>(found.size()) == kPageSize;
}

void KioskApp::Impl::buildDetail(const std::string& eventId, const std::string& sessionId) {
    PresentContext ctx = present();
    std::optional<Event> event = catalogue->event(eventId);
    detail = DetailVm{};
    detail.eventId = eventId;
    if (!event) return;
    auto names = categoryNames();
    detail.title = event->title.get(lang);
    detail.description = event->description.get(lang);
    if (auto it = names.find(event->categoryId); it != names.end()) detail.category = it->second;
    if (event->organizerId) {
        if (auto org = catalogue->organizer(*event->organizerId))
            detail.organizer = org->name.get(lang);
    }
    detail.audience = audienceText(event->ageMin, event->ageMax, ctx);
    detail.registrationRequired = event->registrationRequired;
    for (const Session& s : catalogue->sessionsOfEvent(eventId)) {
        if (s.endsAt < ctx.now) continue;
        std::optional<SessionListing> listing = catalogue->session(s.id);
        if (!listing) continue;
        detail.sessions.push_back(makeCard(*listing, names, ctx));
        if (s.id == sessionId) detail.selected = static_cast<int>(detail.sessions.size()) - 1;
    }
    if (detail.selected < 0) {
        for (size_t i = 0; i < detail.sessions.size() && detail.selected < 0; ++i)
            if (detail.sessions[i].canRegister) detail.selected = static_cast<int>(i);
    }
    ui->resetScroll("detail.about");
}

void KioskApp::Impl::buildRegister(const SessionCardVm& session, const std::string& eventId) {
    reg = RegisterVm{};
    reg.session = session;
    reg.textLayout = defaultTextLayout(lang);
    FieldVm name{"name", ui->t("register.name"), FieldType::Text, true, {}, "", "", kNameMaxLength};
    FieldVm phone{"phone", ui->t("register.phone"), FieldType::Phone, true, {}, "", "", 20};
    reg.fields = {name, phone};
    regForm.clear();
    if (std::optional<Event> event = catalogue->event(eventId)) {
        reg.eventTitle = event->title.get(lang);
        regForm = event->form;
        for (const FormField& f : event->form) {
            FieldVm vm{f.key, f.label.get(lang), f.type, f.required, {}, "", "", f.maxLength};
            if (vm.label.empty()) vm.label = f.key;
            for (const FormChoice& c : f.choices)
                vm.choices.push_back({c.value, c.label.get(lang)});
            reg.fields.push_back(std::move(vm));
        }
    }
    reg.focused = 0;
    reg.keyboardLayout = reg.textLayout;
    reg.shift = true;  // a name starts with a capital
    reg.revealFocused = true;
    ui->resetScroll("register.fields");
    ui->resetScroll("register.summary");
}

// The language changed: labels follow, what was typed stays.
void KioskApp::Impl::relabelRegister() {
    RegisterVm kept = reg;
    std::optional<SessionListing> listing = catalogue->session(kept.session.sessionId);
    if (!listing) return;
    auto names = categoryNames();
    buildRegister(makeCard(*listing, names, present()), listing->eventId);
    for (size_t i = 0; i < reg.fields.size() && i < kept.fields.size(); ++i) {
        reg.fields[i].value = kept.fields[i].value;
        reg.fields[i].errorKey = kept.fields[i].errorKey;
    }
    reg.focused = kept.focused;
    reg.consent = kept.consent;
    reg.consentErrorKey = kept.consentErrorKey;
    reg.formErrorKey = kept.formErrorKey;
    reg.shift = kept.shift;
    reg.revealFocused = false;
    reg.keyboardLayout = kept.keyboardLayout;  // the keyboard the resident was typing on
    reg.textLayout = kept.textLayout;
}

void KioskApp::Impl::rebuildCurrent() {
    buildHome();
    switch (screen) {
        case ScreenId::Browse:
            buildBrowse(true);
            break;
        case ScreenId::Detail: {
            std::string selected =
                detail.selected >= 0
                    ? detail.sessions[static_cast<size_t>(detail.selected)].sessionId
                    : "";
            const std::string eventId = detail.eventId;  // a copy: buildDetail resets detail
            buildDetail(eventId, selected);
            break;
        }
        case ScreenId::Register:
            relabelRegister();
            break;
        case ScreenId::Confirmation: {
            if (auto listing = catalogue->session(confirmation.sessionId)) {
                SessionCardVm card = makeCard(*listing, categoryNames(), present());
                confirmation.title = card.title;
                confirmation.when = card.when;
                confirmation.venue = card.venue;
            }
            break;
        }
        case ScreenId::MyRegistration:
            if (my.stage == MyRegistrationVm::Stage::Found) findMyRegistration();
            break;
        default:
            break;
    }
}

}  // namespace fadaa::kiosk
