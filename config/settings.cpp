#include "config/settings.hpp"

#include <cmath>
#include <cstdio>

namespace rcbatch::config::settings {

namespace {

std::string number_text(double v) {
    char text[64];
    if (std::floor(v) == v && std::fabs(v) < 1e15)
        std::snprintf(text, sizeof text, "%.0f", v);
    else
        std::snprintf(text, sizeof text, "%g", v);
    return text;
}

std::string quoted(std::string_view where, std::string_view key, std::string_view also = {}) {
    std::string out = "`" + std::string(where) + std::string(key) + "`";
    if (!also.empty()) out += " (" + std::string(also) + ")";
    return out;
}

Row row(std::string key, const IntegerSetting& s) {
    return {std::move(key), std::to_string(s.min), std::to_string(s.max),
            s.fallback ? std::to_string(*s.fallback) : "none"};
}

Row row(std::string key, const NumberSetting& s) {
    return {std::move(key), number_text(s.min), number_text(s.max),
            s.fallback ? number_text(*s.fallback) : "none"};
}

Row row(std::string key, const DurationSetting& s) {
    return {std::move(key), format_duration(s.range.min), format_duration(s.range.max),
            s.fallback ? format_duration(*s.fallback) : "none"};
}

}  // namespace

std::vector<Row> rows() {
    constexpr std::string_view defaults_too = "`[defaults]` too";
    return {
        row(quoted("run.", concurrency.key, defaults_too), concurrency),
        row(quoted("run.", rate.key, defaults_too), rate),
        row(quoted("run.", timeout.key, defaults_too), timeout),
        row(quoted("run.", max_orders.key, defaults_too), max_orders),
        row(quoted("run.", max_charge.key, defaults_too), max_charge),
        row(quoted("run.retry.", retry_attempts.key, defaults_too), retry_attempts),
        row(quoted("run.retry.", retry_base.key, defaults_too), retry_base),
        row(quoted("run.retry.", retry_max.key, defaults_too), retry_max),
        row(quoted("", min_interval.key), min_interval),
        row(quoted("", renew_if_expires_within.key), renew_if_expires_within),
        row(quoted("targets.search.", expires_within.key), expires_within),
        row(quoted("targets.search.", expired_since.key), expired_since),
        row(quoted("", repeat_guard.key, "a profile's too"), repeat_guard),
        row(quoted("", reconcile_settle.key, "a profile's too"), reconcile_settle),
        row(quoted("profiles.NAME.", action_scan_max_age.key), action_scan_max_age),
        row(quoted("profiles.NAME.", batch_read_size.key), batch_read_size),
        row(quoted("profiles.NAME.", batch_read_max_age.key), batch_read_max_age),
    };
}

std::string range_text(const IntegerSetting& s) {
    return "from " + std::to_string(s.min) + " to " + std::to_string(s.max);
}

std::string range_text(const NumberSetting& s) {
    return "from " + number_text(s.min) + " to " + number_text(s.max);
}

}  // namespace rcbatch::config::settings
