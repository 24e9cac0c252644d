#pragma once
// Where rcbatch settle records its verdicts beyond the journal's settle lines: results.jsonl,
// results.csv and summary.json rebuilt from the journal (the summary keeps what the run said
// about itself and adds "settled"), and the ledger's change rows of the run settled.

#include "engine/order_result.hpp"
#include "jobs/action_spec.hpp"
#include "jobs/settle_run.hpp"

#include <boost/json/object.hpp>

#include <filesystem>
#include <string>
#include <vector>

namespace rcbatch::jobs {

// Rewrites the folder's results.* from its journal (each order's last result) and its
// summary.json, the run's own keys kept. Returns the summary. Throws engine::ReportError or
// engine::JournalError.
boost::json::object rebuild_reports(const std::filesystem::path& dir, const ActionSpec& spec,
                                    const std::vector<std::string>& target_columns,
                                    const SettleOutcome& settled);

// Settles the change rows of the run (by `uid`, else by its folder) in the ledger of
// `state_dir` that are open or `unknown` with the verdicts. A ledger that does not know the
// run is left alone. Throws SqliteError when the ledger cannot be written.
void record_verdicts(const std::filesystem::path& state_dir, const std::filesystem::path& dir,
                     const std::string& uid, const std::vector<engine::OrderResult>& verdicts);

}  // namespace rcbatch::jobs
