#pragma once
// The [params] table of a job, checked against the action's parameter schema.

#include "config/job.hpp"
#include "config/toml_reader.hpp"
#include "jobs/action_spec.hpp"

#include <vector>

namespace rcbatch::config {

// Reads every parameter of `spec` from `params` (null when the job has no [params]): unknown
// names, wrong types, values out of range or not allowed, and missing required ones are errors.
std::vector<Param> read_params(const jobs::ActionSpec& spec, const toml::table* params,
                               TomlReader& job_root);

}  // namespace rcbatch::config
