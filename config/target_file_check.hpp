#pragma once
// A job's `[targets] file`, checked line by line before anything runs: every target, every
// parameter cell (with the parameter's own rules) and every column (README "Per-order
// parameters"), each problem as FILE:LINE:COL.

#include "config/job.hpp"
#include "config/toml_reader.hpp"

#include <string>
#include <vector>

namespace rcbatch::config {

// The names of the columns a target file gives beside the target: a CSV header's, or the
// members of the first JSON line. Empty for a plain list or a file that cannot be read.
std::vector<std::string> target_file_columns(const std::filesystem::path& file);

// Checks `job.targets.file` against the job (its action, [params] and keep-columns); each
// problem is a diagnostic (at most a screenful, then a count). `targets` is the job's
// [targets] table, for problems of the file as a whole; `seen_keys` makes the index of repeated
// orders.
void check_target_file(const Job& job, const toml::table& targets, TomlReader& job_root,
                       const jobs::SeenKeysMaker& seen_keys);

// The order ids of an `exclude-file` (ids one a line, or a CSV or JSON Lines with an
// order-id column; other columns are ignored), read with the checks of a target file: each
// line that is not an order id is a diagnostic at FILE:LINE:COL, a file that cannot be read
// one at `targets` (the [targets] table's reader) key exclude-file. An empty file is no error.
std::vector<std::int64_t> read_exclude_file(const std::filesystem::path& file, TomlReader& targets);

}  // namespace rcbatch::config
