// tests/ui/touch_test.cpp - drag to scroll with inertia, a drag never taps, mirrored layout,
// text sizes, contrast and touch target sizes.
#include <catch2/catch.hpp>

#include <cmath>

#include "support/test_support.hpp"
#include "ui_harness.hpp"
#include "util/time.hpp"

using namespace fadaa;
using namespace fadaa::test;

namespace {

// 40 more sessions of the reading club, for a list that scrolls.
void addLongList(Database& db) {
    Catalogue cat(db);
    for (int i = 0; i < 40; ++i) {
        Session s;
        s.id = "reading-extra-" + std::to_string(i);
        s.eventId = "reading-club";
        s.venueId = "hall";
        s.startsAt = nowUtc() + 5 * 86400 + i * 3600;
        s.endsAt = s.startsAt + 1800;
        cat.upsertSession(s);
    }
}

ImVec2 centre(const kiosk::Hit* h) {
    return {(h->min.x + h->max.x) * 0.5f, (h->min.y + h->max.y) * 0.5f};
}

}  // namespace

TEST_CASE("dragging scrolls the list and never opens the card it started on", "[ui][touch]") {
    SeededKiosk fx("fr", {}, addLongList);
    HeadlessKiosk& k = fx.k;
    k.tap("home.all");
    // A card low enough that its top is still in view after the drag (hits are clipped to the
    // list): the top of the first card is the top of the list.
    const float listTop = k.find("browse.card.0")->min.y;
    std::string id;
    for (const std::string& c : k.ids("browse.card."))
        if (id.empty() && k.find(c)->min.y > listTop + 320.0f) id = c;
    REQUIRE_FALSE(id.empty());
    const kiosk::Hit* card = k.find(id);
    const float y0 = card->min.y;
    ImVec2 from = centre(card);
    // A slow drag: the content follows the finger exactly, and no fling is left.
    k.drag(from, {from.x, from.y - 300}, 30, 0.05);
    CHECK(k.app().currentScreen() == "browse");
    REQUIRE(k.find(id));
    CHECK(std::abs(k.find(id)->min.y - (y0 - 300)) < 2.0f);
    CHECK(k.app().nextWakeup(k.now()) > 1.0);

    // A small wobble (under 15 px) is still a tap.
    const kiosk::Hit* target = k.find("browse.card.3");
    REQUIRE(target);
    std::string title = target->label;
    ImVec2 p = centre(target);
    k.drag(p, {p.x + 6, p.y + 6}, 3);
    CHECK(k.app().currentScreen() == "detail");
    k.tap("bar.back");
    CHECK(k.app().currentScreen() == "browse");
}

TEST_CASE("a fling keeps scrolling, slows down and stops, and a touch stops it", "[ui][touch]") {
    SeededKiosk fx("ar", {}, addLongList);
    HeadlessKiosk& k = fx.k;
    k.tap("home.all");
    const kiosk::Hit* card = k.find("browse.card.0");
    ImVec2 from = centre(card);
    k.drag(from, {from.x, from.y - 400}, 4);    // 400 px in 4 frames: a fast flick
    CHECK(k.app().nextWakeup(k.now()) == 0.0);  // still moving: frames wanted now
    float y1 = k.find("browse.card.4") ? k.find("browse.card.4")->min.y : 0.0f;
    k.frame();
    k.frame();
    REQUIRE(k.find("browse.card.4"));
    CHECK(k.find("browse.card.4")->min.y < y1);  // moved on by itself
    // A touch during the fling stops it and opens nothing.
    k.tapAt(centre(k.find("browse.card.4")));
    CHECK(k.app().currentScreen() == "browse");
    CHECK(k.app().nextWakeup(k.now()) > 1.0);

    // Another fling comes to rest by itself within a few seconds.
    card = k.find("browse.card.4");
    from = centre(card);
    k.drag(from, {from.x, from.y - 200}, 4);
    int frames = 0;
    while (k.app().nextWakeup(k.now()) == 0.0 && frames < 600) {
        k.frame();
        ++frames;
    }
    CHECK(frames > 5);
    CHECK(frames < 240);  // under four seconds at 60 frames a second
}

TEST_CASE("the layout mirrors for Arabic", "[ui][touch][rtl]") {
    SeededKiosk fx("fr");
    HeadlessKiosk& k = fx.k;
    k.tap("home.all");
    const float W = k.display().x;
    CHECK(k.find("bar.home")->max.x < W / 2);
    CHECK(k.find("bar.text_size")->min.x > W / 2);
    CHECK(k.find("browse.category.all")->max.x < W / 2);
    CHECK(k.find("browse.card.0")->min.x < k.find("browse.card.1")->min.x);
    k.tap("bar.language");
    k.tap("language.ar");
    CHECK(k.app().language() == "ar");
    CHECK(k.app().currentScreen() == "browse");
    CHECK(k.find("bar.home")->min.x > W / 2);
    CHECK(k.find("bar.text_size")->max.x < W / 2);
    CHECK(k.find("browse.category.all")->min.x > W / 2);
    CHECK(k.find("browse.card.0")->min.x > k.find("browse.card.1")->min.x);
    CHECK(k.find("browse.category.chess")->label == "شطرنج");
    // The keyboard keeps its physical layout: backspace stays at the end of the digit row.
    k.tap("browse.search");
    CHECK(k.find("keyboard.key.1")->min.x < k.find("keyboard.key.0")->min.x);
}

TEST_CASE("text size and contrast from every screen, and large touch targets", "[ui][touch]") {
    SeededKiosk fx("en");
    HeadlessKiosk& k = fx.k;
    auto checkTargets = [&](const std::string& where) {
        for (const auto& h : k.app().hits()) {
            INFO(where << ": " << h.id);
            CHECK(h.max.x - h.min.x >= 64.0f);
            // Rows cut by a scrolling edge are allowed to show partly.
            if (h.min.y > 110 && h.max.y < k.display().y - 2) CHECK(h.max.y - h.min.y >= 64.0f);
        }
    };
    checkTargets("home");
    CHECK(k.has("bar.text_size"));
    CHECK(k.has("bar.contrast"));
    k.tap("home.all");
    checkTargets("browse");
    float h1 = k.find("browse.card.0")->max.y - k.find("browse.card.0")->min.y;
    k.tap("bar.text_size");
    CHECK(k.app().textSize() == 2);
    float h2 = k.find("browse.card.0")->max.y - k.find("browse.card.0")->min.y;
    CHECK(h2 > h1);
    k.tap("bar.text_size");
    CHECK(k.app().textSize() == 0);
    k.tap("bar.contrast");
    CHECK(k.app().highContrast());
    k.tap("browse.card.0");
    checkTargets("detail");
    CHECK(k.has("bar.contrast"));
    k.tap("bar.contrast");
    CHECK_FALSE(k.app().highContrast());
    k.tap("bar.home");
    k.tap("home.my_registration");
    checkTargets("my registration");
    CHECK(k.has("bar.text_size"));
}
