#include "jobs/order/preflight.hpp"

#include "jobs/actions/action_behaviour.hpp"
#include "jobs/actions/registry.hpp"
#include "jobs/api/text_fields.hpp"

#include <charconv>
#include <cstdio>

namespace rcbatch::jobs {

std::string hours_text(std::int64_t seconds) {
    if (seconds < 3600) return std::to_string(seconds / 60) + " min";
    return std::to_string(seconds / 3600) + " h";
}

PreflightVerdict skip(std::string reason, OrderState state) {
    return {false, std::move(reason), std::move(state)};
}

PreflightVerdict require_active(const OrderState& state) {
    if (state.status != "Active")
        return skip("order is " + (state.status.empty() ? "of unknown status" : state.status),
                    state);
    return {true, "", state};
}

const ActionSpec* preflight_reader(const ActionSpec& spec) { return reader_of(spec); }

OrderState state_of(const boost::json::object& details) {
    return {string_field(details, "currentstatus"), string_field(details, "endtime"),
            string_field(details, "planid")};
}

boost::json::object details_of(const OrderState& state) {
    boost::json::object o{{"currentstatus", state.status}, {"endtime", state.endtime}};
    if (!state.planid.empty()) o["planid"] = state.planid;
    if (!state.fields.empty()) {
        boost::json::object fields;
        for (const auto& [ref, text] : state.fields) fields[ref] = text;
        o["fields"] = std::move(fields);
    }
    return o;
}

OrderState saved_state(const boost::json::object& saved) {
    OrderState state = state_of(saved);
    if (const auto* fields = saved.if_contains("fields"); fields && fields->is_object())
        for (const auto& [ref, text] : fields->get_object())
            if (text.is_string()) state.fields[std::string(ref)] = std::string(text.get_string());
    return state;
}

PreflightVerdict judge(const ActionSpec& spec, std::string_view order_id,
                       const boost::json::object& details, const PreflightOptions& options,
                       std::int64_t now, const std::vector<CallParam>& params) {
    const ActionBehaviour& b = behaviour_of(spec);
    if (!b.preflight) return {true, "", state_of(details)};
    return b.preflight(order_id, details, options, now, params);
}

std::optional<std::string> staleness(const OrderState& planned, const OrderState& now) {
    if (planned.status != now.status)
        return "status changed since the plan: " + planned.status + " -> " + now.status;
    if (planned.endtime != now.endtime)
        return "end time moved since the plan: " + date_of(planned.endtime) + " -> " +
               date_of(now.endtime);
    for (const auto& [ref, text] : planned.fields) {
        auto it = now.fields.find(ref);
        const std::string is = it == now.fields.end() ? "" : it->second;
        if (is != text) return ref + " changed since the plan: " + text + " -> " + is;
    }
    return std::nullopt;
}

std::int64_t add_months(std::int64_t unix_seconds, int months) {
    using namespace std::chrono;
    const sys_seconds t{seconds{unix_seconds}};
    const sys_days day = floor<days>(t);
    const auto time_of_day = t - day;
    year_month_day ymd{day};
    ymd += std::chrono::months{months};
    if (!ymd.ok()) ymd = ymd.year() / ymd.month() / last;  // Jan 31 + 1 month = Feb 28/29
    return (sys_days{ymd} + time_of_day).time_since_epoch().count();
}

std::string date_of(const std::string& unix_seconds) {
    auto n = parse_whole(unix_seconds);
    if (!n) return unix_seconds;
    using namespace std::chrono;
    const year_month_day ymd{floor<days>(sys_seconds{seconds{*n}})};
    char out[16];
    std::snprintf(out, sizeof out, "%04d-%02u-%02u", static_cast<int>(ymd.year()),
                  static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
    return out;
}

}  // namespace rcbatch::jobs
