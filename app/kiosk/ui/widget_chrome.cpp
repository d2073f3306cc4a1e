// app/kiosk/ui/widget_chrome.cpp - the top bar, prompts, the language panel and the idle prompt.
#include <algorithm>

#include "ui/widgets.hpp"

namespace fadaa::kiosk {

float topBarHeight(const Ui& ui) {
    return ui.px(metric::kBar);
}

void drawTopBar(Ui& ui, const TopBarVm& vm, Actions& actions) {
    const Theme& th = ui.theme();
    const float h = topBarHeight(ui);
    const float W = ui.screen().x;
    ui.fill(Rect::xywh(0, 0, W, h), th.barBack, 0.0f);
    if (th.borderWidth > 2.0f) ui.fill(Rect::xywh(0, h - ui.px(3), W, ui.px(3)), th.border, 0.0f);

    const float pad = ui.px(16), gap = ui.px(14);
    const float bh = h - 2 * pad;
    ImFont* font = ui.body();
    auto widthFor = [&](const std::string& label) {
        return std::max(ui.px(metric::kTouch) * 1.6f,
                        ui.textWidth(label, font) + bh * 0.5f + ui.px(56));
    };

    // Start side: Home, Back.
    float x = pad;
    if (vm.showHome) {
        std::string label = ui.t("bar.home");
        float w = widthFor(label);
        if (ui.button("bar.home", label, Rect::xywh(x, pad, w, bh), ButtonStyle::Bar, Icon::Home))
            actions.home = true;
        x += w + gap;
    }
    if (vm.showBack) {
        std::string label = ui.t("bar.back");
        float w = widthFor(label);
        if (ui.button("bar.back", label, Rect::xywh(x, pad, w, bh), ButtonStyle::Bar, Icon::Back))
            actions.back = true;
        x += w + gap;
    }

    // The sync state, small and quiet: a filled dot online, a ring offline, and the words.
    if (vm.sync.enrolled) {
        std::string text = ui.t(vm.sync.online ? "sync.online" : "sync.offline");
        if (vm.sync.waiting > 0)
            text = ui.t("sync.waiting", {{"state", text}, {"n", std::to_string(vm.sync.waiting)}});
        ImFont* small = ui.bodyAt(0);
        const float dot = ui.px(16);
        ImVec2 c = ui.flip(ImVec2{x + gap + dot * 0.5f, h * 0.5f});
        if (vm.sync.online)
            ui.dl()->AddCircleFilled(c, dot * 0.5f, th.barText);
        else
            ui.dl()->AddCircle(c, dot * 0.5f - 1.5f, th.barText, 16, 3.0f);
        float tw = ui.textWidth(text, small);
        ui.text(Rect::xywh(x + gap + dot + ui.px(10), 0, tw + 1, h), text, small, th.barText);
        x += gap + dot + ui.px(10) + tw + gap;
    }

    // End side: language, contrast, text size. Labels give way to icons alone on a narrow
    // screen; the Hit keeps the word either way.
    struct EndButton {
        const char* id;
        std::string label;
        Icon icon;
        bool* action;
    };
    std::vector<EndButton> end = {
        {"bar.text_size", ui.t("bar.text_size"), Icon::TextSize, &actions.cycleTextSize},
        {"bar.contrast", ui.t("bar.contrast"), Icon::Contrast, &actions.toggleContrast},
    };
    if (vm.showLanguage)
        end.push_back(
            {"bar.language", ui.t("bar.language"), Icon::Globe, &actions.openLanguagePanel});
    float endWidth = 0;
    for (const auto& b : end) endWidth += widthFor(b.label) + gap;
    const float titleMin = ui.px(360);
    const bool iconsOnly = x + endWidth + titleMin > W;
    float ex = W - pad;
    for (const auto& b : end) {
        float w = iconsOnly ? bh * 1.4f : widthFor(b.label);
        ex -= w;
        Rect r = Rect::xywh(ex, pad, w, bh);
        if (iconsOnly) {
            if (ui.iconButton(b.id, b.label, r, ButtonStyle::Bar, b.icon)) *b.action = true;
        } else if (ui.button(b.id, b.label, r, ButtonStyle::Bar, b.icon)) {
            *b.action = true;
        }
        ex -= gap;
    }

    // The title centred on the screen when it fits between the two groups, else between them.
    if (!vm.title.empty() && ex - x > ui.px(80)) {
        float tw = ui.textWidth(vm.title, ui.heading());
        float half = std::min(W * 0.5f - x, ex - W * 0.5f) - gap;
        Rect tr = tw * 0.5f <= half ? Rect{{W * 0.5f - half, 0}, {W * 0.5f + half, h}}
                                    : Rect{{x + gap, 0}, {ex - gap, h}};
        ui.text(tr, vm.title, ui.heading(), th.barText, Align::Center);
    }
}

Rect beginPrompt(Ui& ui, float width, float height) {
    ui.beginLayer();
    const Theme& th = ui.theme();
    ImVec2 s = ui.screen();
    ui.fill(Rect{{0, 0}, s}, th.shade, 0.0f);
    width = std::min(width, s.x - ui.px(40));
    height = std::min(height, s.y - ui.px(40));
    Rect card = Rect::xywh((s.x - width) * 0.5f, (s.y - height) * 0.5f, width, height);
    ui.fill(card, th.surface);
    ui.stroke(card, th.border, th.borderWidth + 1.0f);
    return card.inset(ui.px(40));
}

void endPrompt(Ui& ui) {
    ui.endLayer();
}

float promptChoicesHeight(const Ui& ui) {
    return ui.px(110);
}

int drawPromptChoices(Ui& ui, const Rect& in, const PromptChoice& first,
                      const PromptChoice& second) {
    const float bw = (in.w() - ui.px(metric::kGap)) * 0.5f, bh = promptChoicesHeight(ui);
    int tapped = -1;
    if (ui.button(first.id, first.label, Rect::xywh(in.min.x, in.max.y - bh, bw, bh), first.style,
                  first.icon))
        tapped = 0;
    if (ui.button(second.id, second.label, Rect::xywh(in.max.x - bw, in.max.y - bh, bw, bh),
                  second.style, second.icon))
        tapped = 1;
    return tapped;
}

void drawLanguageRow(Ui& ui, const std::vector<LanguageVm>& languages, const Rect& r,
                     const std::string& idPrefix, Actions& actions) {
    if (languages.empty()) return;
    const float gap = ui.px(metric::kGap);
    const float n = static_cast<float>(languages.size());
    const float w = (r.w() - gap * (n - 1)) / n;
    float x = r.min.x;
    for (const auto& lang : languages) {
        bool current = lang.code == ui.lang();
        // Each language in its own script, never translated.
        if (ui.button(idPrefix + "." + lang.code, lang.nativeName, Rect::xywh(x, r.min.y, w, r.h()),
                      current ? ButtonStyle::Selected : ButtonStyle::Secondary, Icon::None,
                      ui.heading()))
            actions.language = lang.code;
        x += w + gap;
    }
}

void drawLanguagePanel(Ui& ui, const std::vector<LanguageVm>& languages, Actions& actions) {
    const float rowH = ui.px(110);
    Rect in = beginPrompt(ui, ui.px(1200),
                          ui.px(40) * 2 + ui.lineHeight(ui.heading()) + rowH * 2 +
                              ui.px(metric::kGap) * 3 + ui.px(96));
    const Theme& th = ui.theme();
    float y = in.min.y;
    ui.text(Rect::xywh(in.min.x, y, in.w(), ui.lineHeight(ui.heading())), ui.t("language.choose"),
            ui.heading(), th.text, Align::Center);
    y += ui.lineHeight(ui.heading()) + ui.px(metric::kGap);
    // Two per row keeps each button wide enough for its name at the largest text size.
    for (size_t i = 0; i < languages.size(); i += 2) {
        std::vector<LanguageVm> pair(
            languages.begin() + static_cast<long>(i),
            languages.begin() + static_cast<long>(std::min(i + 2, languages.size())));
        drawLanguageRow(ui, pair, Rect::xywh(in.min.x, y, in.w(), rowH), "language", actions);
        y += rowH + ui.px(metric::kGap);
    }
    if (ui.button(
            "language.close", ui.t("common.close"),
            Rect::xywh(in.center().x - ui.px(200), in.max.y - ui.px(96), ui.px(400), ui.px(96)),
            ButtonStyle::Secondary, Icon::Clear))
        actions.closeLanguagePanel = true;
    endPrompt(ui);
}

void drawIdlePrompt(Ui& ui, int secondsLeft, Actions& actions) {
    const Theme& th = ui.theme();
    const float width = ui.px(1100);
    const float inner = width - ui.px(80);
    std::string message = ui.t("idle.message", {{"seconds", std::to_string(secondsLeft)}});
    float textH = ui.paragraphHeight(inner, message, ui.body());
    float height = ui.px(80) + ui.px(64) + ui.lineHeight(ui.heading()) + textH + ui.px(60) +
                   promptChoicesHeight(ui);
    Rect in = beginPrompt(ui, width, height);
    float y = in.min.y;
    ui.icon(Icon::Clock, Rect::xywh(in.center().x - ui.px(32), y, ui.px(64), ui.px(64)), th.text);
    y += ui.px(64) + ui.px(12);
    ui.text(Rect::xywh(in.min.x, y, in.w(), ui.lineHeight(ui.heading())), ui.t("idle.title"),
            ui.heading(), th.text, Align::Center);
    y += ui.lineHeight(ui.heading());
    ui.paragraph(Rect::xywh(in.min.x, y, in.w(), textH), message, ui.body(), th.text, 0,
                 Align::Center);
    int tapped = drawPromptChoices(
        ui, in, {"idle.start_over", ui.t("idle.start_over"), ButtonStyle::Secondary, Icon::Home},
        {"idle.continue", ui.t("idle.continue"), ButtonStyle::Primary, Icon::Check});
    if (tapped == 0) actions.startOver = true;
    if (tapped == 1) actions.stillHere = true;
    endPrompt(ui);
}

}  // namespace fadaa::kiosk
