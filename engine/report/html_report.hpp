#pragma once
// report.html: one self-contained page (inline CSS and SVG, one small inline script, nothing
// fetched) for people who do not read JSON: the run's facts from summary.json, totals per
// outcome, money where the run has it, a latency histogram, attempts and retries over time,
// and a table of orders — `unknown` first (flagged "check by hand"), then the other failures,
// then the rest — sortable and filterable by outcome.
//
// Bounded at any number of orders: the table holds at most `attention_rows` failed or unknown
// orders and `other_rows` others, chosen in that order; the page says how many it left out and
// points at results.csv, which has every order. The rows wait for their turn in a temporary
// file (text_spool.hpp), not in memory. The caller streams the records twice: once
// into ReportStats and Timeline (html_head needs the totals), once through HtmlTable.

#include "engine/batch/order_result.hpp"
#include "engine/report/report_stats.hpp"
#include "engine/report/run_summary.hpp"
#include "engine/report/text_spool.hpp"

#include <boost/json/object.hpp>

#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace rcbatch::engine {

// What the money section and the table's charge column show. The caller makes it (the engine
// knows no prices or invoices: jobs/money/charge_summary.hpp): rows of (name, value), and each
// order's charge cell. No rows: no section; no `charge`: no column.
struct HtmlMoney {
    std::vector<std::pair<std::string, std::string>> facts;
    std::function<std::string(const OrderResult&)> charge;
};

struct HtmlLimits {
    std::size_t attention_rows = 5000;  // failed (not_run and cancelled aside) and unknown orders
    std::size_t other_rows = 1000;      // ok, skipped, not_run, cancelled
};

// An order's group in the table, in table order: 0 unknown, 1 failed, 2 stopped before it was
// decided (cancelled, not_run), 3 skipped, 4 ok. rcbatch serve's orders table sorts by it too.
std::size_t table_rank(Outcome o) noexcept;

// The page's style sheet and the table's sort-and-filter script, without their tags: inline in
// report.html, served as files by `rcbatch serve` (whose Content-Security-Policy forbids
// inline ones; no element has a style attribute).
std::string html_style();
std::string_view html_script();

// The run's facts, the totals bar, money and the charts: the part of report.html that
// `rcbatch serve` shows on a run's page too.
std::string html_summary(const RunSummary& summary, const ReportStats& stats,
                         const std::vector<Timeline::Bin>& timeline, const HtmlMoney& money = {});

// Everything before the table's rows: the page's head and style, the run's facts, the totals
// bar, money, the charts, the filter and the table's header.
std::string html_head(const RunSummary& summary, const ReportStats& stats,
                      const std::vector<Timeline::Bin>& timeline, const HtmlMoney& money = {});

// One order as a table row, with a charge cell when `charge` is set, and its order id a link to
// `order_href` + the id when that is given (rcbatch serve's order pages); every text redacted
// and escaped.
std::string html_row(const OrderResult& r,
                     const std::function<std::string(const OrderResult&)>& charge = {},
                     std::string_view order_href = {});

// The rows of the table, as many as the limits allow, kept in temporary files until rendered.
class HtmlTable {
  public:
    HtmlTable(const ReportStats& stats, HtmlLimits limits,
              std::function<std::string(const OrderResult&)> charge = {});
    // Keeps `r`'s row when its kind has room left. Throws std::runtime_error when the rows'
    // temporary file cannot be written.
    void add(const OrderResult& r);
    // The rows in table order, then the table's end and a note on the orders left out, handed
    // to `put` piece by piece (no second copy of the rows), or as one string. Throws
    // std::runtime_error when the rows' temporary file cannot be read back.
    void render(const std::function<void(std::string_view)>& put) const;
    std::string render() const;

  private:
    static constexpr std::size_t ranks = 5;
    std::array<TextSpool, ranks> rows_;  // each rank's rows, one after another
    std::array<std::size_t, ranks> kept_{};
    std::array<std::size_t, ranks> caps_{};
    std::array<std::uint64_t, ranks> left_out_{};
    std::function<std::string(const OrderResult&)> charge_;
};

// The end of the page: the script that sorts and filters the table, and the closing tags.
std::string html_tail();

}  // namespace rcbatch::engine
