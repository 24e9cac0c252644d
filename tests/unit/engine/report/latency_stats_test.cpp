#include "engine/report/latency_stats.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <string>
#include <vector>

namespace latency_stats_test {

using rcbatch::engine::LatencyStats;
using namespace std::chrono_literals;

namespace {

// The exact nearest-rank percentile (integer arithmetic: no rounding of p * n / 100).
double exact_ms(std::vector<std::int64_t> us, int p) {
    std::sort(us.begin(), us.end());
    const std::size_t n = us.size();
    const std::size_t rank = std::max<std::size_t>(1, (static_cast<std::size_t>(p) * n + 99) / 100);
    return static_cast<double>(us[rank - 1]) / 1000.0;
}

void check_against_exact(const std::string& name, const std::vector<std::int64_t>& us) {
    LatencyStats stats;
    for (auto v : us) stats.add(std::chrono::microseconds(v));
    for (int p : {1, 10, 50, 90, 95, 99, 100}) {
        CAPTURE(name);
        CAPTURE(p);
        const double exact = exact_ms(us, p);
        const double got = stats.percentile_ms(p);
        CAPTURE(exact);
        CAPTURE(got);
        // 1% relative, plus a hair for the floating-point bucket boundaries; 1 µs near zero.
        CHECK(std::abs(got - exact) <=
              std::max(exact * LatencyStats::relative_error * 1.0001, 0.001));
    }
}

}  // namespace

TEST_SUITE("latency_stats") {
    TEST_CASE("percentiles are within the stated error of the exact ones") {
        std::vector<std::int64_t> linear;  // 1 ms .. 10 s in 1 ms steps
        for (std::int64_t ms = 1; ms <= 10000; ++ms) linear.push_back(ms * 1000);
        check_against_exact("linear", linear);

        std::mt19937_64 rng(42);
        std::lognormal_distribution<double> lognormal(std::log(50'000.0), 1.0);  // ~50 ms
        std::vector<std::int64_t> heavy;
        for (int i = 0; i < 100000; ++i)
            heavy.push_back(static_cast<std::int64_t>(lognormal(rng)) + 1);
        check_against_exact("lognormal", heavy);

        std::vector<std::int64_t> bimodal;
        for (int i = 0; i < 9000; ++i) bimodal.push_back(800 + i % 7);
        for (int i = 0; i < 1000; ++i) bimodal.push_back(30'000'000 + i * 1000);  // 30 s timeouts
        check_against_exact("bimodal", bimodal);

        check_against_exact("sub-millisecond", {0, 0, 1, 2, 3, 999, 1000, 1001});
        check_against_exact("one sample", {123456});
        check_against_exact("all equal", std::vector<std::int64_t>(1000, 777777));
    }

    TEST_CASE("exact min, max, mean and count; empty is zero") {
        LatencyStats stats;
        CHECK(stats.count() == 0);
        CHECK(stats.percentile_ms(50) == 0);
        CHECK(stats.mean_ms() == 0);
        stats.add(10ms);
        stats.add(30ms);
        stats.add(20ms);
        CHECK(stats.count() == 3);
        CHECK(stats.min_ms() == 10);
        CHECK(stats.max_ms() == 30);
        CHECK(stats.mean_ms() == doctest::Approx(20));
        CHECK(stats.percentile_ms(100) == 30);  // clamped to the exact max
        CHECK(stats.percentile_ms(0) == 10);    // and to the exact min
    }

    TEST_CASE("samples beyond the last bucket are counted and clamped to max") {
        LatencyStats stats;
        stats.add(std::chrono::hours(24 * 30));
        stats.add(1ms);
        CHECK(stats.count() == 2);
        CHECK(stats.percentile_ms(100) == doctest::Approx(30.0 * 24 * 3600 * 1000));
        CHECK(stats.percentile_ms(50) == doctest::Approx(1.0).epsilon(0.01));
    }

    TEST_CASE("memory does not grow with the number of samples") {
        CHECK(sizeof(LatencyStats) < 16 * 1024);
    }
}

}  // namespace latency_stats_test
