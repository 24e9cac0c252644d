#pragma once
// The charts of report.html as inline SVG (nothing fetched, no script): the outcomes as one
// stacked bar, the latency histogram, and attempts and retries over time. Pure functions of
// the counts; every text in them is escaped.

#include "engine/outcome.hpp"
#include "engine/report/report_stats.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace rcbatch::engine {

// The fill colour of an outcome ("#2e7d32" for ok, ...), the same in every chart and table.
std::string_view outcome_colour(Outcome o) noexcept;

// One bar 100% wide, a segment per outcome that has orders, each with a <title> tooltip
// "ok: 90 (90.0%)"; an empty bar when there are no orders.
std::string outcome_bar_svg(const ReportStats& stats);

// A bar per latency bin up to the slowest that has orders (at least 4 bins), its
// latency_bin_label below it and its count above it.
std::string latency_histogram_svg(const ReportStats& stats);

// A bar of attempts per time bin with the retries in front of it, the first and last time
// (UTC) under the axis and the highest count beside it. Empty string for no bins.
std::string timeline_svg(const std::vector<Timeline::Bin>& bins);

}  // namespace rcbatch::engine
