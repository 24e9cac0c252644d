#include "engine/batch/concurrency_control.hpp"

#include <algorithm>
#include <cmath>

namespace rcbatch::engine {

namespace {
// How many recent signals are remembered to judge the load.
constexpr std::size_t memory = 64;
// A 429, a 503 or a drop lowers the limit only when more than this share of the remembered
// signals were such: now and then one is a transient fault, retried anyway. A refused
// connection (the API's per-IP connection limit) lowers it at once.
constexpr double pushback_share = 0.3;
}  // namespace

LoadSignal load_signal(const HttpExchange& x) noexcept {
    switch (x.transport) {
        case Transport::complete:
            return x.status == 429 || x.status == 503 ? LoadSignal::pushback
                   : x.status == 502                  ? LoadSignal::neutral
                                                      : LoadSignal::success;
        case Transport::not_sent:
            return x.stops_run ? LoadSignal::neutral : LoadSignal::refused;
        case Transport::closed_before_reply:
            return x.fresh_connection ? LoadSignal::capped : LoadSignal::dropped;
        case Transport::timeout_after_send:
        case Transport::truncated:
            return LoadSignal::neutral;
    }
    return LoadSignal::neutral;
}

ConcurrencyControl::ConcurrencyControl(AdaptiveSettings settings, int max, Clock::time_point now)
    : s_(settings),
      max_(std::max(max, 1)),
      limit_(max_),
      min_(max_),
      max_seen_(max_),
      start_(now),
      since_(now) {}

void ConcurrencyControl::set(int limit, Clock::time_point now) {
    if (limit == 1 && limit_ > 1) window_.clear();  // the floor judges its own signals
    area_ += limit_ * std::chrono::duration<double>(now - since_).count();
    since_ = now;
    limit_ = limit;
    if (limit > 0) min_ = std::min(min_, limit);
    max_seen_ = std::max(max_seen_, limit);
    successes_ = 0;
}

double ConcurrencyControl::mean(Clock::time_point now) const noexcept {
    const double total = std::chrono::duration<double>(now - start_).count();
    if (total <= 0) return limit_;
    return (area_ + limit_ * std::chrono::duration<double>(now - since_).count()) / total;
}

ConcurrencyControl::Verdict ConcurrencyControl::observe(LoadSignal signal, Clock::time_point now,
                                                        OpenConnections connections, bool stale) {
    if (!s_.enabled || limit_ == 0 || signal == LoadSignal::neutral) return Verdict::same;
    if (stale && limit_ == 1 && signal != LoadSignal::success) {
        if (holdoff_ > 0) --holdoff_;  // one of the requests the hold-off waits for
        return Verdict::same;
    }
    if (signal == LoadSignal::success) proven_ = std::max(proven_, connections.answering);
    ++signals_;
    // A kept-alive connection closed unanswered: the server drops requests, whatever the
    // connections (a fault); a cap never does that. Caps are not looked for for a while.
    if (signal == LoadSignal::dropped) {
        kept_drop_at_ = signals_;
        ceiling_ = 0;
    }
    // A cap shows only once connections have answered together, and while no kept-alive one
    // is dropped: closed while fewer are open than that, the connection met a fault.
    const bool faults_lately = kept_drop_at_ != 0 && signals_ - kept_drop_at_ < memory;
    if (signal == LoadSignal::capped &&
        (proven_ == 0 || connections.open < proven_ || faults_lately))
        signal = LoadSignal::dropped;
    const bool congested = signal != LoadSignal::success;
    window_.push_back(congested);
    if (window_.size() > std::max(memory, static_cast<std::size_t>(s_.window))) window_.pop_front();
    if (holdoff_ > 0) --holdoff_;
    if (signal == LoadSignal::capped) {
        // The server took the connections that are open and closed this one: as many
        // requests in flight as those, at once and whatever the hold-off, and new connections
        // above them only slowly. At one, a refusal: the same pauses and stop.
        ceiling_ = std::max(1, std::min(connections.open, limit_ - 1));
        if (limit_ > 1) {
            holdoff_ = limit_;
            set(ceiling_, now);
            return Verdict::lowered;
        }
        signal = LoadSignal::refused;
    }
    if (limit_ == 1) {
        const Verdict v = at_floor(signal, now);
        if (v != Verdict::same) return v;
    }
    if (!congested) {
        const int factor = limit_ >= ceiling_ && ceiling_ > 0 ? s_.probe_factor : s_.raise_factor;
        if (++successes_ < factor * limit_ || limit_ >= max_) return Verdict::same;
        set(limit_ + 1, now);
        return Verdict::raised;
    }
    if (holdoff_ > 0 || limit_ == 1) return Verdict::same;
    const auto pushed = std::count(window_.begin(), window_.end(), true);
    if (signal != LoadSignal::refused &&
        static_cast<double>(pushed) <= pushback_share * window_.size())
        return Verdict::same;
    holdoff_ = limit_;
    set(std::max(1, static_cast<int>(std::floor(limit_ * s_.decrease))), now);
    return Verdict::lowered;
}

// At 1 request in flight: a refusal or a drop when such signals fill most of the last `window`
// signals since the limit came down to 1 pauses the run, or stops it. A 429 or a 503 never
// does: the retry policy already waits as the server asks.
ConcurrencyControl::Verdict ConcurrencyControl::at_floor(LoadSignal signal, Clock::time_point now) {
    const auto n = static_cast<std::size_t>(s_.window);
    if (signal != LoadSignal::refused && signal != LoadSignal::dropped) return Verdict::same;
    if (window_.size() < n) return Verdict::same;
    const auto refused =
        std::count(window_.end() - static_cast<std::ptrdiff_t>(n), window_.end(), true);
    if (static_cast<double>(refused) <= s_.refused_share * s_.window) return Verdict::same;
    window_.clear();
    if (pauses_ >= s_.max_pauses) return Verdict::stop;
    ++pauses_;
    set(0, now);
    return Verdict::pause;
}

void ConcurrencyControl::resumed(Clock::time_point now) {
    if (limit_ == 0) set(1, now);
    holdoff_ = 0;
}

}  // namespace rcbatch::engine
