// app/kiosk/ui/app_actions.cpp - what each tap does: navigation, filters, typing on the
// on-screen keyboard, registering, finding and cancelling a registration.
#include <algorithm>

#include "i18n/utf8.hpp"
#include "registration/validation.hpp"
#include "ui/app_state.hpp"

namespace fadaa::kiosk {
namespace {

bool typedField(FieldType t) {
    return t == FieldType::Text || t == FieldType::Phone || t == FieldType::Number;
}

void popCodePoint(std::string& text) {
    while (!text.empty()) {
        auto c = static_cast<unsigned char>(text.back());
        text.pop_back();
        if ((c & 0xC0) != 0x80) break;  // stop once a lead byte is gone
    }
}

// Appends typed text, stopping at a limit in code points.
void appendLimited(std::string& value, const std::string& typed, size_t maxCodePoints) {
    size_t have = utf8::decode(value).size();
    for (char32_t cp : utf8::decode(typed)) {
        if (have >= maxCodePoints) return;
        utf8::append(value, cp);
        ++have;
    }
}

size_t limitOf(const FieldVm& f) {
    switch (f.type) {
        case FieldType::Phone:
            return 20;
        case FieldType::Number:
            return 9;
        default:
            return static_cast<size_t>(std::max(1, f.maxLength));
    }
}

// Names start each word with a capital: shift comes back on at the start and after a space.
bool capitalNext(const FieldVm& f) {
    return f.key == "name" && (f.value.empty() || f.value.back() == ' ');
}

}  // namespace

void KioskApp::Impl::apply(const Actions& a, double now) {
    // Anywhere.
    if (a.stillHere) {
        idlePromptSince = -1.0;
        lastInput = now;
    }
    if (a.startOver) {
        resetAll();
        return;
    }
    if (a.cycleTextSize) textSize = (textSize + 1) % kTextSizeLevels;
    if (a.toggleContrast) highContrast = !highContrast;
    if (a.openLanguagePanel) languagePanel = true;
    if (a.closeLanguagePanel) languagePanel = false;
    if (a.language) {
        const bool defaultKeyboard = browse.keyboardLayout == defaultTextLayout(lang);
        lang = *a.language;
        languagePanel = false;
        if (defaultKeyboard) browse.keyboardLayout = defaultTextLayout(lang);
        rebuildCurrent();
    }
    if (a.home) {
        goHome();
        return;
    }
    if (a.back) {
        back();
        return;
    }

    // Home.
    if (a.browse) {
        browse = BrowseVm{};
        browse.filters = *a.browse;
        buildBrowse(false);
        go(ScreenId::Browse);
    }
    if (a.myRegistration) {
        my = MyRegistrationVm{};
        go(ScreenId::MyRegistration);
    }

    // Browse.
    if (a.filters) {
        browse.filters = *a.filters;
        browse.dayPickerOpen = false;
        buildBrowse(false);
    }
    if (a.openSearch) {
        browse.keyboardOpen = true;
        if (browse.keyboardLayout.empty()) browse.keyboardLayout = defaultTextLayout(lang);
    }
    if (a.closeSearch) browse.keyboardOpen = false;
    if (a.clearSearch) {
        browse.filters.search.clear();
        buildBrowse(false);
    }
    if (a.openDayPicker) {
        browse.dayPickerOpen = true;
        browse.dayChoices = dayChoices(present(), 28);
    }
    if (a.closeDayPicker) browse.dayPickerOpen = false;
    if (a.pickDay) {
        browse.filters.day = DayFilter::Day;
        browse.filters.pickedDay = *a.pickDay;
        browse.dayPickerOpen = false;
        buildBrowse(false);
    }
    if (a.openCard && *a.openCard >= 0 && *a.openCard < static_cast<int>(browse.cards.size())) {
        const SessionCardVm card = browse.cards[static_cast<size_t>(*a.openCard)];
        browse.keyboardOpen = false;
        buildDetail(card.eventId, card.sessionId);
        go(ScreenId::Detail);
    }
    if (a.loadMore) loadMoreBrowse();
    if (a.keys.any()) applyKeys(a.keys);

    // Detail.
    if (a.selectSession && *a.selectSession >= 0 &&
        *a.selectSession < static_cast<int>(detail.sessions.size()))
        detail.selected = *a.selectSession;
    if (a.startRegistration && detail.selected >= 0) {
        const SessionCardVm card = detail.sessions[static_cast<size_t>(detail.selected)];
        if (card.canRegister) {
            buildRegister(card, detail.eventId);
            go(ScreenId::Register);
        }
    }

    // Register.
    if (a.focusField) focusField(*a.focusField);
    if (a.setValue && a.setValue->first >= 0 &&
        a.setValue->first < static_cast<int>(reg.fields.size())) {
        FieldVm& f = reg.fields[static_cast<size_t>(a.setValue->first)];
        f.value = a.setValue->second;
        f.errorKey.clear();
        reg.focused = -1;  // a choice needs no keyboard
    }
    if (a.toggleConsent) {
        reg.consent = !reg.consent;
        reg.consentErrorKey.clear();
    }
    if (a.submit) submitRegistration();

    // Confirmation and "my registration" done.
    if (a.done) goHome();

    // My registration.
    if (a.myFocus) {
        // Tapping a field after a result asks again: the keyboard comes back.
        if (my.stage == MyRegistrationVm::Stage::Found ||
            my.stage == MyRegistrationVm::Stage::Cancelled)
            my.stage = MyRegistrationVm::Stage::Entering;
        my.focused = *a.myFocus;
        my.keyboardLayout = my.focused == 0 ? "code" : "phone";
    }
    if (a.find) findMyRegistration();
    if (a.askCancel && my.canCancel) my.stage = MyRegistrationVm::Stage::ConfirmCancel;
    if (a.keepRegistration) my.stage = MyRegistrationVm::Stage::Found;
    if (a.confirmCancel) cancelMyRegistration();
}

void KioskApp::Impl::focusField(int index) {
    if (index < 0 || index >= static_cast<int>(reg.fields.size())) return;
    reg.focused = index;
    const FieldVm& f = reg.fields[static_cast<size_t>(index)];
    reg.keyboardLayout = f.type == FieldType::Phone    ? "phone"
                         : f.type == FieldType::Number ? "number"
                                                       : reg.textLayout;
    reg.shift = capitalNext(f);
    reg.revealFocused = typedField(f.type);
}

void KioskApp::Impl::applyKeys(const KeyboardInput& k) {
    if (screen == ScreenId::Browse && browse.keyboardOpen) {
        if (!k.switchTo.empty()) browse.keyboardLayout = k.switchTo;
        if (k.toggleShift) browse.shift = !browse.shift;
        bool changed = false;
        if (!k.typed.empty()) {
            appendLimited(browse.filters.search, k.typed, 60);
            browse.shift = false;
            changed = true;
        }
        if (k.backspace && !browse.filters.search.empty()) {
            popCodePoint(browse.filters.search);
            changed = true;
        }
        if (changed) buildBrowse(false);  // the list narrows at each letter
        return;
    }
    if (screen == ScreenId::Register && reg.focused >= 0 &&
        reg.focused < static_cast<int>(reg.fields.size())) {
        FieldVm& f = reg.fields[static_cast<size_t>(reg.focused)];
        if (!k.switchTo.empty()) {
            reg.keyboardLayout = k.switchTo;
            if (f.type == FieldType::Text) reg.textLayout = k.switchTo;
        }
        if (k.toggleShift) reg.shift = !reg.shift;
        if (!k.typed.empty()) {
            appendLimited(f.value, k.typed, limitOf(f));
            f.errorKey.clear();
            reg.shift = capitalNext(f);
        }
        if (k.backspace) {
            popCodePoint(f.value);
            f.errorKey.clear();
            reg.shift = capitalNext(f);
        }
        if (k.enter) {
            int next = -1;
            for (size_t i = static_cast<size_t>(reg.focused) + 1; i < reg.fields.size() && next < 0;
                 ++i)
                if (typedField(reg.fields[i].type)) next = static_cast<int>(i);
            if (next >= 0) {
                focusField(next);
            } else {
                reg.focused = -1;
            }
        }
        return;
    }
    if (screen == ScreenId::MyRegistration && my.focused >= 0) {
        std::string& value = my.focused == 0 ? my.code : my.phone;
        if (!k.typed.empty() || k.backspace) {
            if (!k.typed.empty()) appendLimited(value, k.typed, my.focused == 0 ? 12 : 20);
            if (k.backspace) popCodePoint(value);
            my.errorKey.clear();
            if (my.stage == MyRegistrationVm::Stage::NotFound)
                my.stage = MyRegistrationVm::Stage::Entering;
        }
        if (k.enter) {
            if (my.focused == 0) {
                my.focused = 1;
                my.keyboardLayout = "phone";
            } else {
                findMyRegistration();
            }
        }
    }
}

void KioskApp::Impl::submitRegistration() {
    RegistrationRequest request;
    request.sessionId = reg.session.sessionId;
    for (FieldVm& f : reg.fields) {
        f.errorKey.clear();
        if (f.key == "name") {
            request.name = f.value;
        } else if (f.key == "phone") {
            request.phone = f.value;
        } else if (!f.value.empty()) {
            request.answers[f.key] = f.value;
        }
    }
    reg.formErrorKey.clear();
    reg.consentErrorKey = reg.consent ? "" : "error.consent.required";
    std::vector<FieldError> errors;
    std::optional<RegistrationOutcome> outcome;
    if (!reg.consent) {
        errors = validateRequest(request, regForm);  // show every problem at once
    } else {
        outcome = registrations->registerFor(request);
        if (!outcome->ok) errors = outcome->errors;
    }
    if (!outcome || !outcome->ok) {
        for (const FieldError& e : errors) {
            auto it = std::find_if(reg.fields.begin(), reg.fields.end(),
                                   [&](const FieldVm& f) { return f.key == e.field; });
            if (it != reg.fields.end()) {
                if (it->errorKey.empty()) it->errorKey = e.messageKey;
            } else if (reg.formErrorKey.empty()) {
                reg.formErrorKey = e.messageKey;
            }
        }
        reg.focused = -1;  // the keyboard goes away so every message is in view
        return;
    }
    const Registration& r = outcome->registration;
    confirmation = ConfirmationVm{};
    confirmation.status = r.status;
    confirmation.existing = outcome->existing;
    confirmation.waitlistPosition = r.waitlistPosition;
    confirmation.code = r.code;
    confirmation.sessionId = r.sessionId;
    confirmation.title = reg.session.title;
    confirmation.when = reg.session.when;
    confirmation.venue = reg.session.venue;
    confirmation.qr.emplace(r.code);
    // What was typed is no longer needed on screen; there is no way back into the form.
    reg = RegisterVm{};
    regForm.clear();
    history.clear();
    screen = ScreenId::Confirmation;
}

void KioskApp::Impl::findMyRegistration() {
    my.errorKey.clear();
    if (my.code.empty() || my.phone.empty()) {
        my.errorKey = my.code.empty() ? "error.code.required" : "error.phone.required";
        my.focused = my.code.empty() ? 0 : 1;
        my.keyboardLayout = my.focused == 0 ? "code" : "phone";
        my.stage = MyRegistrationVm::Stage::Entering;
        return;
    }
    std::optional<Registration> r = registrations->find(my.code, my.phone);
    if (!r) {
        my.stage = MyRegistrationVm::Stage::NotFound;
        return;
    }
    my.focused = -1;
    my.stage = MyRegistrationVm::Stage::Found;
    my.status = r->status;
    my.waitlistPosition = r->waitlistPosition;
    my.sessionId = r->sessionId;
    my.canCancel = r->status == RegistrationStatus::Confirmed ||
                   r->status == RegistrationStatus::Provisional ||
                   r->status == RegistrationStatus::Waitlisted;
    if (std::optional<SessionListing> listing = catalogue->session(r->sessionId)) {
        SessionCardVm card = makeCard(*listing, categoryNames(), present());
        my.title = card.title;
        my.when = card.when;
        my.venue = card.venue;
        // A session that has started can no longer be cancelled from the kiosk.
        if (listing->session.startsAt <= present().now) my.canCancel = false;
    }
}

void KioskApp::Impl::cancelMyRegistration() {
    CancelOutcome out = registrations->cancel(my.code, my.phone);
    switch (out.result) {
        case CancelResult::Cancelled:
        case CancelResult::AlreadyCancelled:
            my.stage = MyRegistrationVm::Stage::Cancelled;
            my.status = RegistrationStatus::Cancelled;
            my.canCancel = false;
            // The code and phone have done their job: off the screen before the resident
            // turns away from it (design.md: personal data, the minimum, never lingering).
            my.code.clear();
            my.phone.clear();
            my.focused = -1;
            break;
        case CancelResult::AlreadyAttended:
            my.stage = MyRegistrationVm::Stage::Found;
            my.status = RegistrationStatus::Attended;
            my.canCancel = false;
            break;
        case CancelResult::NotFound:
            my.stage = MyRegistrationVm::Stage::NotFound;
            break;
    }
}

}  // namespace fadaa::kiosk
