#pragma once
// Where rcbatch settle records its verdicts beyond the journal's settle lines: results.jsonl,
// results.csv and summary.json rebuilt from the journal (the summary keeps what the run said
// about itself and adds "settled"), and the ledger's change rows of the run settled.

#include "engine/batch/order_result.hpp"
#include "engine/batch/run_control.hpp"
#include "engine/report/run_summary.hpp"
#include "jobs/actions/action_spec.hpp"

#include <boost/json/object.hpp>

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace rcbatch::jobs {

// What rcbatch settle found (settle_run.hpp), which the rebuilt summary records.
struct SettleOutcome {
    std::uint64_t looked_up = 0;    // orders whose evidence was read
    std::uint64_t applied = 0;      // ok: applied or pending
    std::uint64_t not_applied = 0;  // not_run: a --resume sends it
    std::uint64_t unknown = 0;      // still in doubt after the look
    std::uint64_t no_intent = 0;    // unknown without an intent line to look from: left so
    engine::StopReason stop = engine::StopReason::none;  // interrupted, or a fatal answer
    std::string stop_message;
    engine::RunSummary summary;  // summary.json as rebuilt

    bool settled_all() const noexcept {
        return unknown == 0 && no_intent == 0 && stop == engine::StopReason::none;
    }
};

// Rewrites the folder's results.* from its journal (each order's last result) and its
// summary.json, the run's own keys kept. Returns the summary. Throws engine::ReportError or
// engine::JournalError.
engine::RunSummary rebuild_reports(const std::filesystem::path& dir, const ActionSpec& spec,
                                   const std::vector<std::string>& target_columns,
                                   const SettleOutcome& settled);

// Settles the change rows of the run (by `uid`, else by its folder) in the ledger of
// `state_dir` that are open or `unknown` with the verdicts. A ledger that does not know the
// run is left alone. Throws SqliteError when the ledger cannot be written.
void record_verdicts(const std::filesystem::path& state_dir, const std::filesystem::path& dir,
                     const std::string& uid, const std::vector<engine::OrderResult>& verdicts);

}  // namespace rcbatch::jobs
