#pragma once
// Fault injection: what can go wrong with one API request, how often, and the pure,
// deterministic decision for one attempt.
//
// Fault spec (the --faults text), items separated by commas, e.g.
//   "429=0.1,close-after=0.2,latency=50ms+10ms,stall=0.01,stall-time=5s"
//
//   KIND=RATE       RATE in 0..1; the rates of all kinds together at most 1. KIND is one of
//     429           HTTP 429 with Retry-After, JSON error body; not processed
//     503           HTTP 503 with Retry-After and an HTML body; not processed
//     502           HTTP 502 HTML page (a proxy in front failed); not processed
//     500           HTTP 500 with a non-JSON (HTML) body; not processed
//     close-before  the connection is closed after the request was read; not processed
//     close-after   the action is applied, then the connection closes with no reply
//     stall         the action is applied, the reply waits stall-time before it is sent
//     truncate      the action is applied, the reply's body is cut in half, then close
//   latency=D[+J]   every /api/ request waits D plus a jitter in [0, J] before processing
//   stall-time=D    how long a stalled reply waits (default 60s)
//   retry-after=N   the Retry-After seconds of 429 and 503 (default 1)
//   deny-user=ID    requests with this auth-userid get the IP-not-whitelisted answer
//
// Durations are a number with "ms" or "s" ("50" alone means milliseconds).
// Which kind an attempt gets is decided from (seed, order id, action, attempt number of
// that order and action): one draw u in [0, 1), compared to the kinds' cumulative rates
// in the order listed above. So a test can predict it, and a retry (a new attempt
// number) draws again.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace rcbatch::sandbox {

enum class FaultKind {
    none,
    too_many_requests,  // 429
    unavailable,        // 503
    bad_gateway,        // 502
    server_error_html,  // 500, not JSON
    close_before,
    close_after,
    stall,
    truncate,
};
inline constexpr int fault_kind_count = 9;

// "none", "429", "503", "502", "500", "close-before", ... as the spec names them.
std::string_view to_string(FaultKind k) noexcept;
std::optional<FaultKind> fault_kind_from_string(std::string_view s) noexcept;

// Whether the request's action runs before the fault shows (the ambiguous kinds).
bool applies_action(FaultKind k) noexcept;

struct FaultSpec {
    double rates[fault_kind_count] = {};  // indexed by FaultKind; rates[none] unused
    std::chrono::milliseconds latency{0};
    std::chrono::milliseconds jitter{0};
    std::chrono::milliseconds stall_time{std::chrono::seconds(60)};
    int retry_after_seconds = 1;
    std::string deny_userid;  // empty: nobody is denied

    double rate(FaultKind k) const noexcept { return rates[static_cast<int>(k)]; }
    void set_rate(FaultKind k, double r) noexcept { rates[static_cast<int>(k)] = r; }
    bool operator==(const FaultSpec&) const = default;
};

// Parses the spec text above; an empty text is no faults.
// Throws std::invalid_argument with a one-line message naming the bad item.
FaultSpec parse_fault_spec(std::string_view text);

// The spec written back in the syntax above (parse_fault_spec(format(s)) == s).
std::string format_fault_spec(const FaultSpec& spec);

struct FaultDecision {
    FaultKind kind = FaultKind::none;
    std::chrono::milliseconds delay{0};  // latency plus jitter, before processing
};

// The fault for attempt `attempt` (from 1) of `action` on `order_id` (0 when the request
// names no order). Pure and deterministic.
FaultDecision decide_fault(const FaultSpec& spec, std::uint64_t seed, std::uint64_t order_id,
                           std::string_view action, std::uint64_t attempt) noexcept;

// Parses "50ms", "2s", "50" (ms). nullopt when malformed or negative.
std::optional<std::chrono::milliseconds> parse_duration(std::string_view text) noexcept;

}  // namespace rcbatch::sandbox
