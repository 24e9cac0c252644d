#pragma once
// Latency percentiles over any number of orders in fixed memory: a log-bucketed histogram.
// Pure: no clock; the caller measures.

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>

namespace rcbatch::engine {

// Buckets grow by a factor of 1.02 from 1 µs to more than a day (~1.3k counters, ~10 KiB),
// whatever the number of samples. A percentile is the nearest-rank percentile of the samples
// (the smallest sample with at least p% of the samples at or below it), reported as the
// middle of its bucket and clamped to [min, max]: at most `relative_error` away from the
// exact nearest-rank value (below 1 µs: at most 1 µs away). Longer samples fall into the
// last bucket and are still counted; min, max and mean are exact.
class LatencyStats {
  public:
    static constexpr double relative_error = 0.01;

    void add(std::chrono::nanoseconds sample) noexcept;

    std::uint64_t count() const noexcept { return count_; }
    // p in [0, 100]; 0 when there are no samples.
    double percentile_ms(double p) const noexcept;
    double min_ms() const noexcept;
    double max_ms() const noexcept;
    double mean_ms() const noexcept;

  private:
    static constexpr double growth = 1.0 + 2 * relative_error;
    static constexpr std::size_t bucket_count = 1300;

    static std::size_t bucket_of(double micros) noexcept;
    static double middle_of(std::size_t bucket) noexcept;  // in µs

    std::array<std::uint64_t, bucket_count> buckets_{};
    std::uint64_t count_ = 0;
    double sum_us_ = 0;
    double min_us_ = 0;
    double max_us_ = 0;
};

}  // namespace rcbatch::engine
