#include "engine/batch/batch.hpp"

#include "engine/batch/order_end.hpp"
#include "engine/net/tuple_awaitable.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/deferred.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/experimental/parallel_group.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <csignal>
#include <random>
#include <stdexcept>

namespace rcbatch::engine {

namespace asio = boost::asio;
using namespace asio::experimental::awaitable_operators;
using Clock = std::chrono::steady_clock;
using std::chrono::duration_cast;
using std::chrono::milliseconds;

namespace {}  // namespace

Batch::Batch(asio::any_io_executor executor, BatchSettings settings, OrderFn order, ResultSink sink)
    : executor_(executor),
      settings_(std::move(settings)),
      order_(std::move(order)),
      sink_(std::move(sink)),
      control_(executor),
      limiter_(executor, settings_.rate, settings_.burst),
      grace_(executor),
      cooldown_(executor) {
    if (settings_.tls == nullptr) throw std::invalid_argument("batch: no TLS context");
    if (settings_.concurrency < 1)
        throw std::invalid_argument("batch: concurrency must be at least 1");
    if (!order_) throw std::invalid_argument("batch: no order function");
    settings_.session.attempt_timeout = settings_.attempt_timeout;
    if (settings_.max_parked <= 0) settings_.max_parked = 4 * settings_.concurrency;
    slots_ = std::make_unique<InFlight>(executor_, *settings_.tls, settings_.endpoint,
                                        settings_.session, settings_.concurrency);
    load_ = std::make_unique<ConcurrencyControl>(settings_.adaptive, settings_.concurrency,
                                                 Clock::now());
    rng_state_ = settings_.jitter_seed ? *settings_.jitter_seed : std::random_device{}();
}

// splitmix64: a small, good enough generator for jitter; uniform in [0, 1).
double Batch::draw() {
    std::uint64_t z = (rng_state_ += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    z ^= z >> 31;
    return static_cast<double>(z >> 11) * 0x1.0p-53;
}

void Batch::request_stop(std::string why) {
    end_pause();  // a stop lets in-flight orders finish, paused ones included
    if (control_.draining()) {
        // A second stop, or a stop after a fatal halt: cancel in-flight orders now.
        cancel_in_flight();
        return;
    }
    control_.drain(StopReason::interrupted, std::move(why));
    grace_.expires_after(settings_.grace_period);
    grace_.async_wait([this](const boost::system::error_code& ec) {
        if (!ec) cancel_in_flight();
    });
}

void Batch::cancel_in_flight() {
    cancelling_ = true;
    for (auto* timer : order_timers_)
        if (timer != nullptr) timer->cancel();
}

void Batch::observe(const HttpExchange& exchange, std::uint64_t sent_after) {
    using Verdict = ConcurrencyControl::Verdict;
    switch (load_->observe(load_signal(exchange), Clock::now(),
                           {slots_->working(), slots_->answering()},
                           sent_after != slots_->decreases())) {
        case Verdict::same:
            return;
        case Verdict::lowered:
        case Verdict::raised:
            slots_->set_limit(load_->limit());
            return;
        case Verdict::pause:
            slots_->set_limit(0);
            cooldown_.expires_after(settings_.adaptive.cooldown);
            cooldown_.async_wait([this](const boost::system::error_code& ec) {
                if (!ec) end_pause();
            });
            return;
        case Verdict::stop:
            stats_.refusing = true;
            request_stop(
                "the API is refusing connections after " + std::to_string(load_->pauses()) +
                " cool-downs; continuing risks an IP block (the API blocks an IP for 24 hours)");
            return;
    }
}

void Batch::end_pause() {
    if (load_->limit() != 0) return;
    cooldown_.cancel();
    load_->resumed(Clock::now());
    slots_->set_limit(load_->limit());
}

void Batch::fail(std::exception_ptr error, const std::string& what) {
    if (!failure_) failure_ = error;
    control_.halt(StopReason::failed, what);
}

void Batch::emit(const OrderResult& result) {
    stats_.tally.add(result);
    if (sink_failed_) return;  // nothing more goes to a sink that failed
    try {
        sink_(result);
    } catch (const std::exception& e) {
        sink_failed_ = true;
        fail(std::current_exception(), std::string("writing a result failed: ") + e.what());
    } catch (...) {
        sink_failed_ = true;
        fail(std::current_exception(), "writing a result failed");
    }
}

asio::awaitable<OrderResult> Batch::run_order(Target target, CallContext& ctx,
                                              asio::steady_timer& deadline) {
    ctx.start_order(target.seq);
    const auto started = std::chrono::system_clock::now();
    const auto t0 = Clock::now();
    OrderResult result;
    std::string internal_error;
    OrderEnd end = OrderEnd::done;
    deadline.expires_after(settings_.order_deadline);
    // `||` waits for one *success*: a throwing order must end as a value, not wait for
    // the deadline.
    auto guarded = [&]() -> asio::awaitable<std::optional<OrderResult>> {
        try {
            co_return co_await order_(target, ctx);
        } catch (const std::exception& e) {
            internal_error = e.what();
        } catch (...) {
            internal_error = "unknown exception";
        }
        co_return std::nullopt;
    };
    auto raced = co_await (guarded() || deadline.async_wait(tuple_awaitable));
    if (raced.index() == 0) {
        if (auto& done = std::get<0>(raced)) result = std::move(*done);
        if (!internal_error.empty())
            end = cancelling_ ? OrderEnd::cancelled : OrderEnd::internal_error;
    } else {
        auto [ec] = std::get<1>(raced);
        end = (ec || cancelling_) ? OrderEnd::cancelled : OrderEnd::deadline;
    }
    if (end == OrderEnd::internal_error) ++stats_.internal_errors;
    apply_order_end(result, end, ctx.mutating_may_have_left, settings_.order_deadline,
                    control_.message(), internal_error);
    fill_defaults(result, target, ctx, t0, started);
    co_return result;
}

void Batch::fill_defaults(OrderResult& result, const Target& target, const CallContext& ctx,
                          Clock::time_point t0, std::chrono::system_clock::time_point started) {
    result.seq = target.seq;
    result.target = target.given;
    if (result.order_id.empty()) result.order_id = target.id;
    if (result.action.empty()) result.action = settings_.action;
    if (result.attempts == 0) result.attempts = ctx.attempts;
    if (result.retries == 0) result.retries = ctx.retries;
    if (result.latency.count() == 0)
        result.latency = duration_cast<milliseconds>(Clock::now() - t0);
    result.started = started;
    result.finished = std::chrono::system_clock::now();
}

// A worker takes a new target only once it holds a slot (behind orders back from a wait);
// the order gives the slot back while it waits, so the worker may be parked with it.
asio::awaitable<void> Batch::worker(TargetSource& source, std::size_t index) {
    CallContext ctx{
        nullptr,
        limiter_,
        control_,
        settings_.retry,
        [this] { return draw(); },
        settings_.journal,
        settings_.on_retry,
        slots_.get(),
        [this](const HttpExchange& x, std::uint64_t sent_after) { observe(x, sent_after); }};
    ctx.server_clock = settings_.server_clock;
    asio::steady_timer deadline(executor_);
    order_timers_[index] = &deadline;
    struct Unregister {
        std::vector<asio::steady_timer*>& timers;
        std::size_t index;
        ~Unregister() { timers[index] = nullptr; }
    } unregister{order_timers_, index};
    while (!control_.draining()) {
        ctx.slot = co_await slots_->acquire(false);
        if (control_.draining()) break;
        std::optional<Target> target;
        try {
            target = source.next();
        } catch (const std::exception& e) {
            fail(std::current_exception(), std::string("reading the targets failed: ") + e.what());
        } catch (...) {
            fail(std::current_exception(), "reading the targets failed");
        }
        if (!target) break;
        emit(co_await run_order(std::move(*target), ctx, deadline));
        ctx.slot.reset();
    }
    ctx.slot.reset();
}

// What no worker took: not run, streamed like the rest.
void Batch::emit_not_run(TargetSource& source) {
    try {
        while (auto target = source.next()) {
            OrderResult r;
            r.seq = target->seq;
            r.target = target->given;
            r.order_id = target->id;
            r.action = settings_.action;
            r.outcome = Outcome::not_run;
            r.message = "not run: the run was stopped (" + control_.message() + ")";
            r.started = r.finished = std::chrono::system_clock::now();
            emit(r);
            if (sink_failed_) break;
        }
    } catch (const std::exception& e) {
        fail(std::current_exception(), std::string("reading the targets failed: ") + e.what());
    }
}

void Batch::record_load() {
    stats_.concurrency_min = load_->min_seen();
    stats_.concurrency_max = load_->max_seen();
    stats_.concurrency_mean = load_->mean(Clock::now());
    stats_.pauses = load_->pauses();
    stats_.connections_opened = slots_->connections_opened();
    stats_.sessions_resumed = slots_->sessions_resumed();
}

asio::awaitable<BatchStats> Batch::run(TargetSource& source) {
    const auto t0 = Clock::now();
    order_timers_.assign(static_cast<std::size_t>(settings_.concurrency + settings_.max_parked),
                         nullptr);

    std::optional<asio::signal_set> signals;
    if (settings_.handle_signals) {
        signals.emplace(executor_, SIGINT, SIGTERM,
                        SIGHUP);  // SIGHUP: a closed terminal or ssh session
        auto on_signal = [this, &signals](auto&& self, const boost::system::error_code& ec,
                                          int sig) -> void {
            if (ec) return;
            request_stop(sig == SIGINT   ? "interrupted by SIGINT"
                         : sig == SIGHUP ? "interrupted by SIGHUP"
                                         : "interrupted by SIGTERM");
            signals->async_wait(
                [self](const boost::system::error_code& e, int s) { self(self, e, s); });
        };
        signals->async_wait([on_signal](const boost::system::error_code& ec, int sig) {
            on_signal(on_signal, ec, sig);
        });
    }

    using Op = decltype(asio::co_spawn(executor_, worker(source, 0), asio::deferred));
    std::vector<Op> workers;
    workers.reserve(order_timers_.size());
    for (std::size_t i = 0; i < order_timers_.size(); ++i)
        workers.push_back(asio::co_spawn(executor_, worker(source, i), asio::deferred));
    auto [order, errors] = co_await asio::experimental::make_parallel_group(std::move(workers))
                               .async_wait(asio::experimental::wait_for_all(), asio::use_awaitable);
    (void)order;
    if (signals) signals->cancel();
    grace_.cancel();
    cooldown_.cancel();
    record_load();
    for (auto& e : errors)
        if (e && !failure_) failure_ = e;  // a bug in the worker itself
    co_await slots_->close();

    if (control_.draining() && !failure_) emit_not_run(source);

    stats_.stopped = control_.reason();
    stats_.stop_message = control_.message();
    stats_.wall = duration_cast<milliseconds>(Clock::now() - t0);
    if (failure_) std::rethrow_exception(failure_);
    co_return stats_;
}

}  // namespace rcbatch::engine
