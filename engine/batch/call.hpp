#pragma once
// One API call with its retries: for each attempt a rate token, the worker's session, the
// jobs' reading of the body, classification and the retry policy. Knows no API.

#include "engine/batch/in_flight.hpp"
#include "engine/batch/order_result.hpp"
#include "engine/batch/rate_limiter.hpp"
#include "engine/batch/reply_verdict.hpp"
#include "engine/batch/retry_policy.hpp"
#include "engine/batch/run_control.hpp"
#include "engine/net/http_request.hpp"
#include "engine/net/https_session.hpp"
#include "engine/net/server_clock.hpp"
#include "engine/outcome.hpp"
#include "engine/store/journal.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/json/object.hpp>

#include <chrono>
#include <functional>

namespace rcbatch::engine {

// Reads a complete reply (any status) into a verdict. Provided by jobs/; called only
// for Transport::complete.
using Interpreter = std::function<ReplyVerdict(const HttpExchange&)>;

// What one worker's calls share. The batch makes one per worker and resets the
// per-order counters before each order.
struct CallContext {
    // The connection of a caller of its own (a listing, tests); null when `slots` is set.
    HttpsSession* session;
    RateLimiter& limiter;
    RunControl& control;
    RetrySettings retry;
    std::function<double()> draw;  // uniform in [0, 1): the backoff jitter
    // When set, every mutating request leaves only after its intent line is on disk.
    Journal* journal = nullptr;
    // Told the order's seq when an attempt failed and the call will try again (progress).
    std::function<void(std::uint64_t)> on_retry{};
    // A batch's requests in flight: each attempt runs on the slot the order holds, which it
    // gives back while it waits (park) and takes again, ahead of new orders, when it sends.
    InFlight* slots = nullptr;
    // Told how each attempt's transport ended and slots->decreases() when it was sent
    // (adaptive concurrency).
    std::function<void(const HttpExchange&, std::uint64_t)> on_attempt{};
    Slot slot{};  // the slot the current order holds, if any
    // Set from every complete reply's Date header, when set.
    ServerClock* server_clock = nullptr;

    // Per order:
    std::uint64_t seq = 0;  // the order's position in the batch
    // What its intent lines record besides type, seq and attempt: the members of a JSON
    // object as text ("\"order\":\"1\",..."), made once per order.
    std::string intent{};
    // The intent line of the next mutating call's attempt 1 is on disk already: it went with
    // the order's claim, in one group. That attempt leaves without writing it again; the flag
    // is spent by it, so a retry or a later call writes its own.
    bool first_intent_on_disk = false;
    int attempts = 0;                     // requests sent (or tried) by this order's calls
    int retries = 0;                      // of which repeats
    bool mutating_may_have_left = false;  // a mutating request may have reached the server

    void start_order(std::uint64_t order_seq) {
        seq = order_seq;
        intent.clear();
        first_intent_on_disk = false;
        attempts = 0, retries = 0, mutating_may_have_left = false;
    }
};

struct CallResult {
    Outcome outcome = Outcome::not_run;  // of the last attempt; not_run: none was made
    HttpExchange last;                   // the last attempt's exchange
    ReplyVerdict verdict;                // its reading (unreadable when not complete)
    int attempts = 0;
    std::chrono::milliseconds latency{0};  // first attempt start to last attempt end
    RetryStop stop = RetryStop::none;      // why no further attempt was made
    bool halted = false;                   // the run halted it (fatal elsewhere) before an attempt
};

// Sends `request` until the retry policy stops (see retry_policy.hpp). A fatal outcome
// halts the whole run. Checks the run's halt before every attempt, so no request leaves
// after a fatal answer. An ambiguous last attempt of a mutating request is returned as
// ambiguous: the caller reconciles it or reports it as unknown. With a journal, a mutating
// attempt first writes {"type":"intent","seq","attempt",...ctx.intent} and waits until it is
// on disk (unless ctx.first_intent_on_disk says attempt 1's is); if it cannot be, nothing is
// sent and the run halts (failed). Throws only what `interpret` throws, or when the caller's
// coroutine is cancelled.
boost::asio::awaitable<CallResult> call(CallContext& ctx, HttpRequest request,
                                        Interpreter interpret);

// Waits `d` as an order that sends nothing meanwhile: its slot (if it holds one) goes to the
// next ready order and the order's next call takes one again, ahead of new orders. Returns
// false when the run halted (see RunControl::sleep).
boost::asio::awaitable<bool> park(CallContext& ctx, std::chrono::steady_clock::duration d);

// Copies a call's outcome, status, message (the API's, else the transport's), attempts and
// latency into an order's record.
void fill_from_call(OrderResult& result, const CallResult& call);

}  // namespace rcbatch::engine
