#pragma once
// Adaptive concurrency and the breaker, as plain decisions (no I/O, time passed in). Each
// attempt's ending is a signal: a refused connection, or 429s, 503s and drops that are more
// than a share of the recent signals, lower the requests in flight (multiplicative decrease,
// at least 1); successes raise it one step at a time, up to the run's concurrency. When
// refusals persist at 1 the run pauses for a cool-down, and after `max_pauses` it stops.

#include "engine/net/http_request.hpp"
#include "engine/outcome.hpp"

#include <chrono>
#include <cstdint>
#include <deque>

namespace rcbatch::engine {

enum class LoadSignal {
    success,   // the server answered (anything but 429/503)
    pushback,  // 429 or 503: the server asks us to slow down
    dropped,   // the request left and the connection closed with no reply byte
    refused,   // the connection was refused or cut before the request left
    capped,    // a connection opened for the request closed with no reply: a connection cap
    neutral,   // says nothing about load (a timeout, a truncated reply, a 502)
};

// What one attempt's exchange says about the server's load.
LoadSignal load_signal(const HttpExchange& exchange) noexcept;

// The client's connections when a signal comes in.
struct OpenConnections {
    int open = 0;       // open now, in use or idle
    int answering = 0;  // of those, the ones that have answered a request
};

struct AdaptiveSettings {
    bool enabled = true;
    double decrease = 0.5;       // the limit is multiplied by this on pushback, a drop or a refusal
    int raise_factor = 2;        // successes in a row, per request of the limit, to raise it by one
    int window = 16;             // the last signals at the floor that decide a pause
    double refused_share = 0.5;  // a pause when more than this share of the window was refused
    std::chrono::milliseconds cooldown{30'000};  // how long a pause lasts
    int max_pauses = 3;                          // the next time refusals persist: stop
    // After a capped connection, the limit is raised above the connections that worked only
    // after this many successes a request of the limit (new connections at a bounded pace).
    int probe_factor = 16;
};

class ConcurrencyControl {
  public:
    using Clock = std::chrono::steady_clock;
    enum class Verdict { same, lowered, raised, pause, stop };

    // Starts at `max` (>= 1) requests in flight.
    ConcurrencyControl(AdaptiveSettings settings, int max, Clock::time_point now);

    // Takes one attempt's signal. After a decrease, further decreases wait until as many
    // signals as the old limit came in (requests in flight at that limit). A capped signal
    // while fewer connections are open than have answered at once before is a fault of one
    // connection (a drop); else the cap: the limit goes down at once to the connections open
    // (at least 1), which become the ceiling that new connections probe above slowly.
    // `pause`: send nothing for settings.cooldown, then call resumed(). `stop`: end the run.
    // `stale`: the request left before the limit last went down. At one request in flight only
    // what was sent at one is judged: there a stale refusal, drop, cap or pushback changes
    // nothing. (Requests sent at 32 and dropped after the limit came down to 1 said nothing
    // about 1; counting them paused 3 runs in 16 of a capped server on a busy machine.)
    Verdict observe(LoadSignal signal, Clock::time_point now, OpenConnections connections = {},
                    bool stale = false);
    void resumed(Clock::time_point now);  // after a pause: the limit goes back to 1

    int limit() const noexcept { return limit_; }   // 0 while paused
    int min_seen() const noexcept { return min_; }  // pauses aside
    int max_seen() const noexcept { return max_seen_; }
    int pauses() const noexcept { return pauses_; }
    double mean(Clock::time_point now) const noexcept;  // time-weighted, pauses count as 0

  private:
    void set(int limit, Clock::time_point now);
    Verdict at_floor(LoadSignal signal, Clock::time_point now);

    AdaptiveSettings s_;
    int max_;
    int limit_;
    int min_;
    int max_seen_;
    int pauses_ = 0;
    int successes_ = 0;               // in a row, since the last change
    int ceiling_ = 0;                 // the connections that worked when one was capped; 0: none
    int proven_ = 0;                  // the most connections seen answering at once
    std::uint64_t signals_ = 0;       // signals taken
    std::uint64_t kept_drop_at_ = 0;  // the signal of the last kept-alive drop; 0: none
    int holdoff_ = 0;                 // signals to come before the next decrease
    std::deque<bool> window_;         // recent signals: refused, dropped or pushed back?
    Clock::time_point start_;
    Clock::time_point since_;  // when the limit last changed
    double area_ = 0;          // limit x seconds before since_
};

}  // namespace rcbatch::engine
