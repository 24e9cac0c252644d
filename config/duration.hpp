#pragma once
// Durations as job files write them: a whole number and a unit (ms, s, m, h, d).

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace rcbatch::config {

// The allowed range of a duration key, checked at load time (each key's: config/settings.hpp):
// a bigger value would overflow a deadline or end every order at once.
struct DurationRange {
    std::chrono::milliseconds min;
    std::chrono::milliseconds max;
};

// "500ms" -> 500ms, "30d" -> 30 days; nullopt for anything else (no unit, negative, overflow).
std::optional<std::chrono::milliseconds> parse_duration(std::string_view text);

// The shortest exact form: 1500ms -> "1500ms", 90000ms -> "90s", 86400000ms -> "1d".
std::string format_duration(std::chrono::milliseconds d);

}  // namespace rcbatch::config
