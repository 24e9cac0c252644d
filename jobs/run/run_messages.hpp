#pragma once
// What run_job says while it runs beyond progress: one-line messages, as text or as JSON
// events, and the advice for a fatal answer (which a refusal's message and the end-of-run
// text, cli/run_end_text.hpp, both give).

#include "engine/report/progress.hpp"

#include <filesystem>
#include <ostream>
#include <string>
#include <string_view>

namespace rcbatch::jobs {

// What to tell the user about a fatal stop: a TLS or proxy failure (its message says what to
// fix), or refused credentials.
std::string fatal_advice(const std::string& message);

// The command that continues the run in `dir`: "RERUN --resume DIR" (DIR quoted for the shell),
// RERUN the job's own command line when known, else the template "rcbatch run JOB.toml". Every
// resume hint (the end of a run, rcbatch report, its --failed-ids and --json) is this one.
std::string resume_command(std::string_view rerun, const std::filesystem::path& dir);

// One "rcbatch run: MESSAGE" line (the command options.command names), or a JSON log event with
// --log-format json.
void print_run_message(std::ostream& out, const engine::ProgressOptions& options,
                       const std::string& message);

}  // namespace rcbatch::jobs
