// app/kiosk/ui/screens.hpp - one function per screen: Draw(Ui&, const ViewModel&, Actions&).
//
// Each draws below the top bar (KioskApp draws the bar and prompts), in logical coordinates
// that Ui mirrors for right-to-left languages. Hit ids each screen records are listed in
// kiosk_app.hpp.
#pragma once

#include "ui/keyboard.hpp"
#include "ui/ui.hpp"
#include "ui/view_models.hpp"

namespace fadaa::kiosk {

// Keyboard layouts, shared by the screens that type.
struct ScreenContext {
    const KeyboardLayouts& keyboards;
};

void drawHomeScreen(Ui& ui, const HomeVm& vm, Actions& actions);
void drawBrowseScreen(Ui& ui, const ScreenContext& ctx, const BrowseVm& vm, Actions& actions);
void drawDetailScreen(Ui& ui, const DetailVm& vm, Actions& actions);
void drawRegisterScreen(Ui& ui, const ScreenContext& ctx, const RegisterVm& vm, Actions& actions);
void drawConfirmationScreen(Ui& ui, const ConfirmationVm& vm, Actions& actions);
void drawMyRegistrationScreen(Ui& ui, const ScreenContext& ctx, const MyRegistrationVm& vm,
                              Actions& actions);
// Drawn instead of everything when the store fails; the message in every offered language.
void drawOutOfOrderScreen(Ui& ui, const std::vector<std::string>& languages);

// The area below the top bar.
Rect contentArea(const Ui& ui);

}  // namespace fadaa::kiosk
