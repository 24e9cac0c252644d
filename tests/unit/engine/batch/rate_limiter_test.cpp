#include "engine/batch/rate_limiter.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>

#include <doctest/doctest.h>

namespace rate_limiter_test {

using namespace rcbatch::engine;
using namespace std::chrono_literals;
using clock_type = TokenBucket::clock;

TEST_SUITE("rate") {
    TEST_CASE("a full bucket grants its burst at once, then one token per 1/rate") {
        const clock_type::time_point t0{};
        TokenBucket b(10.0, 2.0, t0);
        CHECK(b.reserve(t0) == clock_type::duration::zero());
        CHECK(b.reserve(t0) == clock_type::duration::zero());
        CHECK(b.reserve(t0) == 100ms);
        CHECK(b.reserve(t0) == 200ms);  // reservations queue behind each other
        CHECK(b.reserve(t0) == 300ms);
    }

    TEST_CASE("tokens come back with time, never above the burst") {
        const clock_type::time_point t0{};
        TokenBucket b(4.0, 1.0, t0);
        CHECK(b.reserve(t0) == clock_type::duration::zero());
        CHECK(b.reserve(t0 + 100ms) == 150ms);  // 0.4 saved, 0.6 of a token to go
        CHECK(b.reserve(t0 + 10s) == clock_type::duration::zero());  // refilled to 1, not 40
        CHECK(b.reserve(t0 + 10s) == 250ms);
    }

    TEST_CASE("a debt is paid back before new tokens are saved") {
        const clock_type::time_point t0{};
        TokenBucket b(1.0, 1.0, t0);
        CHECK(b.reserve(t0) == 0s);
        CHECK(b.reserve(t0) == 1s);
        CHECK(b.reserve(t0) == 2s);
        CHECK(b.tokens() == doctest::Approx(-2.0));
        CHECK(b.reserve(t0 + 2s) == 1s);  // the debt of 2 paid, none saved
    }

    TEST_CASE("time going backwards changes nothing") {
        const clock_type::time_point t0{clock_type::duration(1'000'000'000)};
        TokenBucket b(1.0, 1.0, t0);
        CHECK(b.reserve(t0) == 0s);
        CHECK(b.reserve(t0 - 5s) == 1s);
    }

    TEST_CASE("rate <= 0 is unlimited") {
        const clock_type::time_point t0{};
        for (double rate : {0.0, -1.0}) {
            TokenBucket b(rate, 1.0, t0);
            for (int i = 0; i < 1000; ++i) REQUIRE(b.reserve(t0) == clock_type::duration::zero());
        }
    }

    TEST_CASE("a burst below one still grants one") {
        const clock_type::time_point t0{};
        TokenBucket b(2.0, 0.0, t0);
        CHECK(b.reserve(t0) == 0s);
        CHECK(b.reserve(t0) == 500ms);
    }

    TEST_CASE("acquire waits on a timer and counts the grants") {
        boost::asio::io_context ioc;
        RateLimiter limiter(ioc.get_executor(), 1000.0, 1.0);
        int granted = 0;
        boost::asio::co_spawn(
            ioc,
            [&]() -> boost::asio::awaitable<void> {
                for (int i = 0; i < 5; ++i)
                    if (co_await limiter.acquire()) ++granted;
            },
            boost::asio::detached);
        ioc.run_for(5s);
        CHECK(granted == 5);
    }
}

}  // namespace rate_limiter_test
