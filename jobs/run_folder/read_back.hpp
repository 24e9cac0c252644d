#pragma once
// `rcbatch report RUN_DIR`: what a run folder says about its run, read back from its files
// (DESIGN.md "Journal, resume and locking"). A run with a journal is summarized from the
// journal (the truth: results.jsonl may lag it by a line after kill -9); a plan or a listing,
// which keep no journal, from plan.jsonl / results.jsonl and summary.json. A run that died
// before it wrote summary.json gets its reports rebuilt from the journal.

#include "engine/batch/order_result.hpp"
#include "engine/failure.hpp"
#include "engine/outcome.hpp"
#include "engine/report/report_writer.hpp"
#include "jobs/money/charge_summary.hpp"

#include <boost/json/object.hpp>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace rcbatch::jobs {

// The folder is not a run folder, or one of its files cannot be read; the message is one line
// that names the file.
class RunFolderError : public engine::Error {
  public:
    explicit RunFolderError(const std::string& text) : Error(engine::Failure::bad_input, text) {}
};

enum class FolderKind { run, plan, listing };
enum class RunState {
    finished,  // summary.json written, every target has a final result
    stopped,   // summary.json written, but the run stopped (fatal answer, interrupted) first
    died,      // no summary.json and no one holds the job's lock: the process died
    running,   // no summary.json and the job's lock is held: a run of the job is going on
};

std::string_view to_string(FolderKind k) noexcept;
std::string_view to_string(RunState s) noexcept;

// One order in the list of failures.
struct FailedOrder {
    std::uint64_t seq = 0;
    std::string order_id;
    std::string target;
    engine::Outcome outcome = engine::Outcome::unknown;
    std::string message;
};

// An order whose mutating request was written as an intent and that has no final result: the
// request may have been applied; `rcbatch run --resume` reconciles it first.
struct OpenIntent {
    std::uint64_t seq = 0;
    std::string order_id;
};

struct RunFolderReport {
    std::filesystem::path dir;
    FolderKind kind = FolderKind::run;
    RunState state = RunState::died;
    std::string job, action;
    std::string stop_reason;  // the summary's ("none", "interrupted", ...), or "died"
    bool has_journal = false;
    bool rebuilt = false;       // this call wrote results.* and summary.json from the journal
    std::string lock_holder;    // state running: who holds the job's lock
    std::string not_rebuilt;    // why a died run's reports could not be rebuilt (the lock failed)
    std::uint64_t targets = 0;  // the batch's size (the journal header, targets.jsonl)
    engine::Tally tally;        // over the last record of every order that has one
    std::uint64_t final_orders = 0;
    std::uint64_t no_result = 0;  // targets without a final result
    std::uint64_t sessions = 0;   // the first run and each --resume (journal only)
    std::uint64_t damaged_lines = 0;
    std::vector<OpenIntent> open_intents;  // at most `failure_limit` of them, by seq
    std::uint64_t open_intent_count = 0;
    std::vector<FailedOrder> failures;          // `unknown` first, then in the order they ended
    std::uint64_t failures_left_off = 0;        // failed orders beyond `failure_limit`
    std::optional<engine::RunSummary> summary;  // summary.json as found (or as rebuilt)
    // A run of a charged action: its money, from the same records as the counts (the run's own
    // figure: charge_summary.hpp).
    bool charged_action = false;
    ChargeSummary money;

    bool finished() const noexcept { return state == RunState::finished; }
};

struct ReportOptions {
    std::size_t failure_limit = 50;  // failed orders (and open intents) listed; 0 = all
    bool rebuild = true;             // rebuild the reports of a died run
    // Where the job locks are (the state directory); empty: only a lock beside the run folder.
    std::filesystem::path state_dir;
};

// Reads the run folder `dir`. With a journal and no summary.json, when nobody holds the
// job's lock (in the state directory, keyed by the journal's account and job), and
// `options.rebuild`: rewrites results.jsonl and results.csv from the journal (the last result of
// each order) and writes summary.json with "complete": false and "stop_reason": "died", holding the
// lock meanwhile. Never changes a folder whose summary.json exists. Throws RunFolderError (one line
// naming the file) when `dir` is not a run folder or cannot be read, engine::ReportError when a
// rebuilt report cannot be written.
RunFolderReport read_run_folder(const std::filesystem::path& dir,
                                const ReportOptions& options = {});

// 0 when the run finished and no order failed and every line could be read, otherwise 1.
engine::ExitCode report_exit_code(const RunFolderReport& report);

// The report for humans: counts, open intents, the failures, and how to continue the run.
std::string report_text(const RunFolderReport& report);

// The same as one JSON object, for scripts.
boost::json::object report_json(const RunFolderReport& report);

}  // namespace rcbatch::jobs
