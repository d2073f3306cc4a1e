// tests/ui/fonts_test.cpp - the kiosk bakes only the text size shown, and bakes another one
// off the UI thread when the resident asks for it, swapping it in between frames.
#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <thread>
#include <vector>

#include "support/test_support.hpp"
#include "ui_harness.hpp"

using namespace fadaa;

namespace {

// The pixel sizes of the fonts in the context's atlas, sorted.
std::vector<float> atlasSizes() {
    std::vector<float> sizes;
    for (const ImFont* font : ImGui::GetIO().Fonts->Fonts) sizes.push_back(font->FontSize);
    std::sort(sizes.begin(), sizes.end());
    return sizes;
}

// Runs frames until the atlas holds a font of `size` pixels, for at most 10 s of real time
// (the worker's FreeType work; generous for a loaded 2-core machine).
bool waitForSize(test::HeadlessKiosk& k, float size) {
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (std::chrono::steady_clock::now() < until) {
        k.frame();
        const auto sizes = atlasSizes();
        if (std::find(sizes.begin(), sizes.end(), size) != sizes.end()) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return false;
}

}  // namespace

TEST_CASE("only the chosen text size is baked; another is baked when asked and swapped in",
          "[fonts]") {
    test::TempDir dir;
    test::HeadlessKiosk k(dir / "kiosk.sqlite", "fr");
    REQUIRE(k.app().textSize() == 1);
    // Size 1 (body 34, heading 44), the small print (body 28) and the code font (120): no
    // font of size 2 (42, 54), none of size 0's headings (36).
    CHECK(atlasSizes() == std::vector<float>{28, 34, 44, 120});
    // The home screen's category buttons are laid out with the body font's line height.
    auto buttonHeight = [&] {
        const kiosk::Hit* hit = k.find("home.today");
        REQUIRE(hit);
        return hit->max.y - hit->min.y;
    };
    const float heightAt1 = buttonHeight();

    k.tap("bar.text_size");
    REQUIRE(k.app().textSize() == 2);
    REQUIRE(waitForSize(k, 54));
    CHECK(atlasSizes() == std::vector<float>{28, 42, 54, 120});
    k.frame();
    const float heightAt2 = buttonHeight();

    k.tap("bar.text_size");
    REQUIRE(k.app().textSize() == 0);
    REQUIRE(waitForSize(k, 36));
    CHECK(atlasSizes() == std::vector<float>{28, 36, 120});
    k.frame();
    INFO("home.today height at sizes 0, 1, 2: " << buttonHeight() << ", " << heightAt1 << ", "
                                                << heightAt2);
    CHECK(heightAt2 >= heightAt1);
    CHECK(buttonHeight() <= heightAt1);
    CHECK(buttonHeight() < heightAt2);
}
