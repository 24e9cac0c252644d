#pragma once
// Durations as job files write them: a whole number and a unit (ms, s, m, h, d).

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace rcbatch::config {

// The allowed range of each duration key, checked at load time (README "Duration bounds"):
// a bigger value would overflow a deadline or end every order at once.
struct DurationRange {
    std::chrono::milliseconds min;
    std::chrono::milliseconds max;
};
namespace duration_bounds {
using namespace std::chrono_literals;
inline constexpr DurationRange timeout{1ms, 10min};             // run.timeout
inline constexpr DurationRange retry_base{0ms, 10min};          // run.retry.base
inline constexpr DurationRange retry_max{0ms, 1h};              // run.retry.max
inline constexpr DurationRange min_interval{0ms, 24h * 365};    // min-interval
inline constexpr DurationRange expiry_window{0ms, 24h * 3650};  // renew-if-expires-within,
                                                                // search expires-within/-since
inline constexpr DurationRange repeat_guard{0ms, 24h * 3650};   // repeat-guard
inline constexpr DurationRange settle{0ms, 10min};              // reconcile-settle
inline constexpr DurationRange scan_age{1s, 1h};                // action-scan-max-age
}  // namespace duration_bounds

// "500ms" -> 500ms, "30d" -> 30 days; nullopt for anything else (no unit, negative, overflow).
std::optional<std::chrono::milliseconds> parse_duration(std::string_view text);

// The shortest exact form: 1500ms -> "1500ms", 90000ms -> "90s", 86400000ms -> "1d".
std::string format_duration(std::chrono::milliseconds d);

}  // namespace rcbatch::config
