#pragma once
// Runs a job that is fully set up: the batch (or the listing) on one io_context, the reports
// streamed into a fresh run folder, progress on stderr. The command line and the tests call it.

#include "engine/batch.hpp"
#include "engine/outcome.hpp"
#include "engine/progress.hpp"
#include "jobs/order_runner.hpp"

#include <boost/json/object.hpp>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <ostream>
#include <string>

namespace rcbatch::jobs {

struct RunRequest {
    std::string job_name;
    std::shared_ptr<const ActionSetup> action;
    engine::BatchSettings batch;  // its `tls` must outlive the run
    std::unique_ptr<engine::TargetSource> source;  // null for actions that take no targets
    std::uint64_t total = 0;                       // targets, when known (progress)
    std::filesystem::path reports;                 // the run folder goes under <reports>/<job>/
    engine::ProgressOptions progress;
    std::ostream* out = nullptr;  // progress and the summary; null: std::cerr
    bool summary = true;          // print the summary for humans at the end
    boost::json::object extra;    // copied into summary.json (environment, ...)
};

struct RunReport {
    std::filesystem::path dir;        // the run folder
    boost::json::object summary;      // as written to summary.json
    engine::StopReason stop = engine::StopReason::none;
    std::string stop_message;
    std::string mismatch;             // a listing that got fewer entries than the API counted
    engine::ExitCode exit = engine::ExitCode::ok;
};

// Runs it. Per-order failures are records, never exceptions; throws only for environment
// failures (the run folder cannot be written, the target source fails).
RunReport run_job(RunRequest request);

}  // namespace rcbatch::jobs
