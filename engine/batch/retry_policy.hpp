#pragma once
// Retry policy: whether a failed attempt is repeated and after how long. Pure: the random
// draw and the wall clock are passed in, so every branch is unit-tested.

#include "engine/net/http_request.hpp"
#include "engine/outcome.hpp"

#include <chrono>
#include <optional>
#include <string_view>

namespace rcbatch::engine {

struct RetrySettings {
    int attempts = 5;                       // attempts in all, the first one included
    std::chrono::milliseconds base{500};    // scale of the first backoff
    std::chrono::milliseconds max{30'000};  // cap of a backoff and of an honoured Retry-After
};

// How long one order may take in all: every attempt waiting out its timeout and the longest
// backoff, twice over (a reconciliation's reads and settle waits fit in the slack).
inline std::chrono::milliseconds order_deadline(std::chrono::milliseconds attempt_timeout,
                                                const RetrySettings& retry) noexcept {
    return (attempt_timeout + retry.max) * retry.attempts * 2;
}

// Full-jitter exponential backoff after `failed_attempts` (>= 1) failures:
// draw * min(max, base * 2^(failed_attempts - 1)), with `draw` uniform in [0, 1).
std::chrono::milliseconds backoff_delay(const RetrySettings& settings, int failed_attempts,
                                        double draw) noexcept;

// A Retry-After value: delta-seconds, or an HTTP-date (IMF-fixdate, RFC 850 or asctime)
// taken relative to `now` (a past date gives 0). nullopt when empty or unreadable.
std::optional<std::chrono::seconds> parse_retry_after(
    std::string_view value, std::chrono::system_clock::time_point now) noexcept;

// An HTTP-date (IMF-fixdate, RFC 850 or asctime), as Retry-After and Date carry it; nullopt
// when unreadable.
std::optional<std::chrono::system_clock::time_point> parse_http_date(std::string_view s) noexcept;

// Whether an attempt that ended so may be sent again. Read-only requests: transient and
// ambiguous. Mutating requests: only what the server cannot have processed — nothing
// left (not_sent), it refused (429, 503 with or without Retry-After), or it answered with
// an API error whose text is on the transient list. Never ok, api_error, fatal.
bool may_retry(Outcome outcome, const HttpExchange& exchange, bool mutating) noexcept;

enum class RetryStop {
    none,                  // retry after `delay`
    final_outcome,         // ok, api_error, fatal: nothing to retry
    unsafe_to_repeat,      // a mutating request may have been processed: the caller reconciles
    attempts_exhausted,    // `attempts` made
    retry_after_too_long,  // the server asked for a pause longer than `max`
};

struct RetryDecision {
    RetryStop stop = RetryStop::none;
    std::chrono::milliseconds delay{0};  // when stop == none: the pause before the next attempt
    bool retry() const noexcept { return stop == RetryStop::none; }
};

// The decision after attempt number `attempts_made` (>= 1) ended with `outcome`. The delay
// is the jittered backoff, raised to the server's Retry-After when that is longer; a
// Retry-After above `max` ends the retries (we neither ignore it nor wait past the cap).
RetryDecision decide_retry(const RetrySettings& settings, int attempts_made, Outcome outcome,
                           const HttpExchange& exchange, bool mutating, double draw,
                           std::chrono::system_clock::time_point now) noexcept;

std::string_view to_string(RetryStop stop) noexcept;

}  // namespace rcbatch::engine
