#include "engine/report/report_stats.hpp"

#include <algorithm>

namespace rcbatch::engine {

namespace {

std::string ms_text(std::int64_t ms) {
    if (ms < 1000) return std::to_string(ms);
    if (ms % 1000 == 0) return std::to_string(ms / 1000);
    return std::to_string(ms / 1000) + "." + std::to_string(ms % 1000 / 100);
}

std::string unit_of(std::int64_t ms) { return ms < 1000 ? " ms" : " s"; }

}  // namespace

std::size_t latency_bin(std::chrono::milliseconds latency) noexcept {
    const auto it =
        std::upper_bound(latency_edges_ms.begin(), latency_edges_ms.end(), latency.count());
    return static_cast<std::size_t>(it - latency_edges_ms.begin());
}

std::string latency_bin_label(std::size_t bin) {
    if (bin == 0) return "< " + ms_text(latency_edges_ms[0]) + " ms";
    if (bin >= latency_edges_ms.size()) {
        const std::int64_t last = latency_edges_ms.back();
        return ">= " + ms_text(last) + unit_of(last);
    }
    const std::int64_t from = latency_edges_ms[bin - 1], to = latency_edges_ms[bin];
    if ((from < 1000) == (to < 1000)) return ms_text(from) + "-" + ms_text(to) + unit_of(to);
    return ms_text(from) + " ms-" + ms_text(to) + " s";
}

void ReportStats::add(const OrderResult& r) {
    ++orders;
    ++by_outcome[static_cast<std::size_t>(r.outcome) % by_outcome.size()];
    if (is_failure(r.outcome)) ++failed;
    attempts += static_cast<std::uint64_t>(std::max(0, r.attempts));
    retries += static_cast<std::uint64_t>(std::max(0, r.retries));
    if (r.attempts > 0) ++latency[latency_bin(r.latency)];
}

std::uint64_t ReportStats::attention() const noexcept {
    return failed - count(Outcome::not_run) - count(Outcome::cancelled);
}

void Timeline::add(std::chrono::system_clock::time_point started, int attempts, int retries) {
    if (started == std::chrono::system_clock::time_point{}) return;
    const auto second =
        std::chrono::duration_cast<std::chrono::seconds>(started.time_since_epoch()).count();
    Counts& c = by_second_[second];
    ++c.orders;
    c.attempts += static_cast<std::uint64_t>(std::max(0, attempts));
    c.retries += static_cast<std::uint64_t>(std::max(0, retries));
}

std::vector<Timeline::Bin> Timeline::bins(std::size_t count) const {
    std::vector<Bin> out;
    if (by_second_.empty() || count == 0) return out;
    const std::int64_t first = by_second_.begin()->first, last = by_second_.rbegin()->first;
    const std::int64_t span = last - first + 1;
    const auto n = static_cast<std::int64_t>(count);
    const std::int64_t width = (span + n - 1) / n;  // seconds a bin, at least 1
    out.resize(static_cast<std::size_t>((span + width - 1) / width));
    for (std::size_t i = 0; i < out.size(); ++i) {
        const std::int64_t from = first + static_cast<std::int64_t>(i) * width;
        out[i].from = std::chrono::system_clock::time_point(std::chrono::seconds(from));
        out[i].to = std::chrono::system_clock::time_point(std::chrono::seconds(from + width));
    }
    for (const auto& [second, c] : by_second_) {
        Bin& b = out[static_cast<std::size_t>((second - first) / width)];
        b.orders += c.orders;
        b.attempts += c.attempts;
        b.retries += c.retries;
    }
    return out;
}

}  // namespace rcbatch::engine
