#include "jobs/result_columns.hpp"

#include "jobs/preflight.hpp"

namespace rcbatch::jobs {

std::vector<std::string> result_field_columns(const ActionSpec& spec, bool dry_run) {
    std::vector<std::string> columns;
    if (preflight_reader(spec)) columns.insert(columns.end(), {"status", "endtime_before"});
    if (dry_run) columns.emplace_back("request");
    for (std::string_view f : spec.result_fields) columns.emplace_back(f);
    return columns;
}

}  // namespace rcbatch::jobs
