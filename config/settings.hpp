#pragma once
// Every setting with a range, in one table: its key as a file writes it, where it may be
// written, its range and its default. The job and profile readers check against it, the
// command line's --concurrency and --rate take their ranges and help text from it, and
// tests/unit/config/settings_test.cpp holds the README's table of ranges to it. The defaults
// the engine starts from too are engine/defaults.hpp's; this table names them.

#include "config/duration.hpp"
#include "engine/batch/retry_policy.hpp"
#include "engine/defaults.hpp"

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rcbatch::config::settings {

using namespace std::chrono_literals;

struct IntegerSetting {
    std::string_view key;
    std::int64_t min;
    std::int64_t max;
    std::optional<std::int64_t> fallback;  // the default; none: unset means "no such limit"
};

struct NumberSetting {
    std::string_view key;
    double min;
    double max;
    std::optional<double> fallback;
};

struct DurationSetting {
    std::string_view key;
    DurationRange range;
    std::optional<std::chrono::milliseconds> fallback;
};

// [run] of a job, [defaults] of a profile; the command line's --concurrency and --rate.
inline constexpr IntegerSetting concurrency{"concurrency", 1, 256, defaults::concurrency};
inline constexpr NumberSetting rate{"rate", 0, 1000, defaults::rate};
inline constexpr DurationSetting timeout{"timeout", {1ms, 10min}, defaults::attempt_timeout};
inline constexpr IntegerSetting max_orders{"max-orders", 1, 100'000'000, 10'000};
inline constexpr NumberSetting max_charge{"max-charge", 0, 1e12, std::nullopt};
// [run.retry]
inline constexpr IntegerSetting retry_attempts{"attempts", 1, 20, engine::RetrySettings{}.attempts};
inline constexpr DurationSetting retry_base{"base", {0ms, 10min}, engine::RetrySettings{}.base};
inline constexpr DurationSetting retry_max{"max", {0ms, 1h}, engine::RetrySettings{}.max};
// A job's own keys.
inline constexpr DurationSetting min_interval{"min-interval", {0ms, 24h * 365}, std::nullopt};
inline constexpr DurationSetting renew_if_expires_within{
    "renew-if-expires-within", {0ms, 24h * 3650}, std::nullopt};
// [targets] search = {...}
inline constexpr DurationSetting expires_within{"expires-within", {0ms, 24h * 3650}, std::nullopt};
inline constexpr DurationSetting expired_since{"expired-since", {0ms, 24h * 3650}, std::nullopt};
// A job's or a profile's (the job's wins).
inline constexpr DurationSetting repeat_guard{
    "repeat-guard", {0ms, 24h * 3650}, defaults::repeat_guard};
inline constexpr DurationSetting reconcile_settle{
    "reconcile-settle", {0ms, 10min}, defaults::reconcile_settle};
// A profile's.
inline constexpr DurationSetting action_scan_max_age{
    "action-scan-max-age", {1s, 1h}, defaults::action_scan_max_age};
inline constexpr IntegerSetting batch_read_size{"batch-read-size", 1, 500,
                                                defaults::batch_read_size};
inline constexpr DurationSetting batch_read_max_age{
    "batch-read-max-age", {0ms, 10min}, defaults::batch_read_max_age};

// One row a setting as the README's table "Setting ranges" shows it.
struct Row {
    std::string key;       // "`run.concurrency` (`[defaults]` too)"
    std::string from;      // "1", "0ms"
    std::string to;        // "256", "10m"
    std::string fallback;  // "8", "30s", "none"
};
std::vector<Row> rows();

// "from 1 to 256", for help texts and messages.
std::string range_text(const IntegerSetting& s);
std::string range_text(const NumberSetting& s);

}  // namespace rcbatch::config::settings
