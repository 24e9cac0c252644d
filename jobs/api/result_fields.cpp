#include "jobs/api/result_fields.hpp"

#include "engine/report/report_writer.hpp"
#include "engine/secret/redact.hpp"
#include "jobs/api/text_fields.hpp"

#include <algorithm>
#include <charconv>
#include <chrono>

namespace rcbatch::jobs {

namespace json = boost::json;

namespace {

// `v` with every string in it redacted (engine/secret/redact.hpp): a server may echo the key in any
// field, and these fields reach every file and the ledger.
json::value redacted(const json::value& v) {
    if (const json::string* s = v.if_string()) return json::string(engine::redact(*s));
    if (const json::array* a = v.if_array()) {
        json::array out;
        for (const json::value& item : *a) out.push_back(redacted(item));
        return out;
    }
    if (const json::object* o = v.if_object()) {
        json::object out;
        for (const auto& [key, item] : *o) out[key] = redacted(item);
        return out;
    }
    return v;
}

bool is_endtime_key(std::string_view key) {
    return key == "endtime" || (key.size() > 8 && key.ends_with(".endtime"));
}

// Fields an action object (renew, delete) always reports, whatever the spec lists.
constexpr std::string_view action_object_fields[] = {"eaqid", "actionstatus", "invoiceid"};

}  // namespace

bool is_secret_field(std::string_view name) noexcept {
    const std::string n = engine::ascii_lower(name);
    return n == "autologinurl" || n.find("password") != std::string::npos ||
           n.find("token") != std::string::npos || n.find("api-key") != std::string::npos ||
           n.find("apikey") != std::string::npos;
}

std::optional<std::string> unix_seconds_to_iso(const json::value& v) {
    std::int64_t seconds = 0;
    if (v.is_int64()) {
        seconds = v.get_int64();
    } else if (v.is_uint64() && v.get_uint64() <= static_cast<std::uint64_t>(INT64_MAX)) {
        seconds = static_cast<std::int64_t>(v.get_uint64());
    } else if (v.is_string()) {
        const json::string& s = v.get_string();
        if (s.empty()) return std::nullopt;
        const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), seconds);
        if (ec != std::errc{} || end != s.data() + s.size()) return std::nullopt;
    } else {
        return std::nullopt;
    }
    // Year 0..9999 only: beyond that the text would not be ISO-8601 (and is not a real date).
    constexpr std::int64_t max_seconds = 253402300799;  // 9999-12-31T23:59:59Z
    if (seconds < 0 || seconds > max_seconds) return std::nullopt;
    return engine::iso8601_utc_seconds(std::chrono::sys_seconds(std::chrono::seconds(seconds)));
}

json::object pick_fields(const ActionSpec& spec, const json::value& reply, bool keep_secrets) {
    json::object out;
    if (!reply.is_object()) {
        if (!reply.is_null()) out["value"] = redacted(reply);
        return out;
    }
    const json::object& obj = reply.get_object();
    const auto take = [&](std::string_view key) {
        const json::value* v = obj.if_contains(key);
        if (v == nullptr || out.contains(key)) return;
        out[key] = (is_secret_field(key) && !keep_secrets) ? json::value("***") : redacted(*v);
        if (is_endtime_key(key))
            if (auto iso = unix_seconds_to_iso(*v)) out[std::string(key) + "_iso"] = *iso;
    };
    for (std::string_view key : spec.result_fields) take(key);
    if (obj.contains("eaqid"))
        for (std::string_view key : action_object_fields) take(key);
    return out;
}

}  // namespace rcbatch::jobs
