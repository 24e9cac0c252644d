#pragma once
// Which reply fields get a column of their own in results.csv / plan.csv, for an action.

#include "jobs/action_spec.hpp"

#include <string>
#include <vector>

namespace rcbatch::jobs {

// The preflight's status and endtime_before (when the action has a preflight), the request
// (a dry run), then the action's result fields.
std::vector<std::string> result_field_columns(const ActionSpec& spec, bool dry_run);

}  // namespace rcbatch::jobs
