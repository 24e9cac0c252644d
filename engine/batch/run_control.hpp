#pragma once
// The stop state of one run, shared by its workers on one io_context (no locks): whether
// workers may take new targets (draining) and whether any request may still leave
// (halted), and sleeps that a halt cuts short.

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <string>

namespace rcbatch::engine {

enum class StopReason {
    none,         // ran to the end of the targets
    fatal,        // the API answered fatal (credentials, IP whitelist)
    interrupted,  // SIGINT/SIGTERM or request_stop()
    failed,       // the target source or the result sink failed (an environment error)
};

std::string_view to_string(StopReason reason) noexcept;

class RunControl {
  public:
    explicit RunControl(boost::asio::any_io_executor executor);

    // No new targets; in-flight orders go on (retries included). The first reason sticks.
    void drain(StopReason reason, std::string message);
    // No new targets and no new request may leave; sleeping workers wake at once.
    void halt(StopReason reason, std::string message);

    bool draining() const noexcept { return reason_ != StopReason::none; }
    bool halted() const noexcept { return halted_; }
    StopReason reason() const noexcept { return reason_; }
    const std::string& message() const noexcept { return message_; }

    // Waits `d`; returns false at once, or as soon as, the run is halted. Never throws
    // for the wait itself (a cancelled coroutine may still throw at its next await).
    boost::asio::awaitable<bool> sleep(std::chrono::steady_clock::duration d);

  private:
    boost::asio::any_io_executor executor_;
    boost::asio::steady_timer wake_;  // never expires; halt() cancels its waits
    StopReason reason_ = StopReason::none;
    std::string message_;
    bool halted_ = false;
};

}  // namespace rcbatch::engine
