#pragma once
// The command that runs a job again as this command line did, for the hints rcbatch prints
// ("continue it with: ... --resume DIR", "run it with: ... --plan DIR"): each can be pasted.

#include "cli/run_setup.hpp"
#include "engine/text/shell_word.hpp"

#include <string>

namespace rcbatch::cli {

using engine::shell_word;

// "rcbatch run JOB [--profile P] [--config F] [--sandbox] [--live] [--concurrency N]
// [--rate R] [--report-dir D]": the job's path and the flags that shape a run, as given.
std::string rerun_command(const RunFlags& flags);

// "rcbatch settle" as the run's doubts are settled later, from any folder: the run's
// --profile, the profile file it used as an absolute --config, and RCBATCH_STATE_DIR when it
// is set, each a shell word; the run folder goes after it. "" for a --sandbox run.
std::string settle_command(const RunFlags& flags, const std::filesystem::path& profile_file);

}  // namespace rcbatch::cli
