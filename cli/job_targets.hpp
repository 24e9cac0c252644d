#pragma once
// A job's targets as `rcbatch run` and `rcbatch plan` use them: a streaming source or a search
// in the run's request, and the one line a plan's binding keeps of them.

#include "config/job.hpp"
#include "jobs/run/run_request.hpp"

#include <string>
#include <vector>

namespace rcbatch::cli {

// The job's targets as a streaming source, or as a search; neither for a listing action.
void set_targets(const config::Job& job, jobs::RunRequest& request,
                 const std::vector<std::string>& nixi_product_keys);

// The job's target source, for a plan's binding: what it names and a digest of its content.
std::string targets_description(const config::Targets& t);

}  // namespace rcbatch::cli
