#pragma once
// What run_job prints when a run ends or cannot start, as text or as JSON events, and the
// commands it hints at. Each hint is a command that can be pasted: the job's path and the
// flags as given on the command line (RunRequest::rerun_command).

#include "engine/progress.hpp"
#include "jobs/run_job.hpp"

#include <filesystem>
#include <ostream>
#include <string>

namespace rcbatch::jobs {

// What to tell the user about a fatal stop: a TLS or proxy failure (its message says what to
// fix), or refused credentials.
std::string fatal_advice(const std::string& message);

// "<rerun> --resume DIR", or with no rerun command "rcbatch run JOB.toml --resume DIR".
std::string resume_command(const std::string& rerun, const std::filesystem::path& dir);

// After the run: the summary (Progress::summary), then one line for a stop (with the command
// that continues the run when `resumable`) and one for an incomplete listing.
void print_run_end(engine::Progress& progress, const RunReport& report, bool text_summary,
                   bool resumable, const std::string& rerun);

// One "rcbatch run: MESSAGE" line, or a JSON log event with --log-format json.
void print_run_message(std::ostream& out, const engine::ProgressOptions& options,
                       const std::string& message);

// A run whose files could not be written (a full disk, a file-size limit): exit 3 and one
// line naming the file and the cause; with a journal in `dir`, the command that continues
// the run, else that nothing was sent.
RunReport files_failed(std::ostream& out, const engine::ProgressOptions& options,
                       const std::filesystem::path& dir, const std::string& what,
                       const std::string& rerun);

}  // namespace rcbatch::jobs
