#pragma once
// How a run runs: the [run] table of a job, the [defaults] of a profile file, and the
// command line, merged in that order of precedence (command line wins).

#include "config/diagnostics.hpp"
#include "config/settings.hpp"
#include "engine/batch/retry_policy.hpp"
#include "engine/defaults.hpp"
#include "engine/text/csv_cells.hpp"
#include "jobs/money/unpriced.hpp"

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

namespace rcbatch::config {

using RetrySettings = engine::RetrySettings;  // the engine owns the retry settings and defaults

struct RunSettings {
    int concurrency = defaults::concurrency;
    double rate = defaults::rate;  // requests per second over all workers; 0 = no cap
    std::chrono::milliseconds timeout = defaults::attempt_timeout;
    std::int64_t max_orders = *settings::max_orders.fallback;  // refuse to start with more targets
    // Refuse to start a charged renewal whose estimate (list prices, in the plans' currency)
    // is over this; none: no limit.
    std::optional<double> max_charge;
    jobs::UnpricedPolicy unpriced;  // max-charge's answer for an order without a list price
    RetrySettings retry;
    std::string reports;  // where run folders go; empty: <state directory>/runs
    engine::CsvCells csv = engine::CsvCells::safe;  // results.csv / plan.csv cells
};

// What one layer sets; unset fields fall through to the layer below.
struct RunOverrides {
    std::optional<int> concurrency;
    std::optional<double> rate;
    std::optional<std::chrono::milliseconds> timeout;
    std::optional<std::int64_t> max_orders;
    std::optional<double> max_charge;
    std::optional<jobs::UnpricedPolicy> unpriced;
    std::optional<int> retry_attempts;
    std::optional<std::chrono::milliseconds> retry_base;
    std::optional<std::chrono::milliseconds> retry_max;
    std::optional<std::string> reports;
    std::optional<engine::CsvCells> csv;
};

// `over` applied on top of `base`.
RunSettings merge(RunSettings base, const RunOverrides& over);

class TomlReader;

// Reads the keys of run_setting_keys() from a [run] or [defaults] table. Unknown keys are not
// checked here: the caller lists the allowed ones.
RunOverrides read_run_settings(TomlReader& reader);

// The keys read_run_settings understands.
const std::vector<std::string_view>& run_setting_keys();

}  // namespace rcbatch::config
