#include "config/duration.hpp"

#include <array>
#include <charconv>
#include <cstdint>
#include <limits>
#include <utility>

namespace rcbatch::config {

namespace {
constexpr std::array<std::pair<std::string_view, std::int64_t>, 5> units{{
    {"d", 86'400'000},
    {"h", 3'600'000},
    {"m", 60'000},
    {"s", 1'000},
    {"ms", 1},
}};
}

std::optional<std::chrono::milliseconds> parse_duration(std::string_view text) {
    std::int64_t number = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), number);
    if (ec != std::errc{} || end == text.data() || number < 0) return std::nullopt;
    std::string_view unit(end, static_cast<std::size_t>(text.data() + text.size() - end));
    for (const auto& [name, factor] : units) {
        if (unit != name) continue;
        if (number > std::numeric_limits<std::int64_t>::max() / factor) return std::nullopt;
        return std::chrono::milliseconds(number * factor);
    }
    return std::nullopt;
}

std::string format_duration(std::chrono::milliseconds d) {
    const std::int64_t ms = d.count();
    for (const auto& [name, factor] : units)
        if (ms != 0 && ms % factor == 0) return std::to_string(ms / factor) + std::string(name);
    return std::to_string(ms) + "ms";
}

}  // namespace rcbatch::config
