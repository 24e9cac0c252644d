#include "jobs/run/run_deadline.hpp"

#include "engine/report/progress.hpp"

namespace rcbatch::jobs {

RunDeadline::RunDeadline(boost::asio::any_io_executor executor, std::chrono::milliseconds after,
                         std::function<void()> on_expiry)
    : timer_(std::move(executor)) {
    if (after <= std::chrono::milliseconds::zero()) return;
    timer_.expires_after(after);
    timer_.async_wait([fn = std::move(on_expiry)](boost::system::error_code ec) {
        if (!ec) fn();
    });
}

void RunDeadline::cancel() { timer_.cancel(); }

std::string max_runtime_message(std::chrono::milliseconds limit) {
    const bool whole_seconds = limit.count() % 1000 == 0;
    return "--max-runtime " +
           (whole_seconds ? engine::format_duration(std::chrono::duration<double>(limit))
                          : std::to_string(limit.count()) + "ms") +
           " reached: no new orders taken";
}

}  // namespace rcbatch::jobs
