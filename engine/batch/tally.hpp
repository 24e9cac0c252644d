#pragma once
// The one count of a batch's results: how many ended each way, their attempts, retries and
// latency. The batch keeps one for what it emitted (BatchStats), the report writer one for
// what it wrote (summary.json).

#include "engine/batch/order_result.hpp"
#include "engine/outcome.hpp"
#include "engine/report/latency_stats.hpp"

#include <array>
#include <cstdint>

namespace rcbatch::engine {

// Running totals of results, in memory bounded whatever the number of orders.
class Tally {
  public:
    void add(const OrderResult& r);

    std::uint64_t orders() const noexcept { return orders_; }
    std::uint64_t count(Outcome o) const noexcept;
    std::uint64_t failed() const noexcept { return failed_; }
    std::uint64_t attempts() const noexcept { return attempts_; }
    std::uint64_t retries() const noexcept { return retries_; }
    // Latency of the orders that were attempted at least once.
    const LatencyStats& latency() const noexcept { return latency_; }

  private:
    std::array<std::uint64_t, 16> counts_{};
    std::uint64_t orders_ = 0, failed_ = 0, attempts_ = 0, retries_ = 0;
    LatencyStats latency_;
};

}  // namespace rcbatch::engine
