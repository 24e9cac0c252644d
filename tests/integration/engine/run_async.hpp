#pragma once
// Runs one test coroutine on an io_context under a deadline, so no test can hang.

#include <doctest/doctest.h>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>

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

}  // namespace rcbatch::test
