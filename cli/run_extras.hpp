#pragma once
// The options of `rcbatch run` for unattended runs (cron, systemd timers): --jitter (a random
// start delay, so many resellers' crons do not hit the API in the same second),
// --max-runtime (stop taking orders after that long: exit 3, resumable) and --metrics-file
// (node_exporter's textfile format, engine/report/metrics_file.hpp).

#include "cli/options.hpp"
#include "jobs/run/run_request.hpp"

#include <chrono>
#include <optional>
#include <string>

namespace rcbatch::cli {

struct RunExtras {
    std::string jitter_text, max_runtime_text;
    std::string metrics_file;
    std::chrono::milliseconds jitter{0};
    std::chrono::milliseconds max_runtime{0};  // 0: none
};

// Adds --jitter, --max-runtime and --metrics-file to `options`, stored into `extras`.
void add_run_extras(po::options_description& options, RunExtras& extras);

// Parses the durations and checks --metrics-file (engine::metrics_file_refusal); the message
// for exit 2 when one is bad.
std::optional<std::string> check_run_extras(RunExtras& extras);

// Sleeps a random time from 0 to --jitter (nothing has been sent yet); says so unless quiet.
void wait_jitter(const RunExtras& extras, bool quiet);

// Writes --metrics-file for the run's outcome and exit code, if asked, and returns the run's
// exit code: `exit`, or when the file cannot be written (one line on stderr) and `exit` is ok,
// orders_failed (exit 1).
engine::ExitCode write_run_metrics(const RunExtras& extras, const std::string& job,
                                   const jobs::RunOutcome& report, engine::ExitCode exit);

}  // namespace rcbatch::cli
