#pragma once
// A run's figures for the metrics (engine/report/metrics_file.hpp) from its summary: the same for
// --metrics-file at the end of a run and for `rcbatch serve`'s /metrics.

#include "engine/outcome.hpp"
#include "engine/report/metrics_file.hpp"
#include "engine/report/run_summary.hpp"

#include <string>

namespace rcbatch::jobs {

engine::MetricsRun run_metrics(const std::string& job, const engine::RunSummary& summary,
                               engine::ExitCode exit, double finished_unix);

}  // namespace rcbatch::jobs
