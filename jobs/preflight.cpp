#include "jobs/preflight.hpp"

#include "jobs/registry.hpp"
#include "jobs/text_fields.hpp"

#include <charconv>
#include <cstdio>

namespace rcbatch::jobs {

namespace {
std::string hours_text(std::int64_t seconds) {
    if (seconds < 3600) return std::to_string(seconds / 60) + " min";
    return std::to_string(seconds / 3600) + " h";
}

PreflightVerdict skip(std::string reason, OrderState state) {
    return {false, std::move(reason), std::move(state)};
}

PreflightVerdict judge_resend(std::string_view order_id, const boost::json::object& d,
                              const PreflightOptions& o, std::int64_t now, OrderState state) {
    if (state.status == "InActive" || state.status == "Deleted")
        return skip("domain is " + state.status, state);
    const std::string email = string_field(d, o.email_field);
    const std::string ekyc = string_field(d, o.ekyc_field);
    if (email.empty() && ekyc.empty())
        return skip("no verification status (" + o.email_field + ", " + o.ekyc_field +
                        "): not a NIXI domain",
                    state);
    if (ekyc == "Pending Partner Confirmation") return skip("eKYC Pending Partner Confirmation", state);
    if (email != "Pending" && ekyc != "Pending")
        return skip("nothing pending (e-mail " + email + ", eKYC " + ekyc + ")", state);
    if (o.min_interval && o.last_resent) {
        auto it = o.last_resent->find(std::string(order_id));
        if (it != o.last_resent->end() && now - it->second < o.min_interval->count())
            return skip("resent " + hours_text(now - it->second) + " ago by this job (min-interval " +
                            hours_text(o.min_interval->count()) + ")",
                        state);
    }
    return {true, "", state};
}
}  // namespace

const ActionSpec* preflight_reader(const ActionSpec& spec) {
    if (spec.name == "nixi.resend") return find_action("domain.details");
    if (spec.name == "backup.renew" || spec.name == "backup.delete" ||
        spec.name == "backup.install-agent")
        return find_action("backup.details");
    return nullptr;
}

OrderState state_of(const boost::json::object& details) {
    return {string_field(details, "currentstatus"), string_field(details, "endtime")};
}

boost::json::object details_of(const OrderState& state) {
    return {{"currentstatus", state.status}, {"endtime", state.endtime}};
}

PreflightVerdict judge(const ActionSpec& spec, std::string_view order_id,
                       const boost::json::object& details, const PreflightOptions& options,
                       std::int64_t now) {
    OrderState state = state_of(details);
    if (spec.name == "nixi.resend") return judge_resend(order_id, details, options, now, state);
    if (spec.name == "backup.delete") {
        if (state.status == "Deleted") return skip("already Deleted", state);
        return {true, "", state};
    }
    if (state.status != "Active") return skip("order is " + (state.status.empty() ? "of unknown status" : state.status), state);
    if (spec.name == "backup.renew" && options.renew_if_expires_within) {
        auto end = parse_whole(state.endtime);
        if (!end) return skip("no end time in the order's details", state);
        if (*end > now + options.renew_if_expires_within->count())
            return skip("ends " + date_of(state.endtime) + ", not within renew-if-expires-within", state);
    }
    return {true, "", state};
}

std::string staleness(const OrderState& planned, const OrderState& now) {
    if (planned.status != now.status) return "status changed since the plan: " + planned.status + " -> " + now.status;
    if (planned.endtime != now.endtime)
        return "end time moved since the plan: " + date_of(planned.endtime) + " -> " + date_of(now.endtime);
    return "";
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
