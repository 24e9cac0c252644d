#include "engine/report/latency_stats.hpp"

#include <algorithm>
#include <cmath>

namespace rcbatch::engine {

// Bucket 0 holds samples below 1 µs; bucket b >= 1 holds [growth^(b-1), growth^b) µs.
std::size_t LatencyStats::bucket_of(double micros) noexcept {
    if (micros < 1.0) return 0;
    const double b = std::floor(std::log(micros) / std::log(growth)) + 1;
    return static_cast<std::size_t>(std::min(b, static_cast<double>(bucket_count - 1)));
}

// The middle of a bucket is within (growth - 1) / 2 = relative_error of each of its ends.
double LatencyStats::middle_of(std::size_t bucket) noexcept {
    if (bucket == 0) return 0.5;
    return std::pow(growth, static_cast<double>(bucket - 1)) * (1.0 + growth) / 2.0;
}

void LatencyStats::add(std::chrono::nanoseconds sample) noexcept {
    const double us = std::max(0.0, static_cast<double>(sample.count()) / 1000.0);
    ++buckets_[bucket_of(us)];
    min_us_ = count_ == 0 ? us : std::min(min_us_, us);
    max_us_ = count_ == 0 ? us : std::max(max_us_, us);
    sum_us_ += us;
    ++count_;
}

double LatencyStats::percentile_ms(double p) const noexcept {
    if (count_ == 0) return 0;
    p = std::clamp(p, 0.0, 100.0);
    const auto rank = std::max<std::uint64_t>(
        1, static_cast<std::uint64_t>(std::ceil(p * static_cast<double>(count_) / 100.0)));
    if (rank == 1) return min_us_ / 1000.0;  // the ends are known exactly
    if (rank >= count_) return max_us_ / 1000.0;
    std::uint64_t seen = 0;
    for (std::size_t b = 0; b < bucket_count; ++b) {
        seen += buckets_[b];
        if (seen < rank) continue;
        if (b == bucket_count - 1) return max_us_ / 1000.0;  // open-ended: only max is known
        return std::clamp(middle_of(b), min_us_, max_us_) / 1000.0;
    }
    return max_us_ / 1000.0;
}

double LatencyStats::min_ms() const noexcept { return min_us_ / 1000.0; }
double LatencyStats::max_ms() const noexcept { return max_us_ / 1000.0; }
double LatencyStats::mean_ms() const noexcept {
    return count_ == 0 ? 0 : sum_us_ / static_cast<double>(count_) / 1000.0;
}

}  // namespace rcbatch::engine
