#pragma once
// An order's end times in its record: "endtime_after" from the reply (its "endtime"), else,
// for a renewal the reply applied without one, the end time before plus the months asked
// for (with "endtime_after_from" saying so); each with its ISO-8601 "<key>_iso". Pure.

#include "engine/batch/order_result.hpp"
#include "jobs/actions/action_spec.hpp"
#include "jobs/api/request_builder.hpp"

#include <vector>

namespace rcbatch::jobs {

void add_end_times(const ActionSpec& spec, const std::vector<CallParam>& params,
                   engine::OrderResult& result);

}  // namespace rcbatch::jobs
