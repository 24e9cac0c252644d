#include "engine/batch/retry_policy.hpp"

#include <doctest/doctest.h>

#include <string>
#include <vector>

namespace retry_policy_test {

using namespace rcbatch::engine;
using namespace std::chrono_literals;
using std::chrono::milliseconds;
using std::chrono::seconds;
using sys_clock = std::chrono::system_clock;

namespace {
// 1994-11-06 08:49:37 UTC, the date of RFC 9110's examples.
const sys_clock::time_point rfc_date{seconds(784111777)};

HttpExchange exchange(Transport t, int status = 0, std::string retry_after = {}) {
    HttpExchange x;
    x.transport = t;
    x.status = status;
    x.retry_after = std::move(retry_after);
    return x;
}
}  // namespace

TEST_SUITE("retry") {
    TEST_CASE("backoff is full jitter under an exponential ceiling") {
        const RetrySettings s{10, 500ms, 30s};
        CHECK(backoff_delay(s, 1, 0.0) == 0ms);
        CHECK(backoff_delay(s, 1, 0.5) == 250ms);
        CHECK(backoff_delay(s, 2, 0.5) == 500ms);
        CHECK(backoff_delay(s, 3, 0.5) == 1000ms);
        CHECK(backoff_delay(s, 4, 0.999) < 4000ms);
        CHECK(backoff_delay(s, 4, 0.999) >= 3990ms);
    }

    TEST_CASE("backoff stays within [0, ceiling) for every draw") {
        const RetrySettings s{10, 100ms, 1s};
        for (int n = 1; n <= 8; ++n) {
            for (double d : {0.0, 0.01, 0.25, 0.5, 0.75, 0.999999}) {
                CAPTURE(n);
                CAPTURE(d);
                const auto ceiling = std::min<milliseconds>(1000ms, 100ms * (1 << (n - 1)));
                const auto delay = backoff_delay(s, n, d);
                CHECK(delay >= 0ms);
                CHECK(delay <= ceiling);
            }
        }
    }

    TEST_CASE("backoff is capped at max, also for huge attempt numbers") {
        const RetrySettings s{100, 500ms, 30s};
        CHECK(backoff_delay(s, 7, 0.5) == 15s);  // the ceiling is 30s from here on
        CHECK(backoff_delay(s, 8, 0.5) == 15s);
        CHECK(backoff_delay(s, 1000, 0.5) == 15s);
        CHECK(backoff_delay(s, 1000, 1.0) == 30s);
        CHECK(backoff_delay(RetrySettings{3, 5s, 1s}, 1, 0.5) == 500ms);  // base above max
    }

    TEST_CASE("draws outside [0, 1) are clamped") {
        const RetrySettings s{5, 1s, 10s};
        CHECK(backoff_delay(s, 1, -3.0) == 0ms);
        CHECK(backoff_delay(s, 1, 7.0) == 1s);
    }

    TEST_CASE("Retry-After as delta-seconds") {
        CHECK(parse_retry_after("120", rfc_date) == seconds(120));
        CHECK(parse_retry_after(" 0 ", rfc_date) == seconds(0));
        CHECK_FALSE(parse_retry_after("", rfc_date).has_value());
        CHECK_FALSE(parse_retry_after("12s", rfc_date).has_value());
        CHECK_FALSE(parse_retry_after("-5", rfc_date).has_value());
        CHECK_FALSE(parse_retry_after("99999999999999999999", rfc_date).has_value());
    }

    TEST_CASE("Retry-After as an HTTP-date, in each of its three forms") {
        const auto now = rfc_date - 90s;
        CHECK(parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT", now) == seconds(90));
        CHECK(parse_retry_after("Sunday, 06-Nov-94 08:49:37 GMT", now) == seconds(90));
        CHECK(parse_retry_after("Sun Nov  6 08:49:37 1994", now) == seconds(90));
        CHECK(parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT", rfc_date + 1h) == seconds(0));
        CHECK(parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT", rfc_date - 500ms) == seconds(1));
        CHECK(parse_retry_after("Thu, 01 Jan 1970 00:00:10 GMT", sys_clock::time_point{}) ==
              seconds(10));
        CHECK(parse_retry_after("Tue, 29 Feb 2000 00:00:00 GMT",
                                sys_clock::time_point{seconds(951782400 - 5)}) == seconds(5));
    }

    TEST_CASE("unreadable HTTP-dates are ignored") {
        for (const char* bad :
             {"Sun, 06 Foo 1994 08:49:37 GMT", "Sun, 06 Nov 1994 GMT",
              "Sun, 06 Nov 1994 8:49:37 GMT", "Sun, 32 Nov 1994 08:49:37 GMT",
              "Sun, 06 Nov 1994 25:49:37 GMT", "soon", "06 06 Nov 1994 08:49:37"}) {
            CAPTURE(bad);
            CHECK_FALSE(parse_retry_after(bad, rfc_date).has_value());
        }
    }

    TEST_CASE("which attempts may be repeated") {
        struct Row {
            Outcome outcome;
            Transport transport;
            int status;
            bool mutating;
            bool expected;
        };
        const std::vector<Row> rows{
            {Outcome::transient, Transport::not_sent, 0, false, true},
            {Outcome::transient, Transport::not_sent, 0, true, true},
            {Outcome::transient, Transport::complete, 429, true, true},
            {Outcome::transient, Transport::complete, 503, true, true},
            {Outcome::transient, Transport::complete, 500, true,
             true},  // API error on the transient list
            {Outcome::transient, Transport::closed_before_reply, 0, true,
             false},  // inconsistent input: unsafe
            {Outcome::ambiguous, Transport::closed_before_reply, 0, false, true},
            {Outcome::ambiguous, Transport::timeout_after_send, 0, false, true},
            {Outcome::ambiguous, Transport::complete, 502, false, true},
            {Outcome::ambiguous, Transport::closed_before_reply, 0, true, false},
            {Outcome::ambiguous, Transport::timeout_after_send, 0, true, false},
            {Outcome::ambiguous, Transport::truncated, 200, true, false},
            {Outcome::ambiguous, Transport::complete, 504, true, false},
            {Outcome::ok, Transport::complete, 200, false, false},
            {Outcome::api_error, Transport::complete, 500, false, false},
            {Outcome::fatal, Transport::complete, 500, false, false},
        };
        for (const Row& r : rows) {
            const auto outcome = std::string(to_string(r.outcome));
            const int transport = static_cast<int>(r.transport);
            CAPTURE(outcome);
            CAPTURE(transport);
            CAPTURE(r.status);
            CAPTURE(r.mutating);
            CHECK(may_retry(r.outcome, exchange(r.transport, r.status), r.mutating) == r.expected);
        }
    }

    TEST_CASE("final outcomes are never retried") {
        const RetrySettings s;
        for (Outcome o : {Outcome::ok, Outcome::api_error, Outcome::fatal}) {
            CAPTURE(to_string(o));
            const auto d =
                decide_retry(s, 1, o, exchange(Transport::complete, 200), false, 0.5, rfc_date);
            CHECK(d.stop == RetryStop::final_outcome);
            CHECK_FALSE(d.retry());
        }
    }

    TEST_CASE("an ambiguous mutating attempt is left to the caller") {
        const auto d = decide_retry(RetrySettings{}, 1, Outcome::ambiguous,
                                    exchange(Transport::timeout_after_send), true, 0.5, rfc_date);
        CHECK(d.stop == RetryStop::unsafe_to_repeat);
    }

    TEST_CASE("retries until the last attempt, then gives up") {
        const RetrySettings s{3, 100ms, 1s};
        const auto x = exchange(Transport::not_sent);
        auto d1 = decide_retry(s, 1, Outcome::transient, x, true, 0.5, rfc_date);
        CHECK(d1.retry());
        CHECK(d1.delay == 50ms);
        auto d2 = decide_retry(s, 2, Outcome::transient, x, true, 0.5, rfc_date);
        CHECK(d2.retry());
        CHECK(d2.delay == 100ms);
        auto d3 = decide_retry(s, 3, Outcome::transient, x, true, 0.5, rfc_date);
        CHECK(d3.stop == RetryStop::attempts_exhausted);
        CHECK(decide_retry(RetrySettings{1, 100ms, 1s}, 1, Outcome::ambiguous, x, false, 0.5,
                           rfc_date)
                  .stop == RetryStop::attempts_exhausted);
    }

    TEST_CASE("Retry-After is a minimum, never a maximum") {
        const RetrySettings s{5, 100ms, 30s};
        // The server's pause is longer than the jittered backoff: it wins.
        auto d = decide_retry(s, 1, Outcome::transient, exchange(Transport::complete, 429, "3"),
                              true, 0.5, rfc_date);
        CHECK(d.retry());
        CHECK(d.delay == 3s);
        // The backoff is longer than the server's pause: the backoff stays.
        d = decide_retry(RetrySettings{9, 10s, 30s}, 2, Outcome::transient,
                         exchange(Transport::complete, 503, "1"), true, 0.5, rfc_date);
        CHECK(d.delay == 10s);
        // As an HTTP-date.
        d = decide_retry(s, 1, Outcome::transient,
                         exchange(Transport::complete, 503, "Sun, 06 Nov 1994 08:49:47 GMT"), false,
                         0.0, rfc_date);
        CHECK(d.delay == 10s);
        // Unreadable: plain backoff.
        d = decide_retry(s, 1, Outcome::transient, exchange(Transport::complete, 503, "later"),
                         true, 0.5, rfc_date);
        CHECK(d.delay == 50ms);
    }

    TEST_CASE("a Retry-After beyond max ends the retries") {
        const RetrySettings s{5, 100ms, 30s};
        auto d = decide_retry(s, 1, Outcome::transient, exchange(Transport::complete, 429, "31"),
                              false, 0.5, rfc_date);
        CHECK(d.stop == RetryStop::retry_after_too_long);
        d = decide_retry(s, 1, Outcome::transient, exchange(Transport::complete, 429, "30"), false,
                         0.5, rfc_date);
        CHECK(d.retry());
        CHECK(d.delay == 30s);
    }

    TEST_CASE("503 without Retry-After is retried for a mutating request") {
        const auto d = decide_retry(RetrySettings{}, 1, Outcome::transient,
                                    exchange(Transport::complete, 503), true, 0.0, rfc_date);
        CHECK(d.retry());
        CHECK(d.delay == 0ms);
    }

    TEST_CASE("read-only ambiguous attempts are retried") {
        const auto d = decide_retry(RetrySettings{}, 2, Outcome::ambiguous,
                                    exchange(Transport::closed_before_reply), false, 0.5, rfc_date);
        CHECK(d.retry());
        CHECK(d.delay == 500ms);
    }

    TEST_CASE("every stop reason has a name") {
        for (RetryStop s : {RetryStop::none, RetryStop::final_outcome, RetryStop::unsafe_to_repeat,
                            RetryStop::attempts_exhausted, RetryStop::retry_after_too_long})
            CHECK(to_string(s) != "?");
    }
}

}  // namespace retry_policy_test
