#pragma once
// A batch run: worker coroutines on one io_context pulling targets from a streaming source
// and streaming one OrderResult per target to a sink. At most `concurrency` orders hold a
// slot (a pooled keep-alive session, engine/batch/in_flight.hpp) at a time; an order waiting out
// a retry gives its slot to the next ready order. Memory is bounded by concurrency plus
// parked orders, not by the targets.

#include "engine/batch/call.hpp"
#include "engine/batch/concurrency_control.hpp"
#include "engine/batch/in_flight.hpp"
#include "engine/batch/order_result.hpp"
#include "engine/batch/retry_policy.hpp"
#include "engine/batch/run_control.hpp"
#include "engine/batch/tally.hpp"
#include "engine/batch/target.hpp"
#include "engine/defaults.hpp"
#include "engine/net/https_session.hpp"
#include "engine/outcome.hpp"
#include "engine/store/journal.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/json/object.hpp>

#include <array>
#include <chrono>
#include <cstdint>
#include <exception>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace boost::asio::ssl {
class context;  // engine/net/tls_context.hpp makes it
}

namespace rcbatch::engine {

// Runs one order (its calls go through CallContext). Its result's seq, target, started
// and finished are set by the batch; order_id, action, attempts, retries and latency when
// left empty.
using OrderFn = std::function<boost::asio::awaitable<OrderResult>(Target, CallContext&)>;
// Receives each result as its order finishes. An exception stops the run and is rethrown.
using ResultSink = std::function<void(const OrderResult&)>;

struct BatchSettings {
    int concurrency = defaults::concurrency;  // requests in flight (pooled connections)
    int max_parked = 0;            // orders waiting out a retry at once; 0: 4 x concurrency
    double rate = defaults::rate;  // requests/s over all workers; <= 0: no cap
    double burst = 1.0;            // requests that may leave at once
    std::chrono::milliseconds attempt_timeout = defaults::attempt_timeout;
    std::chrono::milliseconds order_deadline{300'000};  // one order, all its calls and retries
    std::chrono::milliseconds grace_period{
        10'000};  // after a stop, before in-flight orders are cancelled
    RetrySettings retry;
    AdaptiveSettings adaptive;  // lowers requests in flight under pushback; pauses, then stops
    Endpoint endpoint;
    boost::asio::ssl::context* tls = nullptr;  // required; outlives the run
    SessionSettings session;                   // its attempt_timeout is replaced by the one above
    // When set, an intent line is on disk before each mutating request leaves (the sink
    // writes the result lines: it has each record's text).
    Journal* journal = nullptr;
    std::function<void(std::uint64_t seq)>
        on_retry;                 // an order's attempt failed and will be retried
    bool handle_signals = false;  // SIGINT/SIGTERM/SIGHUP stop the run (a second one: at once)
    std::string action;           // written into results that leave it empty
    std::optional<std::uint64_t> jitter_seed;  // for reproducible backoff; default: random
    ServerClock* server_clock = nullptr;       // told every reply's Date, when set
};

struct BatchStats {
    Tally tally;  // the results emitted, not_run included: outcomes, attempts, retries
    std::uint64_t connections_opened = 0;
    std::uint64_t sessions_resumed = 0;
    std::uint64_t internal_errors = 0;  // orders whose OrderFn threw (bugs to report)
    int concurrency_min = 0;            // requests in flight allowed, pauses aside
    int concurrency_max = 0;
    double concurrency_mean = 0;  // time-weighted over the run, pauses as 0
    int pauses = 0;               // cool-downs while the API refused connections
    bool refusing = false;        // stopped because the API kept refusing
    std::chrono::milliseconds wall{0};
    StopReason stopped = StopReason::none;
    std::string stop_message;  // the fatal answer's text, the signal, ...
};

class Batch {
  public:
    // Throws std::invalid_argument for settings that cannot run (no TLS context,
    // concurrency < 1).
    Batch(boost::asio::any_io_executor executor, BatchSettings settings, OrderFn order,
          ResultSink sink);

    // Runs every target of `source`, at most `concurrency` at a time. A fatal outcome
    // halts the run: no new request leaves, the rest of the targets are reported not_run.
    // A stop (request_stop or a signal) takes no new targets, lets in-flight orders finish
    // within the grace period, then cancels them (reported cancelled); the rest not_run.
    // Per-order failures never throw; a failing source or sink is rethrown at the end.
    // Stop a run with request_stop(), not by cancelling this awaitable. Call once.
    boost::asio::awaitable<BatchStats> run(TargetSource& source);

    // Two-phase stop, as on SIGINT: take no new targets now, cancel in-flight orders after
    // the grace period. A second call cancels them at once.
    void request_stop(std::string why = "stop requested");
    // Halts as a fatal answer does: no request leaves, the targets not taken are not_run.
    // Before run(): for a fatal answer to a call the caller made first (the list prices).
    void halt(StopReason reason, std::string why) { control_.halt(reason, std::move(why)); }

  private:
    boost::asio::awaitable<void> worker(TargetSource& source, std::size_t index);
    boost::asio::awaitable<OrderResult> run_order(Target target, CallContext& ctx,
                                                  boost::asio::steady_timer& deadline);
    void fill_defaults(OrderResult& result, const Target& target, const CallContext& ctx,
                       std::chrono::steady_clock::time_point t0,
                       std::chrono::system_clock::time_point started);
    void emit(const OrderResult& result);
    // After a stop: every target no worker took, as not_run.
    void emit_not_run(TargetSource& source);
    // The concurrency the run ran at and its connections, into stats_.
    void record_load();
    void cancel_in_flight();
    // One attempt's ending; `sent_after`: slots_->decreases() when it was sent.
    void observe(const HttpExchange& exchange, std::uint64_t sent_after);
    void end_pause();
    void fail(std::exception_ptr error, const std::string& what);
    double draw();

    boost::asio::any_io_executor executor_;
    BatchSettings settings_;
    OrderFn order_;
    ResultSink sink_;
    RunControl control_;
    RateLimiter limiter_;
    boost::asio::steady_timer grace_;
    std::unique_ptr<InFlight> slots_;
    std::unique_ptr<ConcurrencyControl> load_;
    boost::asio::steady_timer cooldown_;
    std::vector<boost::asio::steady_timer*> order_timers_;  // one per worker while it runs
    bool cancelling_ = false;
    bool sink_failed_ = false;
    std::exception_ptr failure_;
    BatchStats stats_;
    std::uint64_t rng_state_ = 0;
};

}  // namespace rcbatch::engine
