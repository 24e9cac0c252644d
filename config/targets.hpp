#pragma once
// The [targets] table of a job: exactly one source of orders.

#include "config/job.hpp"
#include "config/toml_reader.hpp"

namespace rcbatch::config {

// Reads [targets] (null when absent) for an action that takes `kind` of targets. A file
// source is opened and every line checked, so `validate` reports a bad line by its number.
Targets read_targets(const toml::table* targets, jobs::TargetKind kind,
                     const std::filesystem::path& job_dir, TomlReader& job_root);

}  // namespace rcbatch::config
