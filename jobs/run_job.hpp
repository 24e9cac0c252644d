#pragma once
// Runs a job that is fully set up: the batch (or the listing) on one io_context, the reports
// streamed into a fresh run folder, progress on stderr. The command line and the tests call it.

#include "engine/batch.hpp"
#include "engine/outcome.hpp"
#include "engine/progress.hpp"
#include "jobs/order_runner.hpp"
#include "jobs/search_selector.hpp"

#include <boost/json/object.hpp>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

namespace rcbatch::jobs {

struct RunRequest {
    std::string job_name;
    std::shared_ptr<const ActionSetup> action;
    engine::BatchSettings batch;  // its `tls` must outlive the run
    // The targets: an explicit source, or a search; neither for actions that take no targets.
    // Either way they are fixed in the run folder's targets.jsonl before the first order runs.
    std::unique_ptr<engine::TargetSource> source;
    std::optional<SearchSelector> search;
    std::int64_t max_orders = 0;    // refuse to start (exit 2) with more targets
    std::filesystem::path reports;  // the run folder goes under <reports>/<job>/
    engine::ProgressOptions progress;
    std::ostream* out = nullptr;               // progress and the summary; null: std::cerr
    bool summary = true;                       // print the summary for humans at the end
    std::chrono::milliseconds max_runtime{0};  // then stop as on SIGINT (run_deadline.hpp); 0: none
    bool dry_run = false;  // records go to plan.jsonl / plan.csv (the action knows too)
    std::vector<std::string>
        target_columns;  // a target file's own columns: CSV columns of their own
    // A run folder to continue (run --resume): its targets.jsonl and journal.jsonl decide what
    // runs; `source`, `search` and `reports` are not used.
    std::filesystem::path resume;
    bool journal = true;        // false only for benchmarks: no journal, so no resume
    boost::json::object extra;  // copied into summary.json (environment, ...)

    // The state directory: the ledger (the cross-run guard, min-interval, `rcbatch runs`) and
    // the job's lock, keyed by account and job. Empty: neither (in-process tests).
    std::filesystem::path state_dir;
    std::string account;   // Account::key(): whose orders the run changes
    std::string job_file;  // absolute; the ledger and the hints name it
    std::chrono::seconds repeat_guard{std::chrono::hours(24)};  // 0: only open intents block
    bool ledger = true;           // false only for benchmarks: no cross-run guard
    boost::json::object binding;  // what the job is (plan_binding.hpp); summary.json keeps it
    // "rcbatch run <job> <flags as given>": the hints print it with --resume DIR; empty:
    // "rcbatch run JOB.toml".
    std::string rerun_command;
};

struct RunReport {
    std::filesystem::path dir;    // the run folder
    boost::json::object summary;  // as written to summary.json
    engine::StopReason stop = engine::StopReason::none;
    std::string stop_message;
    std::string mismatch;  // a listing or search that got fewer entries than the API counted
    std::string message;   // why the run did not start, when it did not
    std::uint64_t duplicates = 0;  // targets skipped as duplicates of an earlier one
    engine::ExitCode exit = engine::ExitCode::ok;
};

// Runs it. A run with targets that is not a dry run keeps journal.jsonl (run_journal.hpp):
// every mutating request leaves only after its intent is on disk. Per-order failures are
// records, never exceptions. A run folder, report or journal that cannot be written (a full
// disk) ends the run with exit 3 and a message (resumable when the journal exists). Throws
// only for other environment failures (a file cannot be read, the target source fails).
RunReport run_job(RunRequest request);

}  // namespace rcbatch::jobs
