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
//     apply-late    a backup renew/delete/install-agent is accepted and listed at once in
//                   search-current ("InProcess"), the connection closes with no reply, and
//                   the change takes effect apply-delay later (then archived); a pending
//                   renew (awaiting payment) just stays pending. A refused change (an
//                   error answer) is answered normally. Other calls: no fault.
//     not-action    a change (any POST) answers HTTP 200 with `true`, `42`, `[]` or `{}`
//                   (picked from the same draw) and is NOT processed. Reads: no fault.
//     huge-number   a backup renew/delete/install-agent is applied and answers its normal
//                   object with the raw JSON number 1e999 as "sellingamount". Others: none.
//     continue      an interim "HTTP/1.1 100 Continue" goes first, then the normal reply
//     decline       a backup renew/delete/install-agent answers HTTP 200 with an action object
//                   whose actionstatus is "error" ("Renewal failed: card declined"), or for an
//                   odd variant "Cancelled"; nothing is applied. Others: none.
//   latency=D[+J]   every /api/ request waits D plus a jitter in [0, J] before processing
//   stall-time=D    how long a stalled reply waits (default 60s)
//   apply-delay=D   how long an apply-late change waits before it takes effect (default 5s)
//   retry-after=N   the Retry-After seconds of 429 and 503 (default 1)
//   deny-user=ID    requests with this auth-userid get the IP-not-whitelisted answer
//   echo-key=1      every JSON error message of an /api/ call ends with
//                   " (request: <target with query>[ body: <form body>])", and the HTML
//                   fault pages show the same: the api-key appears in answers (0: off)
//   hide-actions=1  search-current and search-archived always answer empty (0: off)
//   ignore-order-ids=1  the order searches (domains, backups) ignore their order-id filter:
//                   an API that answers a filter it does not know with every order (0: off)
//   conn-cap=K      a connection accepted while K are open is closed at once, before the
//                   TLS handshake, and counted as a drop (0: no cap; max_connections apart)
//   cap-after-read=K  a connection accepted while K are open is served through TLS, its first
//                   request read and then the connection closed with no reply, counted as a
//                   drop: a cap that reads the request first (0: no cap)
//   block-after=N   after N drops in all the sandbox is blocked: from then on every /api/
//                   request closes its connection with no reply; /_sandbox/ still answers
//                   (0: never blocks)
//   clock-offset=S  the server's clock runs S seconds (may be negative) ahead of the machine's:
//                   its Date headers and the times it records (actionaddedtime) (0: none)
//   no-date=1       replies carry no Date header (0: they do)
//   only-action=A   the KIND=RATE faults hit only calls of action A (e.g. backup.renew);
//                   latency still applies to every call
//   accept-total=N  after N connections accepted in all, every new connection is closed at
//                   once, before the TLS handshake (a client that is refused from then on;
//                   0: no limit). With --keepalive-requests 1 the N connections serve one
//                   request each, so the refusals that follow are a counted sequence
//
// Durations are a number with "ms" or "s" ("50" alone means milliseconds).
// Which kind an attempt gets is decided from (seed, order id, action, attempt number of
// that order and action): one draw u in [0, 1), compared to the kinds' cumulative rates
// in the order listed above (new kinds are appended, so adding them moves no decision).
// So a test can predict it, and a retry (a new attempt number) draws again.
// fault_for_call() then narrows kinds that do not fit the call (see above).

#include <chrono>
#include <cstddef>
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
    apply_late,
    not_action,
    huge_number,
    interim_continue,  // "continue"
    decline,
};
inline constexpr int fault_kind_count = 14;

// "none", "429", "503", "502", "500", "close-before", ... as the spec names them.
std::string_view to_string(FaultKind k) noexcept;
std::optional<FaultKind> fault_kind_from_string(std::string_view s) noexcept;

// Whether the request's change is accepted when this fault shows (at once, or for
// apply-late later): close-after, stall, truncate, apply-late, huge-number, continue.
bool applies_action(FaultKind k) noexcept;

// The kind a call really gets: apply-late, huge-number and decline only for calls that record
// an action (backup renew, delete, install-agent), not-action only for changes (POST);
// otherwise none.
FaultKind fault_for_call(FaultKind k, bool change, bool records_action) noexcept;

struct FaultSpec {
    double rates[fault_kind_count] = {};  // indexed by FaultKind; rates[none] unused
    std::chrono::milliseconds latency{0};
    std::chrono::milliseconds jitter{0};
    std::chrono::milliseconds stall_time{std::chrono::seconds(60)};
    std::chrono::milliseconds apply_delay{std::chrono::seconds(5)};
    int retry_after_seconds = 1;
    std::string deny_userid;  // empty: nobody is denied
    bool echo_key = false;
    bool hide_actions = false;
    bool ignore_order_ids = false;
    std::size_t conn_cap = 0;        // 0: none
    std::size_t cap_after_read = 0;  // 0: none
    std::size_t block_after = 0;     // 0: never
    std::size_t accept_total = 0;    // 0: no limit
    std::chrono::seconds clock_offset{0};
    bool no_date = false;
    std::string only_action;  // empty: the rates hit every call

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
    int variant = 0;                     // 0..3 from the same draw: which body not-action answers
};

// The fault for attempt `attempt` (from 1) of `action` on `order_id` (0 when the request
// names no order). Pure and deterministic.
FaultDecision decide_fault(const FaultSpec& spec, std::uint64_t seed, std::uint64_t order_id,
                           std::string_view action, std::uint64_t attempt) noexcept;

// The body not-action answers for a decision's variant: "true", "42", "[]" or "{}".
std::string_view not_action_body(int variant) noexcept;

// Parses "50ms", "2s", "50" (ms). nullopt when malformed or negative.
std::optional<std::chrono::milliseconds> parse_duration(std::string_view text) noexcept;

}  // namespace rcbatch::sandbox
