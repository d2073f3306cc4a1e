// app/kiosk/ui/touch.cpp - tap/drag detection and inertial scrolling.
#include "ui/touch.hpp"

#include <cmath>

namespace fadaa::kiosk {
namespace {

constexpr double kVelocityWindow = 0.1;  // seconds of movement that set a fling's speed
constexpr float kFriction = 4.0f;        // per second: speed falls to 2% in one second
constexpr float kRestSpeed = 25.0f;      // pixels per second under which coasting stops
constexpr float kMaxFling = 6000.0f;
constexpr float kMinFling = 250.0f;  // a slow drag stops where the finger lifts

bool onScreen(ImVec2 p) {
    return p.x > -1e5f && p.y > -1e5f;
}

}  // namespace

void Touch::begin(const ImGuiIO& io, double now, float dragThreshold) {
    bool wasDown = m_down;
    ImVec2 previous = m_pos;
    m_pos = io.MousePos;
    m_down = io.MouseDown[0];
    m_pressed = m_down && !wasDown;
    m_released = !m_down && wasDown;
    m_wheel = io.MouseWheel;
    m_deltaY = 0.0f;
    m_activity = m_pressed || m_released || m_wheel != 0.0f ||
                 (onScreen(m_pos) && (m_pos.x != previous.x || m_pos.y != previous.y));

    if (m_pressed) {
        m_pressPos = m_pos;
        m_dragging = false;
        m_releaseVelocity = 0.0f;
        pressedId.clear();
        scrollId.clear();
        consumed = false;
        m_samples.clear();
    }
    if (m_down || m_released) {
        if (!m_pressed && onScreen(previous) && onScreen(m_pos)) m_deltaY = m_pos.y - previous.y;
        if (!m_dragging && onScreen(m_pos)) {
            float dx = m_pos.x - m_pressPos.x, dy = m_pos.y - m_pressPos.y;
            if (dx * dx + dy * dy > dragThreshold * dragThreshold) {
                m_dragging = true;
                m_deltaY = dy;  // the content catches up with the finger, then follows it
            }
        }
        m_samples.push_back({now, m_pos.y});
        while (m_samples.size() > 2 && now - m_samples.front().t > kVelocityWindow) {
            m_samples.pop_front();
        }
    }
    if (m_released) {
        m_releaseVelocity = 0.0f;
        if (m_dragging && m_samples.size() >= 2) {
            double dt = m_samples.back().t - m_samples.front().t;
            if (dt > 0.005) {
                float v = static_cast<float>((m_samples.back().y - m_samples.front().y) / dt);
                if (std::fabs(v) >= kMinFling)
                    m_releaseVelocity = std::fmax(-kMaxFling, std::fmin(kMaxFling, v));
            }
        }
    }
}

void ScrollState::coast(float dt) {
    if (velocity == 0.0f || dt <= 0.0f) return;
    offset += velocity * dt;
    velocity *= std::exp(-kFriction * dt);
    if (std::fabs(velocity) < kRestSpeed) velocity = 0.0f;
    float before = offset;
    clamp();
    if (offset != before) velocity = 0.0f;  // hit an end
}

void ScrollState::clamp() {
    if (offset > maxOffset()) offset = maxOffset();
    if (offset < 0.0f) offset = 0.0f;
}

}  // namespace fadaa::kiosk
