#include "engine/report/html_charts.hpp"

#include "engine/report/result_record.hpp"
#include "engine/text/markup_text.hpp"

#include <algorithm>
#include <array>

namespace rcbatch::engine {

namespace {

// Failures first, so the bar starts with what needs a look; ok last.
constexpr std::array chart_order{Outcome::unknown,   Outcome::api_error, Outcome::transient,
                                 Outcome::ambiguous, Outcome::fatal,     Outcome::cancelled,
                                 Outcome::not_run,   Outcome::skipped,   Outcome::ok};

std::string num(double v) { return fixed(v, 1); }

std::string rect(double x, double y, double w, double h, std::string_view fill,
                 std::string_view title) {
    return "<rect x=\"" + num(x) + "\" y=\"" + num(y) + "\" width=\"" + num(w) + "\" height=\"" +
           num(h) + "\" fill=\"" + std::string(fill) + "\"><title>" + markup_escape(title) +
           "</title></rect>";
}

std::string text_at(double x, double y, std::string_view anchor, std::string_view text) {
    return "<text x=\"" + num(x) + "\" y=\"" + num(y) + "\" text-anchor=\"" + std::string(anchor) +
           "\">" + markup_escape(text) + "</text>";
}

std::string svg_open(int width, int height, std::string_view label) {
    return "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" viewBox=\"0 0 " +
           std::to_string(width) + " " + std::to_string(height) + "\" width=\"" +
           std::to_string(width) + "\" height=\"" + std::to_string(height) +
           "\" class=\"chart\" aria-label=\"" + markup_escape(label) + "\">";
}

std::string hh_mm_ss(std::chrono::system_clock::time_point t) {
    const std::string s = iso8601_utc(t);  // 2019-10-26T13:34:52Z
    return s.size() >= 19 ? s.substr(11, 8) : s;
}

}  // namespace

std::string_view outcome_colour(Outcome o) noexcept {
    switch (o) {
        case Outcome::ok:
            return "#2e7d32";
        case Outcome::api_error:
            return "#c62828";
        case Outcome::transient:
            return "#ef6c00";
        case Outcome::ambiguous:
            return "#ad1457";
        case Outcome::fatal:
            return "#4a148c";
        case Outcome::unknown:
            return "#f9a825";
        case Outcome::skipped:
            return "#0277bd";
        case Outcome::not_run:
            return "#9e9e9e";
        case Outcome::cancelled:
            return "#616161";
    }
    return "#000000";
}

std::string outcome_bar_svg(const ReportStats& stats) {
    constexpr double width = 1000, height = 28;
    std::string svg = svg_open(1000, 28, "orders by outcome");
    svg += rect(0, 0, width, height, "#eeeeee", "no orders");
    double x = 0;
    for (Outcome o : chart_order) {
        const std::uint64_t n = stats.count(o);
        if (n == 0 || stats.orders == 0) continue;
        const double share = static_cast<double>(n) / static_cast<double>(stats.orders);
        const std::string title =
            std::string(to_string(o)) + ": " + grouped(n) + " (" + fixed(share * 100, 1) + "%)";
        svg += rect(x, 0, share * width, height, outcome_colour(o), title);
        x += share * width;
    }
    return svg + "</svg>";
}

std::string latency_histogram_svg(const ReportStats& stats) {
    constexpr double bar_w = 70, gap = 10, top = 20, plot_h = 150;
    std::size_t shown = 4;  // up to the slowest bin that has orders, at least 4 bins
    for (std::size_t i = 0; i < latency_bins; ++i)
        if (stats.latency[i] > 0) shown = std::max(shown, i + 1);
    const int width = static_cast<int>(static_cast<double>(shown) * (bar_w + gap));
    std::string svg = svg_open(width, static_cast<int>(top + plot_h + 24), "latency histogram");
    const std::uint64_t highest = *std::max_element(stats.latency.begin(), stats.latency.end());
    for (std::size_t i = 0; i < shown; ++i) {
        const std::uint64_t n = stats.latency[i];
        const double h =
            highest == 0 ? 0 : plot_h * static_cast<double>(n) / static_cast<double>(highest);
        const double x = static_cast<double>(i) * (bar_w + gap);
        const std::string label = latency_bin_label(i);
        svg +=
            rect(x, top + plot_h - h, bar_w, h, "#1565c0", label + ": " + grouped(n) + " orders");
        svg += text_at(x + bar_w / 2, top + plot_h - h - 4, "middle", grouped(n));
        svg += text_at(x + bar_w / 2, top + plot_h + 16, "middle", label);
    }
    return svg + "</svg>";
}

std::string timeline_svg(const std::vector<Timeline::Bin>& bins) {
    if (bins.empty()) return {};
    constexpr double left = 60, top = 10, plot_w = 900, plot_h = 140;
    std::string svg =
        svg_open(static_cast<int>(left + plot_w + 10), static_cast<int>(top + plot_h + 24),
                 "attempts and retries over time");
    std::uint64_t highest = 1;
    for (const auto& b : bins) highest = std::max(highest, b.attempts);
    const double bar_w = plot_w / static_cast<double>(bins.size());
    for (std::size_t i = 0; i < bins.size(); ++i) {
        const auto& b = bins[i];
        const double x = left + static_cast<double>(i) * bar_w;
        const double ha = plot_h * static_cast<double>(b.attempts) / static_cast<double>(highest);
        const double hr = plot_h * static_cast<double>(b.retries) / static_cast<double>(highest);
        const std::string when = hh_mm_ss(b.from) + "-" + hh_mm_ss(b.to) + " UTC: ";
        svg += rect(x, top + plot_h - ha, std::max(1.0, bar_w - 1), ha, "#90caf9",
                    when + grouped(b.attempts) + " attempts, " + grouped(b.orders) + " orders");
        if (b.retries > 0)
            svg += rect(x, top + plot_h - hr, std::max(1.0, bar_w - 1), hr, "#ef6c00",
                        when + grouped(b.retries) + " retries");
    }
    svg += "<line x1=\"" + num(left) + "\" y1=\"" + num(top + plot_h) + "\" x2=\"" +
           num(left + plot_w) + "\" y2=\"" + num(top + plot_h) + "\" stroke=\"#555\"/>";
    svg += text_at(left - 6, top + 10, "end", grouped(highest));
    svg += text_at(left - 6, top + plot_h, "end", "0");
    svg += text_at(left, top + plot_h + 16, "start", hh_mm_ss(bins.front().from) + " UTC");
    svg += text_at(left + plot_w, top + plot_h + 16, "end", hh_mm_ss(bins.back().to) + " UTC");
    return svg + "</svg>";
}

}  // namespace rcbatch::engine
