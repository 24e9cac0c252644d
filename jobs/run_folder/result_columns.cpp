#include "jobs/run_folder/result_columns.hpp"

#include "jobs/money/charges.hpp"
#include "jobs/order/preflight.hpp"

#include <algorithm>

namespace rcbatch::jobs {

std::vector<std::string> result_field_columns(const ActionSpec& spec, bool dry_run,
                                              const std::vector<std::string>& target_columns) {
    std::vector<std::string> columns;
    if (preflight_reader(spec)) columns.insert(columns.end(), {"status", "endtime_before"});
    if (dry_run) columns.emplace_back("request");
    for (std::string_view f : spec.result_fields) columns.emplace_back(f);
    if (estimates_charges(spec))
        columns.insert(columns.end(), {"planid", "estimate", "estimate_currency"});
    if (spec.costs_money && !dry_run)  // charge_summary.hpp
        columns.insert(columns.end(), {"charge", "charge_currency", "charge_from"});
    if (preflight_reader(spec))
        columns.emplace_back("endtime_before_iso");  // Unix times, readable too
    if (estimates_charges(spec))
        columns.insert(columns.end(), {"endtime_after", "endtime_after_iso"});
    for (const std::string& c : target_columns)
        if (std::find(columns.begin(), columns.end(), c) == columns.end()) columns.push_back(c);
    return columns;
}

}  // namespace rcbatch::jobs
