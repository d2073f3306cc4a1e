// server/lib/push_order.hpp - keeping a kiosk's pushes in the order it sent them when several are
// at the server at once (docs/sync-protocol.md, "Pushes in flight").
//
// Why: with one push in flight the server sat idle while an answer travelled to the kiosk and
// the next request travelled back (about a fifth of a 10k push). A kiosk may now send push N+1
// before N's answer has come, on the ordered route, naming the last op of N. The server reads
// and checks N+1 meanwhile, then decides it only once N's last op is decided: ops are still
// decided in seq order, so seats still go in arrival order and a cancel never overtakes the
// registration it cancels. If N is not decided and no other push of that kiosk is in the
// server (N was refused, or has not arrived), N+1 is refused (409 out_of_order) with nothing
// applied; the kiosk sends it again in the ordinary way.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>

namespace fadaa::server {

class PushOrder {
public:
    // A push of the kiosk holding `token` is in the server from construction (its headers read)
    // to destruction (its answer written or its error raised). The token only tells requests of
    // one kiosk apart; it is neither logged nor kept after the last of them leaves.
    class Inside {
    public:
        Inside(PushOrder& order, std::string token);
        ~Inside();
        Inside(const Inside&) = delete;
        Inside& operator=(const Inside&) = delete;
        // Wakes the pushes of this kiosk waiting in waitFor(): call after a push has committed.
        void decided();
        // Waits until `isDecided()` is true (the op named by the ordered push is decided), or
        // no other push of this kiosk is in the server, or `limit` has passed; returns the last
        // answer of `isDecided()`. It is asked again after every wake-up, and once more after
        // the others have left, so a push that committed and left meanwhile is seen.
        bool waitFor(const std::function<bool()>& isDecided, std::chrono::milliseconds limit);

    private:
        PushOrder& m_order;
        std::string m_token;
    };

private:
    struct Kiosk {
        int inside = 0;
        std::uint64_t generation = 0;  // bumped by every decided() and departure
    };
    std::mutex m_mutex;
    std::condition_variable m_changed;
    std::map<std::string, Kiosk> m_kiosks;
};

}  // namespace fadaa::server
