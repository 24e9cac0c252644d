#include "engine/batch/retry_policy.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdint>

namespace rcbatch::engine {

namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil).
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) noexcept {
    y -= m <= 2;
    const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
    const auto yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

std::optional<std::int64_t> parse_digits(std::string_view s) noexcept {
    if (s.empty() || s.size() > 12) return std::nullopt;
    std::int64_t v = 0;
    for (char c : s) {
        if (c < '0' || c > '9') return std::nullopt;
        v = v * 10 + (c - '0');
    }
    return v;
}

int month_number(std::string_view s) noexcept {
    static constexpr std::array<std::string_view, 12> months{
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"};
    if (s.size() != 3) return 0;
    char lower[3];
    for (int i = 0; i < 3; ++i)
        lower[i] = static_cast<char>(std::tolower(static_cast<unsigned char>(s[i])));
    for (std::size_t i = 0; i < months.size(); ++i)
        if (std::string_view(lower, 3) == months[i]) return static_cast<int>(i) + 1;
    return 0;
}

std::string_view trim(std::string_view s) noexcept {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

}  // namespace

// The three HTTP-date forms share their parts: a weekday (ignored), a day, a month name, a
// year of 4 (or, in RFC 850, 2) digits and hh:mm:ss. Tokens are split on ' ', ',' and '-'.
std::optional<std::chrono::system_clock::time_point> parse_http_date(std::string_view s) noexcept {
    std::optional<std::int64_t> day, year, hh, mm, ss;
    int month = 0;
    int year_digits = 0;
    std::size_t i = 0;
    int tokens = 0;
    while (i < s.size()) {
        while (i < s.size() && (s[i] == ' ' || s[i] == ',' || s[i] == '-')) ++i;
        std::size_t j = i;
        while (j < s.size() && s[j] != ' ' && s[j] != ',' && s[j] != '-') ++j;
        if (j == i) break;
        std::string_view tok = s.substr(i, j - i);
        i = j;
        if (++tokens > 6) return std::nullopt;
        if (tok.find(':') != std::string_view::npos) {
            if (tok.size() != 8 || tok[2] != ':' || tok[5] != ':') return std::nullopt;
            hh = parse_digits(tok.substr(0, 2));
            mm = parse_digits(tok.substr(3, 2));
            ss = parse_digits(tok.substr(6, 2));
        } else if (auto n = parse_digits(tok)) {
            if (tok.size() == 4 && !year) {
                year = n, year_digits = 4;
            } else if (tok.size() <= 2 && !day) {
                day = n;
            } else if (tok.size() == 2 && !year) {
                year = n, year_digits = 2;
            } else {
                return std::nullopt;
            }
        } else if (int m = month_number(tok)) {
            if (month) return std::nullopt;
            month = m;
        } else if (tok != "GMT" && tok != "UTC" &&
                   !std::isalpha(static_cast<unsigned char>(tok[0]))) {
            return std::nullopt;
        }
    }
    if (!day || !year || !hh || !mm || !ss || month == 0) return std::nullopt;
    if (*day < 1 || *day > 31 || *hh > 23 || *mm > 59 || *ss > 60) return std::nullopt;
    std::int64_t y = *year;
    if (year_digits == 2) y += y >= 70 ? 1900 : 2000;
    const std::int64_t days =
        days_from_civil(y, static_cast<unsigned>(month), static_cast<unsigned>(*day));
    return std::chrono::system_clock::time_point(
        seconds(days * 86400 + *hh * 3600 + *mm * 60 + *ss));
}

milliseconds backoff_delay(const RetrySettings& settings, int failed_attempts,
                           double draw) noexcept {
    const milliseconds cap = std::max(settings.max, milliseconds(0));
    milliseconds ceiling = std::min(std::max(settings.base, milliseconds(0)), cap);
    for (int i = 1; i < failed_attempts && ceiling < cap; ++i)
        ceiling = ceiling > cap / 2 ? cap : ceiling * 2;
    draw = std::clamp(draw, 0.0, 1.0);
    const auto delay =
        milliseconds(static_cast<std::int64_t>(draw * static_cast<double>(ceiling.count())));
    return std::min(delay, ceiling);
}

std::optional<seconds> parse_retry_after(std::string_view value,
                                         std::chrono::system_clock::time_point now) noexcept {
    value = trim(value);
    if (value.empty()) return std::nullopt;
    if (std::isdigit(static_cast<unsigned char>(value.front()))) {
        if (auto n = parse_digits(value)) return seconds(*n);
        return std::nullopt;
    }
    const auto when = parse_http_date(value);
    if (!when) return std::nullopt;
    if (*when <= now) return seconds(0);
    // Round up: "not before" that instant.
    const auto ahead = std::chrono::ceil<seconds>(*when - now);
    return ahead;
}

bool may_retry(Outcome outcome, const HttpExchange& exchange, bool mutating) noexcept {
    switch (outcome) {
        case Outcome::transient:
            if (!mutating) return true;
            if (exchange.transport == Transport::not_sent) return true;
            if (exchange.transport != Transport::complete) return false;
            // Complete reply: 429/503 refused the request; any other transient answer
            // is an API error on the transient list — the API said it did not act.
            return true;
        case Outcome::ambiguous:
            return !mutating;
        default:
            return false;
    }
}

RetryDecision decide_retry(const RetrySettings& settings, int attempts_made, Outcome outcome,
                           const HttpExchange& exchange, bool mutating, double draw,
                           std::chrono::system_clock::time_point now) noexcept {
    if (outcome != Outcome::transient && outcome != Outcome::ambiguous)
        return {RetryStop::final_outcome, milliseconds(0)};
    if (!may_retry(outcome, exchange, mutating))
        return {RetryStop::unsafe_to_repeat, milliseconds(0)};
    if (attempts_made >= settings.attempts) return {RetryStop::attempts_exhausted, milliseconds(0)};
    milliseconds delay = backoff_delay(settings, attempts_made, draw);
    if (auto after = parse_retry_after(exchange.retry_after, now)) {
        if (*after > settings.max) return {RetryStop::retry_after_too_long, milliseconds(0)};
        delay = std::max<milliseconds>(delay, *after);
    }
    return {RetryStop::none, delay};
}

std::string_view to_string(RetryStop stop) noexcept {
    switch (stop) {
        case RetryStop::none:
            return "retry";
        case RetryStop::final_outcome:
            return "final outcome";
        case RetryStop::unsafe_to_repeat:
            return "may have been processed: not repeated";
        case RetryStop::attempts_exhausted:
            return "attempts exhausted";
        case RetryStop::retry_after_too_long:
            return "Retry-After longer than retry.max";
    }
    return "?";
}

}  // namespace rcbatch::engine
