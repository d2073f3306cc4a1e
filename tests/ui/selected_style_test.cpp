// tests/ui/selected_style_test.cpp - a chosen chip must not look like an action to press: on
// Home the current language sat filled in the accent colour beside "Today" and "This week",
// which are filled the same way. Checked on the draw data of the last frame, in both themes,
// for the language buttons and the browse filter chips.
#include <catch2/catch.hpp>

#include <set>

#include "ui/theme.hpp"
#include "ui_harness.hpp"

using namespace fadaa;
using namespace fadaa::test;

namespace {

// The opaque colours of the vertices drawn inside a hit's rectangle in the last frame.
std::set<ImU32> coloursIn(const kiosk::Hit& h) {
    std::set<ImU32> out;
    const ImDrawData* data = ImGui::GetDrawData();
    REQUIRE(data);
    for (int l = 0; l < data->CmdListsCount; ++l)
        for (const ImDrawVert& v : data->CmdLists[l]->VtxBuffer)
            if (v.pos.x > h.min.x && v.pos.x < h.max.x && v.pos.y > h.min.y && v.pos.y < h.max.y &&
                (v.col & IM_COL32_A_MASK) == IM_COL32_A_MASK)
                out.insert(v.col);
    return out;
}

}  // namespace

TEST_CASE("the chosen language is marked, not filled like an action tile", "[ui][home]") {
    SeededKiosk fx("en");
    HeadlessKiosk& k = fx.k;
    for (bool contrast : {false, true}) {
        if (contrast != k.app().highContrast()) k.tap("bar.contrast");
        REQUIRE(k.app().highContrast() == contrast);
        k.frame();
        INFO("high contrast: " << contrast);
        const kiosk::Theme th = kiosk::makeTheme(contrast);
        const kiosk::Hit* chosen = k.find("home.lang.en");
        const kiosk::Hit* other = k.find("home.lang.fr");
        const kiosk::Hit* today = k.find("home.today");
        REQUIRE(chosen);
        REQUIRE(other);
        REQUIRE(today);
        // The action tile: an accent fill with its label in the accent's text colour.
        CHECK(coloursIn(*today).count(th.accentText));
        // The chosen language: its label in the plain text colour on a tinted surface, so it
        // differs from the other languages too (not by colour alone: it has a check mark).
        std::set<ImU32> mine = coloursIn(*chosen);
        CHECK(mine.count(th.text));
        CHECK(mine.count(th.surfacePressed));
        CHECK_FALSE(coloursIn(*other).count(th.surfacePressed));
        if (th.accentText != th.text) CHECK_FALSE(mine.count(th.accentText));
        // Filter chips are chosen the same way: "Today" as a filter is not an action tile.
        k.tap("home.all");
        k.tap("browse.day.today");
        const kiosk::Hit* filter = k.find("browse.day.today");
        REQUIRE(filter);
        std::set<ImU32> chip = coloursIn(*filter);
        CHECK(chip.count(th.surfacePressed));
        CHECK(chip.count(th.text));
        CHECK_FALSE(coloursIn(*k.find("browse.day.week")).count(th.surfacePressed));
        k.tap("bar.home");
    }
}
