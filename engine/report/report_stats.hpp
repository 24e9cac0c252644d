#pragma once
// What report.html and results.junit.xml show about a run's records beyond summary.json:
// counts per outcome, a latency histogram, and attempts and retries over time (the money is
// the caller's: jobs/money/charge_summary.hpp). Gathered in one pass over the records, in memory
// bounded by the run's length in seconds, never by its number of orders. Pure: no files, no clock.

#include "engine/batch/order_result.hpp"
#include "engine/outcome.hpp"

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace rcbatch::engine {

// Upper edges of the latency histogram's bins, in ms; the last bin has no upper edge.
inline constexpr std::array<std::int64_t, 11> latency_edges_ms{10,   25,   50,   100,   250,  500,
                                                               1000, 2500, 5000, 10000, 30000};
inline constexpr std::size_t latency_bins = latency_edges_ms.size() + 1;

// The bin of a latency, and a bin's label ("< 10 ms", "10-25 ms", "1-2.5 s", ">= 30 s").
std::size_t latency_bin(std::chrono::milliseconds latency) noexcept;
std::string latency_bin_label(std::size_t bin);

struct ReportStats {
    std::array<std::uint64_t, 16> by_outcome{};  // indexed by the Outcome's value
    std::uint64_t orders = 0, failed = 0, attempts = 0, retries = 0;
    std::array<std::uint64_t, latency_bins> latency{};  // orders attempted at least once

    void add(const OrderResult& r);
    std::uint64_t count(Outcome o) const noexcept {
        return by_outcome[static_cast<std::size_t>(o) % by_outcome.size()];
    }
    // Failures that need a person: every failed outcome but not_run and cancelled.
    std::uint64_t attention() const noexcept;
};

// Attempts, retries and finished orders over time, by the second an order started.
class Timeline {
  public:
    struct Bin {
        std::chrono::system_clock::time_point from, to;
        std::uint64_t orders = 0, attempts = 0, retries = 0;
    };

    // Records without a start time are left out.
    void add(std::chrono::system_clock::time_point started, int attempts, int retries);
    bool empty() const noexcept { return by_second_.empty(); }
    // At most `count` bins of equal width from the first second to the last (one a second
    // when the run is shorter).
    std::vector<Bin> bins(std::size_t count) const;

  private:
    struct Counts {
        std::uint64_t orders = 0, attempts = 0, retries = 0;
    };
    std::map<std::int64_t, Counts> by_second_;
};

}  // namespace rcbatch::engine
