#include "engine/batch/concurrency_control.hpp"

#include <doctest/doctest.h>

#include <string>
#include <vector>

namespace concurrency_control_test {

using namespace rcbatch::engine;
using namespace std::chrono_literals;
using Verdict = ConcurrencyControl::Verdict;
using S = LoadSignal;

namespace {

HttpExchange exchange(Transport t, int status = 0, bool stops_run = false) {
    HttpExchange x;
    x.transport = t;
    x.status = status;
    x.stops_run = stops_run;
    return x;
}

struct Step {
    S signal;
    Verdict verdict;
    int limit;  // after the signal
};

}  // namespace

TEST_SUITE("concurrency control") {
    TEST_CASE("what an attempt's ending says about load") {
        struct Case {
            HttpExchange x;
            S want;
        } cases[] = {
            {exchange(Transport::complete, 200), S::success},
            {exchange(Transport::complete, 500), S::success},
            {exchange(Transport::complete, 429), S::pushback},
            {exchange(Transport::complete, 503), S::pushback},
            {exchange(Transport::complete, 502), S::neutral},
            {exchange(Transport::not_sent), S::refused},
            {exchange(Transport::not_sent, 0, true), S::neutral},
            {exchange(Transport::closed_before_reply), S::dropped},
            {exchange(Transport::timeout_after_send), S::neutral},
            {exchange(Transport::truncated), S::neutral},
        };
        for (const auto& c : cases) {
            CAPTURE(static_cast<int>(c.x.transport));
            CAPTURE(c.x.status);
            CHECK(load_signal(c.x) == c.want);
        }
    }

    TEST_CASE("decrease, hold-off, one step up per run of successes") {
        AdaptiveSettings s;
        s.raise_factor = 1;
        const auto t0 = ConcurrencyControl::Clock::now();
        ConcurrencyControl c(s, 8, t0);
        const std::vector<Step> steps = {
            {S::success, Verdict::same, 8},     // at the maximum already
            {S::refused, Verdict::lowered, 4},  // halved
            {S::dropped, Verdict::same, 4},     // requests in flight at the old limit: held off
            {S::pushback, Verdict::same, 4},
            {S::neutral, Verdict::same, 4},  // neutral signals do not count
            {S::success, Verdict::same, 4},
            {S::success, Verdict::same, 4},
            {S::success, Verdict::same, 4},
            {S::success, Verdict::raised, 5},    // 4 successes in a row at 4: one step up
            {S::pushback, Verdict::same, 5},     // still held off
            {S::pushback, Verdict::lowered, 2},  // hold-off over
            {S::success, Verdict::same, 2},
            {S::success, Verdict::raised, 3},
            {S::success, Verdict::same, 3},
            {S::success, Verdict::same, 3},
            {S::success, Verdict::raised, 4},
        };
        int i = 0;
        for (const auto& step : steps) {
            CAPTURE(i++);
            CHECK(c.observe(step.signal, t0) == step.verdict);
            CHECK(c.limit() == step.limit);
        }
        CHECK(c.min_seen() == 2);
        CHECK(c.max_seen() == 8);
    }

    TEST_CASE("a 429 now and then (a transient fault) lowers nothing; most of the traffic does") {
        AdaptiveSettings s;
        const auto t0 = ConcurrencyControl::Clock::now();
        ConcurrencyControl c(s, 8, t0);
        for (int round = 0; round < 20; ++round) {
            for (int i = 0; i < 5; ++i) c.observe(S::success, t0);
            CHECK(c.observe(round % 2 == 0 ? S::pushback : S::dropped, t0) == Verdict::same);
        }
        CHECK(c.limit() == 8);
        int lowered = 0;
        for (int i = 0; i < 40; ++i) lowered += c.observe(S::pushback, t0) == Verdict::lowered;
        CHECK(lowered >= 2);
        CHECK(c.limit() <= 2);
    }

    TEST_CASE("never above the run's concurrency, never below 1") {
        AdaptiveSettings s;
        s.raise_factor = 1;
        const auto t0 = ConcurrencyControl::Clock::now();
        ConcurrencyControl c(s, 2, t0);
        for (int i = 0; i < 20; ++i) c.observe(S::success, t0);
        CHECK(c.limit() == 2);
        for (int i = 0; i < 6; ++i) c.observe(S::refused, t0);
        CHECK(c.limit() == 1);
    }

    TEST_CASE("refusals persisting at 1: a pause, resumed at 1, then a stop after max_pauses") {
        AdaptiveSettings s;
        s.window = 4;
        s.refused_share = 0.5;
        s.max_pauses = 2;
        const auto t0 = ConcurrencyControl::Clock::now();
        ConcurrencyControl c(s, 1, t0);
        // Half refused is not "most": no pause.
        for (S sig : {S::refused, S::success, S::refused, S::success})
            CHECK(c.observe(sig, t0) == Verdict::same);
        CHECK(c.observe(S::refused, t0) == Verdict::same);   // 2 of the last 4
        CHECK(c.observe(S::refused, t0) == Verdict::pause);  // 3 of the last 4
        CHECK(c.limit() == 0);
        CHECK(c.observe(S::refused, t0) == Verdict::same);  // paused: late answers change nothing
        c.resumed(t0 + 10s);
        CHECK(c.limit() == 1);
        for (int i = 0; i < 3; ++i) CHECK(c.observe(S::dropped, t0 + 10s) == Verdict::same);
        CHECK(c.observe(S::refused, t0 + 10s) == Verdict::pause);
        c.resumed(t0 + 20s);
        for (int i = 0; i < 3; ++i) CHECK(c.observe(S::refused, t0 + 20s) == Verdict::same);
        CHECK(c.observe(S::refused, t0 + 20s) == Verdict::stop);
        CHECK(c.pauses() == 2);
        CHECK(c.min_seen() == 1);
    }

    TEST_CASE("at 1, what was sent before the limit came down is not judged: no pause") {
        AdaptiveSettings s;
        s.window = 4;
        const auto t0 = ConcurrencyControl::Clock::now();
        ConcurrencyControl c(s, 32, t0);
        CHECK(c.observe(S::success, t0, {1, 1}) == Verdict::same);
        // A cap seen while one connection is open: to 1 at once.
        CHECK(c.observe(S::capped, t0, {1, 1}) == Verdict::lowered);
        CHECK(c.limit() == 1);
        // The other 31 requests sent at 32 come back capped, dropped or refused.
        for (int i = 0; i < 31; ++i) {
            const S sig = i % 3 == 0 ? S::capped : i % 3 == 1 ? S::dropped : S::refused;
            CHECK(c.observe(sig, t0, {1, 1}, true) == Verdict::same);
        }
        CHECK(c.limit() == 1);
        CHECK(c.pauses() == 0);
        // What is sent at 1 is judged: most of the window refused pauses.
        for (int i = 0; i < 3; ++i) CHECK(c.observe(S::refused, t0, {1, 1}) == Verdict::same);
        CHECK(c.observe(S::refused, t0, {1, 1}) == Verdict::pause);
    }

    TEST_CASE("above 1, a stale cap still lowers the limit to the connections open") {
        AdaptiveSettings s;
        const auto t0 = ConcurrencyControl::Clock::now();
        ConcurrencyControl c(s, 32, t0);
        CHECK(c.observe(S::success, t0, {8, 8}) == Verdict::same);
        CHECK(c.observe(S::capped, t0, {20, 20}) == Verdict::lowered);
        CHECK(c.observe(S::capped, t0, {8, 8}, true) == Verdict::lowered);
        CHECK(c.limit() == 8);
    }

    TEST_CASE("a connection opened for the request and closed unanswered is the cap at work") {
        HttpExchange fresh = exchange(Transport::closed_before_reply);
        fresh.fresh_connection = true;
        CHECK(load_signal(fresh) == S::capped);
        HttpExchange kept = exchange(Transport::closed_before_reply);
        CHECK(load_signal(kept) == S::dropped);  // a kept-alive one: one request's fault
    }

    TEST_CASE("capped: down to the connections that work at once, then new ones only slowly") {
        AdaptiveSettings s;
        s.raise_factor = 1;
        s.probe_factor = 4;
        const auto t0 = ConcurrencyControl::Clock::now();
        ConcurrencyControl c(s, 32, t0);
        CHECK(c.observe(S::success, t0, {8, 8}) == Verdict::same);  // 8 have answered at once
        // The first capped connection while 20 are open: to 20 at once.
        CHECK(c.observe(S::capped, t0, {20, 20}) == Verdict::lowered);
        CHECK(c.limit() == 20);
        // More of them, the hold-off notwithstanding: to the 8 that stay open.
        CHECK(c.observe(S::capped, t0, {12, 12}) == Verdict::lowered);
        CHECK(c.observe(S::capped, t0, {8, 8}) == Verdict::lowered);
        CHECK(c.limit() == 8);
        // At the ceiling, a new connection is tried after probe_factor x limit successes, not
        // raise_factor x limit.
        for (int i = 0; i < 8 * 4 - 1; ++i) CHECK(c.observe(S::success, t0) == Verdict::same);
        CHECK(c.observe(S::success, t0) == Verdict::raised);
        CHECK(c.limit() == 9);
        // It is capped too: back to the 8.
        CHECK(c.observe(S::capped, t0, {8, 8}) == Verdict::lowered);
        CHECK(c.limit() == 8);
        // Closed while only 4 are open: one connection's fault, not the cap (a drop among
        // many successes lowers nothing).
        CHECK(c.observe(S::capped, t0, {4, 4}) == Verdict::same);
        CHECK(c.limit() == 8);
    }

    TEST_CASE("a connection closed while fewer are open than have answered is no cap") {
        AdaptiveSettings s;
        const auto t0 = ConcurrencyControl::Clock::now();
        ConcurrencyControl c(s, 6, t0);
        for (int i = 0; i < 10; ++i)  // 6 answered at once
            CHECK(c.observe(S::success, t0, {6, 6}) == Verdict::same);
        // A server that closes one connection now and then (a fault), not a cap: 5 open.
        CHECK(c.observe(S::capped, t0, {5, 5}) == Verdict::same);
        CHECK(c.limit() == 6);
        // One over what ever answered at once: the cap.
        CHECK(c.observe(S::capped, t0, {6, 6}) == Verdict::lowered);
        CHECK(c.limit() == 5);
    }

    TEST_CASE("capped at one request in flight: the pauses and the stop of refusals") {
        AdaptiveSettings s;
        s.window = 4;
        s.max_pauses = 1;
        const auto t0 = ConcurrencyControl::Clock::now();
        ConcurrencyControl c(s, 2, t0);
        CHECK(c.observe(S::success, t0, {1, 1}) == Verdict::same);
        CHECK(c.observe(S::capped, t0, {1, 1}) == Verdict::lowered);
        CHECK(c.limit() == 1);
        for (int i = 0; i < 3; ++i) CHECK(c.observe(S::capped, t0, {1, 1}) == Verdict::same);
        CHECK(c.observe(S::capped, t0, {1, 1}) == Verdict::pause);
        c.resumed(t0 + 1s);
        for (int i = 0; i < 3; ++i) CHECK(c.observe(S::capped, t0 + 1s, {1, 1}) == Verdict::same);
        CHECK(c.observe(S::capped, t0 + 1s, {1, 1}) == Verdict::stop);
    }

    TEST_CASE("the time-weighted mean counts each limit for as long as it held") {
        AdaptiveSettings s;
        const auto t0 = ConcurrencyControl::Clock::now();
        ConcurrencyControl c(s, 8, t0);
        c.observe(S::refused, t0 + 1s);  // 8 for 1 s, then 4 for 3 s
        CHECK(c.mean(t0 + 4s) == doctest::Approx(5.0));
    }

    TEST_CASE("disabled: the limit stays at the run's concurrency") {
        AdaptiveSettings s;
        s.enabled = false;
        const auto t0 = ConcurrencyControl::Clock::now();
        ConcurrencyControl c(s, 8, t0);
        for (int i = 0; i < 50; ++i) CHECK(c.observe(S::refused, t0) == Verdict::same);
        CHECK(c.limit() == 8);
    }
}

}  // namespace concurrency_control_test
