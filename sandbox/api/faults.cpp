#include "sandbox/api/faults.hpp"

#include "sandbox/data/prng.hpp"

#include <array>
#include <charconv>
#include <stdexcept>

namespace rcbatch::sandbox {

namespace {

constexpr std::array<std::pair<FaultKind, std::string_view>, fault_kind_count> kind_names{{
    {FaultKind::none, "none"},
    {FaultKind::too_many_requests, "429"},
    {FaultKind::unavailable, "503"},
    {FaultKind::bad_gateway, "502"},
    {FaultKind::server_error_html, "500"},
    {FaultKind::close_before, "close-before"},
    {FaultKind::close_after, "close-after"},
    {FaultKind::stall, "stall"},
    {FaultKind::truncate, "truncate"},
    {FaultKind::apply_late, "apply-late"},
    {FaultKind::not_action, "not-action"},
    {FaultKind::huge_number, "huge-number"},
    {FaultKind::interim_continue, "continue"},
    {FaultKind::decline, "decline"},
}};

constexpr std::array<std::string_view, 4> not_action_bodies{"true", "42", "[]", "{}"};

std::string_view trim(std::string_view s) noexcept {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

std::optional<double> parse_rate(std::string_view s) noexcept {
    double v = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc{} || p != s.data() + s.size() || !(v >= 0.0 && v <= 1.0))
        return std::nullopt;
    return v;
}

// A whole number in [lo, hi]; nullopt otherwise.
std::optional<long long> parse_whole(std::string_view s, long long lo, long long hi) noexcept {
    long long n = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
    if (ec != std::errc{} || p != s.data() + s.size() || n < lo || n > hi) return std::nullopt;
    return n;
}

std::string format_ms(std::chrono::milliseconds d) { return std::to_string(d.count()) + "ms"; }

[[noreturn]] void bad(std::string_view item, std::string_view why) {
    throw std::invalid_argument("bad fault spec item '" + std::string(item) +
                                "': " + std::string(why));
}

void parse_latency(FaultSpec& spec, std::string_view item, std::string_view value) {
    auto plus = value.find('+');
    auto fixed = parse_duration(trim(value.substr(0, plus)));
    if (!fixed) bad(item, "expected a duration such as 50ms or 50ms+10ms");
    spec.latency = *fixed;
    spec.jitter = std::chrono::milliseconds(0);
    if (plus != std::string_view::npos) {
        auto jitter = parse_duration(trim(value.substr(plus + 1)));
        if (!jitter) bad(item, "expected a duration such as 50ms or 50ms+10ms");
        spec.jitter = *jitter;
    }
}

// The settings of the server's clock and of which calls the rates hit; false when `key` is none.
bool parse_clock_setting(FaultSpec& spec, std::string_view item, std::string_view key,
                         std::string_view value) {
    constexpr long long ten_years = 10LL * 366 * 86400;
    if (key == "clock-offset") {
        auto n = parse_whole(value, -ten_years, ten_years);
        if (!n) bad(item, "expected whole seconds, e.g. 3600 or -3600");
        spec.clock_offset = std::chrono::seconds(*n);
    } else if (key == "no-date") {
        auto n = parse_whole(value, 0, 1);
        if (!n) bad(item, "expected 0 or 1");
        spec.no_date = *n == 1;
    } else if (key == "only-action") {
        if (value.empty() || value.find_first_of(" ,=") != std::string_view::npos)
            bad(item, "expected an action name such as backup.renew");
        spec.only_action = std::string(value);
    } else {
        return false;
    }
    return true;
}

// A setting that is not a rate (latency, stall-time, ...); false when `key` is none.
bool parse_setting(FaultSpec& spec, std::string_view item, std::string_view key,
                   std::string_view value) {
    auto duration = [&](std::chrono::milliseconds& out) {
        auto d = parse_duration(value);
        if (!d) bad(item, "expected a duration such as 5s");
        out = *d;
    };
    auto whole = [&](long long hi, const char* what) {
        auto n = parse_whole(value, 0, hi);
        if (!n) bad(item, what);
        return *n;
    };
    if (key == "latency")
        parse_latency(spec, item, value);
    else if (key == "stall-time")
        duration(spec.stall_time);
    else if (key == "apply-delay")
        duration(spec.apply_delay);
    else if (key == "retry-after")
        spec.retry_after_seconds =
            static_cast<int>(whole(86400, "expected whole seconds from 0 to 86400"));
    else if (key == "deny-user") {
        if (value.empty() || value.find_first_not_of("0123456789") != std::string_view::npos)
            bad(item, "expected a numeric auth-userid");
        spec.deny_userid = std::string(value);
    } else if (key == "echo-key")
        spec.echo_key = whole(1, "expected 0 or 1") == 1;
    else if (key == "hide-actions")
        spec.hide_actions = whole(1, "expected 0 or 1") == 1;
    else if (key == "ignore-order-ids")
        spec.ignore_order_ids = whole(1, "expected 0 or 1") == 1;
    else if (key == "conn-cap")
        spec.conn_cap =
            static_cast<std::size_t>(whole(1000000, "expected a count from 0 to 1000000"));
    else if (key == "cap-after-read")
        spec.cap_after_read =
            static_cast<std::size_t>(whole(1000000, "expected a count from 0 to 1000000"));
    else if (key == "block-after")
        spec.block_after = static_cast<std::size_t>(whole(1000000000, "expected a count from 0"));
    else if (key == "accept-total")
        spec.accept_total = static_cast<std::size_t>(whole(1000000000, "expected a count from 0"));
    else
        return parse_clock_setting(spec, item, key, value);
    return true;
}

}  // namespace

std::string_view to_string(FaultKind k) noexcept {
    for (const auto& [kind, name] : kind_names)
        if (kind == k) return name;
    return "invalid";
}

std::optional<FaultKind> fault_kind_from_string(std::string_view s) noexcept {
    for (const auto& [kind, name] : kind_names)
        if (name == s && kind != FaultKind::none) return kind;
    return std::nullopt;
}

bool applies_action(FaultKind k) noexcept {
    return k == FaultKind::close_after || k == FaultKind::stall || k == FaultKind::truncate ||
           k == FaultKind::apply_late || k == FaultKind::huge_number ||
           k == FaultKind::interim_continue;
}

FaultKind fault_for_call(FaultKind k, bool change, bool records_action) noexcept {
    if ((k == FaultKind::apply_late || k == FaultKind::huge_number || k == FaultKind::decline) &&
        !records_action)
        return FaultKind::none;
    if (k == FaultKind::not_action && !change) return FaultKind::none;
    return k;
}

std::optional<std::chrono::milliseconds> parse_duration(std::string_view text) noexcept {
    long long n = 0;
    const char* end = text.data() + text.size();
    auto [p, ec] = std::from_chars(text.data(), end, n);
    if (ec != std::errc{} || p == text.data() || n < 0) return std::nullopt;
    std::string_view unit(p, static_cast<std::size_t>(end - p));
    if (unit.empty() || unit == "ms") return std::chrono::milliseconds(n);
    if (unit == "s" && n <= 24LL * 3600) return std::chrono::seconds(n);
    return std::nullopt;
}

FaultSpec parse_fault_spec(std::string_view text) {
    FaultSpec spec;
    double total = 0;
    std::string_view rest = text;
    while (!trim(rest).empty()) {
        auto comma = rest.find(',');
        std::string_view item = trim(rest.substr(0, comma));
        rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
        if (item.empty()) bad(item, "empty item");
        auto eq = item.find('=');
        if (eq == std::string_view::npos) bad(item, "expected KIND=VALUE");
        std::string_view key = trim(item.substr(0, eq));
        std::string_view value = trim(item.substr(eq + 1));
        if (auto kind = fault_kind_from_string(key)) {
            auto rate = parse_rate(value);
            if (!rate) bad(item, "the rate must be a number from 0 to 1");
            total += *rate - spec.rate(*kind);
            spec.set_rate(*kind, *rate);
        } else if (!parse_setting(spec, item, key, value)) {
            bad(item,
                "unknown kind; expected 429, 503, 502, 500, close-before, close-after, stall, "
                "truncate, apply-late, not-action, huge-number, continue, decline, latency, "
                "stall-time, apply-delay, retry-after, deny-user, echo-key, hide-actions, "
                "ignore-order-ids, conn-cap, cap-after-read, block-after, accept-total, "
                "clock-offset, no-date or "
                "only-action");
        }
    }
    if (total > 1.0 + 1e-9)
        throw std::invalid_argument("bad fault spec: the rates add up to more than 1");
    return spec;
}

std::string format_fault_spec(const FaultSpec& spec) {
    std::string out;
    auto add = [&](std::string item) {
        if (!out.empty()) out += ',';
        out += item;
    };
    for (const auto& [kind, name] : kind_names) {
        if (kind == FaultKind::none || spec.rate(kind) == 0.0) continue;
        char buf[32];
        auto [p, ec] = std::to_chars(buf, buf + sizeof buf, spec.rate(kind));
        add(std::string(name) + "=" + std::string(buf, p));
    }
    const FaultSpec defaults;
    if (spec.latency.count() != 0 || spec.jitter.count() != 0)
        add("latency=" + format_ms(spec.latency) + "+" + format_ms(spec.jitter));
    if (spec.stall_time != defaults.stall_time) add("stall-time=" + format_ms(spec.stall_time));
    if (spec.apply_delay != defaults.apply_delay) add("apply-delay=" + format_ms(spec.apply_delay));
    if (spec.retry_after_seconds != defaults.retry_after_seconds)
        add("retry-after=" + std::to_string(spec.retry_after_seconds));
    if (!spec.deny_userid.empty()) add("deny-user=" + spec.deny_userid);
    if (spec.echo_key) add("echo-key=1");
    if (spec.hide_actions) add("hide-actions=1");
    if (spec.ignore_order_ids) add("ignore-order-ids=1");
    if (spec.conn_cap != 0) add("conn-cap=" + std::to_string(spec.conn_cap));
    if (spec.cap_after_read != 0) add("cap-after-read=" + std::to_string(spec.cap_after_read));
    if (spec.block_after != 0) add("block-after=" + std::to_string(spec.block_after));
    if (spec.clock_offset.count() != 0)
        add("clock-offset=" + std::to_string(spec.clock_offset.count()));
    if (spec.no_date) add("no-date=1");
    if (!spec.only_action.empty()) add("only-action=" + spec.only_action);
    if (spec.accept_total != 0) add("accept-total=" + std::to_string(spec.accept_total));
    return out;
}

FaultDecision decide_fault(const FaultSpec& spec, std::uint64_t seed, std::uint64_t order_id,
                           std::string_view action, std::uint64_t attempt) noexcept {
    std::uint64_t h =
        hash_combine(hash_combine(hash_combine(mix64(seed), order_id), hash_text(action)), attempt);
    FaultDecision d;
    d.delay = spec.latency;
    if (spec.jitter.count() > 0)
        d.delay += std::chrono::milliseconds(
            static_cast<std::int64_t>(mix64(h ^ 0x6a09e667f3bcc909ULL) %
                                      static_cast<std::uint64_t>(spec.jitter.count() + 1)));
    d.variant = static_cast<int>(mix64(h ^ 0xbb67ae8584caa73bULL) % not_action_bodies.size());
    const double u = unit_interval(h);
    double cumulative = 0;
    for (int i = 1; i < fault_kind_count; ++i) {
        cumulative += spec.rates[i];
        if (spec.rates[i] > 0 && u < cumulative) {
            d.kind = static_cast<FaultKind>(i);
            break;
        }
    }
    return d;
}

std::string_view not_action_body(int variant) noexcept {
    return not_action_bodies[static_cast<std::size_t>(variant) % not_action_bodies.size()];
}

}  // namespace rcbatch::sandbox
