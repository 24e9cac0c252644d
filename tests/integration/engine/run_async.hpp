#pragma once
// Runs one test coroutine on an io_context under a deadline, so no test can hang.

#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <doctest/doctest.h>

#include <chrono>
#include <exception>

namespace rcbatch::test {

// Spawns `work` and runs `ioc` until it finishes (then stops the context, servers
// included) or `limit` passes. Fails the test on a timeout; rethrows its exception.
template <class Work>
void run_async(boost::asio::io_context& ioc, Work work,
               std::chrono::steady_clock::duration limit = std::chrono::seconds(30)) {
    bool done = false;
    std::exception_ptr error;
    boost::asio::co_spawn(ioc, std::move(work), [&](std::exception_ptr e) {
        error = e;
        done = true;
        ioc.stop();
    });
    ioc.run_for(limit);
    REQUIRE_MESSAGE(done, "the test coroutine did not finish in time");
    if (error) std::rethrow_exception(error);
}

// Runs `then` once `done()` holds, polling on the current io_context (bounded, then runs it
// anyway): e.g. stop a batch once every worker's request is in flight, however long the
// connections took to open, instead of after a fixed delay.
template <class Pred, class F>
boost::asio::awaitable<void> once(Pred done, F then) {
    boost::asio::steady_timer t(co_await boost::asio::this_coro::executor);
    for (int i = 0; i < 2000 && !done(); ++i) {
        t.expires_after(std::chrono::milliseconds(5));
        co_await t.async_wait(boost::asio::use_awaitable);
    }
    then();
}

}  // namespace rcbatch::test
