#pragma once
// What `rcbatch run` prints when a run ends or does not start, and its exit code: the one
// place that turns a jobs::RunOutcome into text and an exit code (DESIGN.md "Exit codes").
// Each hint is a command that can be pasted: the job's path and the flags as given.

#include "engine/outcome.hpp"
#include "engine/report/progress.hpp"
#include "jobs/run/run_request.hpp"

#include <filesystem>
#include <ostream>
#include <string>

namespace rcbatch::cli {

// 0 every order ok or skipped; 1 some failed, or the listing or search came up short; 2 a
// refused request; 3 stopped (fatal answer, interrupted, files that cannot be written); 4
// another run holds the lock. Pure.
engine::ExitCode run_exit_code(const jobs::RunOutcome& outcome) noexcept;

// How the end is told: the summary for humans (else only --quiet's line), and the command
// line that ran the job, for the hints ("" = "rcbatch run JOB.toml").
struct RunEndText {
    bool summary = true;
    std::string rerun;
    // "rcbatch settle ..." (rerun_command.hpp) for orders left in doubt; "" when nothing can
    // settle them later (a --sandbox run: its sandbox is gone).
    std::string settle = {};
};

// Prints the end of the run to `out` as `options` say (text or JSON events): why it did not
// start, or that its files could not be written, or the summary, the stop line (with the
// command that continues the run when it is resumable), an incomplete listing's line, and for
// orders left in doubt (`unknown`) a line that shows even with --quiet, with the command that
// settles them (a "doubt" event in JSON).
// Returns run_exit_code(outcome).
engine::ExitCode print_run_outcome(std::ostream& out, engine::ProgressOptions options,
                                   const jobs::RunOutcome& outcome, const RunEndText& text);

}  // namespace rcbatch::cli
