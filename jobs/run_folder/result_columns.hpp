#pragma once
// Which reply fields get a column of their own in results.csv / plan.csv, for an action.

#include "jobs/actions/action_spec.hpp"

#include <string>
#include <vector>

namespace rcbatch::jobs {

// The preflight's status and endtime_before (when the action has a preflight), the request
// (a dry run), then the action's result fields (and a renewal's planid and estimate), the
// ISO-8601 forms of the end times (and a renewal's end time after), then `target_columns` (a target
// file's own parameter and kept columns) that are not among them.
std::vector<std::string> result_field_columns(const ActionSpec& spec, bool dry_run,
                                              const std::vector<std::string>& target_columns = {});

}  // namespace rcbatch::jobs
