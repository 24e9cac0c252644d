#pragma once
// What a run is asked to do (RunRequest) and what came of it (RunOutcome, with the Refusal when
// it did not start): the types run_job's phases share (run_start, run_ledger_setup), apart from
// run_job itself so that its phases do not include the function that calls them.

#include "engine/batch/batch.hpp"
#include "engine/defaults.hpp"
#include "engine/failure.hpp"
#include "engine/outcome.hpp"
#include "engine/report/progress.hpp"
#include "engine/text/csv_cells.hpp"
#include "jobs/order/order_runner.hpp"
#include "jobs/select/search_selector.hpp"

#include <boost/json/object.hpp>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <ostream>
#include <string>
#include <utility>
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
    std::ostream* out = nullptr;               // progress; null: std::cerr
    std::chrono::milliseconds max_runtime{0};  // then stop as on SIGINT (run_deadline.hpp); 0: none
    bool dry_run = false;  // records go to plan.jsonl / plan.csv (the action knows too)
    engine::CsvCells csv = engine::CsvCells::safe;  // a resumed run keeps its first session's
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
    std::chrono::seconds repeat_guard = defaults::repeat_guard;  // 0: only open intents block
    bool ledger = true;           // false only for benchmarks: no cross-run guard
    boost::json::object binding;  // what the job is (plan_binding.hpp); summary.json keeps it
};

// Why a run did not start (nothing was sent); cli/run_end_text.hpp maps it to an exit code.
// Why a run must not go on, and the one line that says so.
// bad_input: too many targets, a resume that does not fit the job (exit 2); locked: another
// run of the job holds its lock (4); selection_incomplete: the search could not list every
// target (1); stopped: a fatal answer during the search, pages that cannot be trusted (3);
// state: an unusable state directory (3). engine::exit_code_of maps them.
using Refusal = std::pair<engine::Failure, std::string>;

// What happened: everything the end-of-run text and the exit code are made of
// (cli/run_end_text.hpp). run_job prints only progress while it runs.
struct RunOutcome {
    std::filesystem::path dir;   // the run folder; empty when none was made
    std::string uid;             // the run's own id (run_journal.hpp); "" for an old journal
    engine::RunSummary summary;  // as written to summary.json
    engine::StopReason stop = engine::StopReason::none;
    std::string stop_message;
    std::string mismatch;         // a listing or search that got fewer entries than the API counted
    std::error_code not_started;  // why it did not start (a Refusal's failure); none when it did
    std::string message;          // why the run did not start, when it did not
    std::string files_error;      // the run's files could not be written (a full disk): exit 3
    std::string reports_error;    // report.html / results.junit.xml could not be written
    std::uint64_t duplicates = 0;        // targets skipped as duplicates of an earlier one
    std::vector<std::int64_t> excluded;  // found by the search, left out by the job's exclusions
    std::uint64_t failed = 0;            // orders whose outcome is a failure (engine::is_failure)
    std::vector<std::string> in_doubt;   // `unknown` orders of the whole run (the first 100)
    bool resumable = false;              // the folder has this run's journal: --resume continues it
    std::chrono::steady_clock::time_point started{};  // the notes' elapsed time counts from it

    bool started_run() const noexcept { return !not_started && files_error.empty(); }
};

}  // namespace rcbatch::jobs
