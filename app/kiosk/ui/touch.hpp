// app/kiosk/ui/touch.hpp - one finger on the screen: taps, drags and flings.
//
// GLFW 3.3 has no touch API; on X11 a touch arrives as the pointer. Touch turns the pointer
// state ImGui collects each frame into what a touch screen means: a press becomes a drag once
// it moves more than kDragThreshold, and a drag cancels the tap it began as, so scrolling a
// list never opens the card under the finger.
#pragma once

#include <deque>
#include <string>

#include <imgui.h>

namespace fadaa::kiosk {

class Touch {
public:
    // Reads the pointer at the start of a frame. dragThreshold is in screen pixels.
    void begin(const ImGuiIO& io, double now, float dragThreshold);

    bool down() const { return m_down; }
    bool pressed() const { return m_pressed; }    // went down this frame
    bool released() const { return m_released; }  // went up this frame
    bool dragging() const { return m_dragging; }  // moved beyond the threshold since the press
    ImVec2 pos() const { return m_pos; }
    ImVec2 pressPos() const { return m_pressPos; }
    float deltaY() const { return m_deltaY; }  // vertical movement this frame
    // Vertical speed over the last 100 ms before the release, pixels per second.
    float releaseVelocityY() const { return m_releaseVelocity; }
    // True when something happened this frame (pointer moved, pressed, released, wheel).
    bool activity() const { return m_activity; }
    float wheel() const { return m_wheel; }

    // The tappable (by id) and the scroll area the current press began on. Claimed while the
    // frame is drawn; the last claimant wins, so things drawn on top take the press.
    std::string pressedId;
    std::string scrollId;
    // Set when the press stopped a fling: that press scrolls but never taps.
    bool consumed = false;

private:
    bool m_down = false, m_pressed = false, m_released = false, m_dragging = false;
    bool m_activity = false;
    ImVec2 m_pos{-1, -1}, m_pressPos{-1, -1};
    float m_deltaY = 0.0f, m_releaseVelocity = 0.0f, m_wheel = 0.0f;
    struct Sample {
        double t;
        float y;
    };
    std::deque<Sample> m_samples;
};

// A vertically scrolling region's state, kept across frames by id.
struct ScrollState {
    float offset = 0.0f;    // pixels scrolled from the top
    float velocity = 0.0f;  // pixels per second while coasting after a fling
    float content = 0.0f;   // height of what is inside (from the last frame)
    float viewport = 0.0f;
    int lastFrame = -1;
    // A range of content rows to bring into view when the area is next laid out.
    bool reveal = false;
    float revealTop = 0.0f, revealBottom = 0.0f;

    float maxOffset() const { return content > viewport ? content - viewport : 0.0f; }
    // Moves by inertia for dt seconds; friction slows it to rest within about a second.
    void coast(float dt);
    void clamp();
};

}  // namespace fadaa::kiosk
