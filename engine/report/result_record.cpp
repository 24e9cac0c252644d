#include "engine/report/result_record.hpp"

#include <cstdio>

namespace rcbatch::engine {

namespace json = boost::json;

namespace {
// Two digits of v (< 100).
char* put2(char* p, unsigned v) {
    p[0] = static_cast<char>('0' + v / 10 % 10);
    p[1] = static_cast<char>('0' + v % 10);
    return p + 2;
}

// Written digit by digit: it runs twice per order, and snprintf was a tenth of the CPU per order.
std::string format_iso(std::chrono::sys_time<std::chrono::milliseconds> ms, bool with_millis) {
    using namespace std::chrono;
    const auto day = floor<days>(ms);
    const year_month_day ymd{day};
    const hh_mm_ss hms{ms - day};
    const int year = int(ymd.year());
    char buf[48];
    char* p = buf;
    if (year >= 0 && year <= 9999) {
        p = put2(p, unsigned(year) / 100);
        p = put2(p, unsigned(year) % 100);
    } else {
        p += std::snprintf(buf, sizeof buf, "%04d", year);
    }
    *p++ = '-';
    p = put2(p, unsigned(ymd.month()));
    *p++ = '-';
    p = put2(p, unsigned(ymd.day()));
    *p++ = 'T';
    p = put2(p, unsigned(hms.hours().count()));
    *p++ = ':';
    p = put2(p, unsigned(hms.minutes().count()));
    *p++ = ':';
    p = put2(p, unsigned(hms.seconds().count()));
    if (with_millis) {
        const auto milli = unsigned(hms.subseconds().count());
        *p++ = '.';
        *p++ = static_cast<char>('0' + milli / 100);
        p = put2(p, milli % 100);
    }
    *p++ = 'Z';
    return std::string(buf, p);
}
}  // namespace

std::string iso8601_utc(std::chrono::system_clock::time_point t, bool with_millis) {
    return format_iso(std::chrono::floor<std::chrono::milliseconds>(t), with_millis);
}

std::string iso8601_utc_seconds(std::chrono::sys_seconds t) {
    return format_iso(std::chrono::sys_time<std::chrono::milliseconds>(t), false);
}

json::value time_json(std::chrono::system_clock::time_point t) {
    if (t == std::chrono::system_clock::time_point{}) return nullptr;
    return json::string(iso8601_utc(t, true));
}

std::optional<std::chrono::system_clock::time_point> parse_iso8601_utc(std::string_view text) {
    using namespace std::chrono;
    int y = 0, mo = 0, d = 0, h = 0, mi = 0, sec = 0, ms = 0, used = 0;
    const std::string s(text);
    if (std::sscanf(s.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%n", &y, &mo, &d, &h, &mi, &sec, &used) != 6)
        return std::nullopt;
    std::string_view rest = text.substr(static_cast<std::size_t>(used));
    if (rest.size() == 5 && rest[0] == '.') {
        if (std::sscanf(s.c_str() + used, ".%3dZ", &ms) != 1) return std::nullopt;
    } else if (rest != "Z") {
        return std::nullopt;
    }
    const year_month_day ymd{year{y}, month{static_cast<unsigned>(mo)},
                             day{static_cast<unsigned>(d)}};
    // The years a system_clock time_point holds (nanoseconds: 1678..2262), and no negative
    // field: sscanf's %2d reads "-1" (found by fuzz/fuzz_journal_scan).
    if (y < 1970 || y > 2200 || h < 0 || mi < 0 || sec < 0 || ms < 0) return std::nullopt;
    if (!ymd.ok() || h > 23 || mi > 59 || sec > 60) return std::nullopt;
    return sys_days{ymd} + hours{h} + minutes{mi} + seconds{sec} + milliseconds{ms};
}

json::object to_json(const OrderResult& r) {
    json::object o;
    o["seq"] = r.seq;
    o["order"] = r.order_id.empty() ? json::value(nullptr) : json::value(r.order_id);
    o["target"] = r.target;
    o["action"] = r.action;
    o["outcome"] = to_string(r.outcome);
    o["http_status"] = r.http_status;
    o["message"] = r.message;
    o["fields"] = r.fields;
    o["attempts"] = r.attempts;
    o["reconciled"] = r.reconciled;
    if (!r.retry_stop.empty()) o["retry_stop"] = r.retry_stop;
    o["latency_ms"] = r.latency.count();
    o["started"] = time_json(r.started);
    o["finished"] = time_json(r.finished);
    return o;
}

OrderResult from_json(const json::object& o) {
    OrderResult r;
    auto text = [&](std::string_view key) -> std::string {
        const json::value* v = o.if_contains(key);
        return v && v->is_string() ? std::string(v->get_string()) : std::string{};
    };
    auto number = [&](std::string_view key) -> std::int64_t {
        const json::value* v = o.if_contains(key);
        if (!v) return 0;
        if (v->is_int64()) return v->get_int64();
        if (v->is_uint64()) return static_cast<std::int64_t>(v->get_uint64());
        return 0;
    };
    auto time = [&](std::string_view key) {
        return parse_iso8601_utc(text(key)).value_or(std::chrono::system_clock::time_point{});
    };
    r.seq = static_cast<std::uint64_t>(number("seq"));
    r.target = text("target");
    r.order_id = text("order");
    r.action = text("action");
    r.outcome = outcome_from_string(text("outcome")).value_or(Outcome::unknown);
    r.http_status = static_cast<int>(number("http_status"));
    r.message = text("message");
    if (const json::value* f = o.if_contains("fields"); f && f->is_object())
        r.fields = f->get_object();
    r.attempts = static_cast<int>(number("attempts"));
    r.retries = static_cast<int>(number("retries"));
    if (const json::value* v = o.if_contains("reconciled"); v && v->is_bool())
        r.reconciled = v->get_bool();
    r.retry_stop = text("retry_stop");
    r.latency = std::chrono::milliseconds(number("latency_ms"));
    r.started = time("started");
    r.finished = time("finished");
    return r;
}

}  // namespace rcbatch::engine
