#pragma once
// summary.json, typed. Written once, by summary_json (report_writer.hpp) when a run ends or a
// dead run's reports are rebuilt, and read back only through RunSummary::read by every reader:
// report.html, results.junit.xml, the terminal's summary, the metrics, the ledger's run row,
// `rcbatch report`, `rcbatch settle`. Members the engine does not compute (the money, the
// estimate, the plan binding) stay in `json`, each read by its own owner: the money by
// jobs/money/charge_summary.hpp (which also writes it), the binding by jobs/plan/plan_binding.hpp.

#include "engine/outcome.hpp"

#include <boost/json/object.hpp>

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace rcbatch::engine {

// Latency percentiles over the orders' records, in microseconds.
struct LatencyFigures {
    double p50 = 0, p95 = 0, p99 = 0, max = 0, mean = 0;
};

struct RunSummary {
    std::string job, action, account, environment;
    std::string declaration;        // the action file that ran: its origin and digest
    std::string command;            // "run", "plan", ... (the command line, for a resume hint)
    std::string stop_reason;        // "none" (or "") when the run finished; "died" for a dead run
    std::string stop_message;       // why it stopped, for a person
    std::string started, finished;  // ISO-8601 UTC text as written ("" when unset)
    std::string reports;            // the run folder
    std::string plan;               // the plan the run carried out, as text
    std::string count_mismatch;     // why the results do not count every target, as text
    std::string excluded_text, estimate_text, charged_text;  // one line each, for a person
    std::uint64_t orders = 0, failed = 0, attempts = 0, retries = 0, connections_opened = 0;
    std::uint64_t sessions = 1;  // the first run and each resume
    std::array<std::uint64_t, outcomes_in_report_order.size()> outcomes{};  // in report order
    std::optional<std::uint64_t> wall_time_ms;  // absent in a summary rebuilt from a journal
    double orders_per_second = 0;
    std::optional<LatencyFigures> latency_us;
    bool complete = true;  // false: rebuilt from the journal of a run that died
    bool dry_run = false;
    boost::json::object json;  // every member as written, the ones above included

    // Never throws: a member that is absent or of another type stays at its default, so a
    // hostile summary.json shows as an empty or zero figure, never as another one.
    static RunSummary read(boost::json::object summary);

    std::uint64_t count(Outcome o) const noexcept;
    boost::json::object outcomes_json() const;  // {"ok": N, ...}: every outcome, in report order
    bool stopped() const noexcept { return !stop_reason.empty() && stop_reason != "none"; }
};

// The members summary_json computes from the records, and "reports" (ReportWriter::finish).
inline constexpr std::array<std::string_view, 12> computed_summary_members{"started",
                                                                           "finished",
                                                                           "orders",
                                                                           "outcomes",
                                                                           "failed",
                                                                           "attempts",
                                                                           "retries",
                                                                           "wall_time_ms",
                                                                           "orders_per_second",
                                                                           "latency_us",
                                                                           "connections_opened",
                                                                           "reports"};

// `summary` without the members summary_json computes from the records (started, finished,
// orders, outcomes, ...): what a rebuilt summary keeps of the one before.
boost::json::object without_computed_members(boost::json::object summary);

// A member as text: a string as it is, another value as JSON; "" when absent or null.
std::string member_text(const boost::json::object& object, std::string_view key);

// A member as a count (a whole number, not negative); nullopt otherwise.
std::optional<std::uint64_t> member_count(const boost::json::object& object,
                                          std::string_view key) noexcept;

// A member as a number; 0 when absent or not a number.
double member_number(const boost::json::object& object, std::string_view key);

}  // namespace rcbatch::engine
