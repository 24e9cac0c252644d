#include "engine/batch/call.hpp"

#include "engine/batch/classify.hpp"
#include "engine/store/journal_lines.hpp"

#include <utility>

namespace rcbatch::engine {

namespace asio = boost::asio;
using Clock = std::chrono::steady_clock;

namespace {
asio::awaitable<Fault> write_intent(const CallContext& ctx, int attempt) {
    co_return co_await ctx.journal->write_durable(
        journal_intent_line(ctx.seq, attempt, ctx.intent));
}
}  // namespace

asio::awaitable<CallResult> call(CallContext& ctx, HttpRequest request, Interpreter interpret) {
    CallResult r;
    const auto first = Clock::now();
    auto finish = [&] {
        r.latency = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - first);
        return std::move(r);
    };
    for (;;) {
        // A slot first (an order back from a wait gets one ahead of new orders).
        if (ctx.control.halted()) {
            r.halted = true;
            co_return finish();
        }
        if (ctx.slots != nullptr && !ctx.slot) ctx.slot = co_await ctx.slots->acquire(true);
        HttpsSession& session = ctx.slots != nullptr ? ctx.slot.session() : *ctx.session;
        // Then a rate token (retries take one too); the wait ends early on a halt.
        if (!co_await ctx.control.sleep(ctx.limiter.reserve()) || ctx.control.halted()) {
            r.halted = true;
            co_return finish();
        }
        // Attempt 1's intent line may have gone to disk with the order's claim.
        const bool intent_on_disk =
            request.mutating && std::exchange(ctx.first_intent_on_disk, false) && r.attempts == 0;
        if (request.mutating && ctx.journal && !intent_on_disk) {
            if (const Fault failed = co_await write_intent(ctx, r.attempts + 1)) {
                ctx.control.halt(StopReason::failed,
                                 "the journal cannot be written: " + failed.text);
                r.halted = true;
                r.last.error = "not sent: the journal cannot be written: " + failed.text;
                co_return finish();
            }
        }
        ++r.attempts;
        ++ctx.attempts;
        if (r.attempts > 1) ++ctx.retries;
        const bool left_before = ctx.mutating_may_have_left;
        if (request.mutating) ctx.mutating_may_have_left = true;  // from here on it may leave
        const std::uint64_t sent_after = ctx.slots != nullptr ? ctx.slots->decreases() : 0;
        r.last = co_await session.send(request);
        if (ctx.on_attempt) ctx.on_attempt(r.last, sent_after);
        if (ctx.server_clock && !r.last.date.empty())
            ctx.server_clock->observe(r.last.date, std::chrono::system_clock::now());
        if (r.last.transport == Transport::not_sent) ctx.mutating_may_have_left = left_before;

        r.verdict = ReplyVerdict{};
        if (r.last.transport == Transport::complete && interpret) r.verdict = interpret(r.last);
        r.outcome = classify(r.last, r.verdict);
        if (r.outcome == Outcome::fatal) {
            ctx.control.halt(StopReason::fatal,
                             r.verdict.message.empty() ? r.last.error : r.verdict.message);
            r.stop = RetryStop::final_outcome;
            co_return finish();
        }
        const auto decision =
            decide_retry(ctx.retry, r.attempts, r.outcome, r.last, request.mutating,
                         ctx.draw ? ctx.draw() : 0.5, std::chrono::system_clock::now());
        r.stop = decision.stop;
        if (!decision.retry()) co_return finish();
        if (ctx.on_retry) ctx.on_retry(ctx.seq);
        if (!co_await park(ctx, decision.delay)) {
            r.halted = true;
            co_return finish();
        }
    }
}

asio::awaitable<bool> park(CallContext& ctx, std::chrono::steady_clock::duration d) {
    if (d > std::chrono::steady_clock::duration::zero()) ctx.slot.reset();
    co_return co_await ctx.control.sleep(d);
}

void fill_from_call(OrderResult& result, const CallResult& call) {
    result.outcome = call.outcome;
    result.http_status = call.last.status;
    if (!call.verdict.message.empty())
        result.message = call.verdict.message;
    else if (!call.last.error.empty())
        result.message = call.last.error;
    else if (call.halted && call.attempts == 0)
        result.message = "not sent: the run was stopped";
    result.attempts = call.attempts;
    result.latency = call.latency;
}

}  // namespace rcbatch::engine
