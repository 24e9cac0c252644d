#pragma once
// The [params] table of a job, checked against the action's parameter schema.

#include "config/job.hpp"
#include "config/toml_reader.hpp"
#include "jobs/actions/action_spec.hpp"

#include <vector>

namespace rcbatch::config {

// Reads every parameter of `spec` from `params` (null when the job has no [params]): unknown
// names, wrong types, values out of range or not allowed, and missing required ones are errors
// (a required one named in `from_file`, a target file's columns, may come from the file alone).
std::vector<Param> read_params(const jobs::ActionSpec& spec, const toml::table* params,
                               TomlReader& job_root,
                               const std::vector<std::string>& from_file = {});

}  // namespace rcbatch::config
