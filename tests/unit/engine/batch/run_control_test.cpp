#include "engine/batch/run_control.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>

#include <doctest/doctest.h>

namespace run_control_test {

using namespace rcbatch::engine;
using namespace std::chrono_literals;
namespace asio = boost::asio;

TEST_SUITE("run_control") {
    TEST_CASE("drain stops new targets but not requests; the first reason sticks") {
        asio::io_context ioc;
        RunControl c(ioc.get_executor());
        CHECK_FALSE(c.draining());
        c.drain(StopReason::interrupted, "SIGINT");
        CHECK(c.draining());
        CHECK_FALSE(c.halted());
        c.halt(StopReason::fatal, "Access Denied");
        CHECK(c.halted());
        CHECK(c.reason() == StopReason::interrupted);
        CHECK(c.message() == "SIGINT");
    }

    TEST_CASE("halt wakes every sleeper at once and later sleeps return at once") {
        asio::io_context ioc;
        RunControl c(ioc.get_executor());
        int woke_false = 0;
        for (int i = 0; i < 3; ++i)
            asio::co_spawn(
                ioc,
                [&]() -> asio::awaitable<void> {
                    if (!co_await c.sleep(1h)) ++woke_false;
                },
                asio::detached);
        asio::steady_timer t(ioc, 10ms);
        t.async_wait([&](auto) { c.halt(StopReason::fatal, "bad key"); });
        ioc.run_for(10s);
        CHECK(woke_false == 3);
        CHECK(ioc.stopped());  // nothing left waiting on the hour-long sleeps
        bool after = true;
        ioc.restart();
        asio::co_spawn(
            ioc, [&]() -> asio::awaitable<void> { after = co_await c.sleep(1h); }, asio::detached);
        ioc.run_for(10s);
        CHECK_FALSE(after);
        CHECK(c.reason() == StopReason::fatal);
        CHECK(to_string(c.reason()) == "fatal");
    }

    TEST_CASE("a sleep that is not halted completes true; zero does not wait") {
        asio::io_context ioc;
        RunControl c(ioc.get_executor());
        int done = 0;
        asio::co_spawn(
            ioc,
            [&]() -> asio::awaitable<void> {
                if (co_await c.sleep(0ms)) ++done;
                if (co_await c.sleep(5ms)) ++done;
            },
            asio::detached);
        ioc.run_for(10s);
        CHECK(done == 2);
    }
}

}  // namespace run_control_test
