#pragma once
// --max-runtime: a timer started with the batch that asks it to stop once the run has lasted
// that long — no new orders, in-flight ones finish within the batch's grace period — exactly
// as SIGINT does (engine::Batch::request_stop), so the run exits 3 with its resume command.

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <functional>
#include <string>

namespace rcbatch::jobs {

class RunDeadline {
  public:
    // Calls `on_expiry` once `after` has passed, unless cancel() came first. `after` 0: never.
    RunDeadline(boost::asio::any_io_executor executor, std::chrono::milliseconds after,
                std::function<void()> on_expiry);
    // Call when the batch ends: the io_context then has nothing left to wait for.
    void cancel();

  private:
    boost::asio::steady_timer timer_;
};

// "--max-runtime 2h reached: no new orders taken" (the stop message a run prints).
std::string max_runtime_message(std::chrono::milliseconds limit);

}  // namespace rcbatch::jobs
