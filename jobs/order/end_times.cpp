#include "jobs/order/end_times.hpp"

#include "jobs/api/result_fields.hpp"
#include "jobs/api/text_fields.hpp"
#include "jobs/money/charges.hpp"
#include "jobs/money/term.hpp"
#include "jobs/order/preflight.hpp"

namespace rcbatch::jobs {

void add_end_times(const ActionSpec& spec, const std::vector<CallParam>& params,
                   engine::OrderResult& result) {
    boost::json::object& f = result.fields;
    if (!f.contains("endtime_after") && f.contains("endtime")) f["endtime_after"] = f["endtime"];
    const auto before = parse_whole(string_field(f, "endtime_before"));
    const auto months = term_months(params);
    if (!f.contains("endtime_after") && estimates_charges(spec) &&
        result.outcome == engine::Outcome::ok && string_field(f, "change") == "applied" && before &&
        months) {
        f["endtime_after"] = std::to_string(add_months(*before, static_cast<int>(*months)));
        f["endtime_after_from"] = "endtime_before + months (the reply has no end time)";
    }
    for (const char* key : {"endtime_before", "endtime_after"})
        if (const auto* v = f.if_contains(key))
            if (auto iso = unix_seconds_to_iso(*v)) f[std::string(key) + "_iso"] = *iso;
}

}  // namespace rcbatch::jobs
