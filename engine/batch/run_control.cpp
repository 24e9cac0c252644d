#include "engine/batch/run_control.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace rcbatch::engine {

namespace asio = boost::asio;
using namespace asio::experimental::awaitable_operators;

std::string_view to_string(StopReason reason) noexcept {
    switch (reason) {
        case StopReason::none:
            return "none";
        case StopReason::fatal:
            return "fatal";
        case StopReason::interrupted:
            return "interrupted";
        case StopReason::failed:
            return "failed";
    }
    return "?";
}

RunControl::RunControl(asio::any_io_executor executor)
    : executor_(executor), wake_(executor, asio::steady_timer::time_point::max()) {}

void RunControl::drain(StopReason reason, std::string message) {
    if (reason_ != StopReason::none) return;
    reason_ = reason;
    message_ = std::move(message);
}

void RunControl::halt(StopReason reason, std::string message) {
    drain(reason, std::move(message));
    if (halted_) return;
    halted_ = true;
    wake_.cancel();
}

asio::awaitable<bool> RunControl::sleep(std::chrono::steady_clock::duration d) {
    if (halted_) co_return false;
    if (d <= std::chrono::steady_clock::duration::zero()) co_return true;
    asio::steady_timer timer(executor_, d);
    co_await (timer.async_wait(asio::as_tuple(asio::use_awaitable)) ||
              wake_.async_wait(asio::as_tuple(asio::use_awaitable)));
    co_return !halted_;
}

}  // namespace rcbatch::engine
