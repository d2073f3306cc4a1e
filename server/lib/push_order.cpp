// server/lib/push_order.cpp - PushOrder: a kiosk's pushes in flight, and waiting for the one
// before.
#include "push_order.hpp"

namespace fadaa::server {

PushOrder::Inside::Inside(PushOrder& order, std::string token)
    : m_order(order), m_token(std::move(token)) {
    std::lock_guard lock(m_order.m_mutex);
    ++m_order.m_kiosks[m_token].inside;
}

PushOrder::Inside::~Inside() {
    {
        std::lock_guard lock(m_order.m_mutex);
        auto it = m_order.m_kiosks.find(m_token);
        if (--it->second.inside == 0) {
            m_order.m_kiosks.erase(it);
        } else {
            ++it->second.generation;
        }
    }
    m_order.m_changed.notify_all();
}

void PushOrder::Inside::decided() {
    {
        std::lock_guard lock(m_order.m_mutex);
        ++m_order.m_kiosks[m_token].generation;
    }
    m_order.m_changed.notify_all();
}

bool PushOrder::Inside::waitFor(const std::function<bool()>& isDecided,
                                std::chrono::milliseconds limit) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    for (;;) {
        std::uint64_t seen;
        {
            std::lock_guard lock(m_order.m_mutex);
            seen = m_order.m_kiosks[m_token].generation;
        }
        // Asked without the lock: it reads the store. Anything decided after this read bumps
        // the generation, so the wait below cannot miss it.
        if (isDecided()) return true;
        std::unique_lock lock(m_order.m_mutex);
        const Kiosk& k = m_order.m_kiosks[m_token];
        m_order.m_changed.wait_until(lock, deadline,
                                     [&] { return k.generation != seen || k.inside <= 1; });
        if (k.generation != seen) continue;  // something was decided or left: ask again
        lock.unlock();
        // Alone, or out of time: a last look, in case the one before committed just now.
        return isDecided();
    }
}

}  // namespace fadaa::server
