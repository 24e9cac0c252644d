#pragma once
// rcbatch settle RUN_DIR (README "Settling doubts later"): a finished or dead run's orders in
// doubt — `unknown`, or an intent with no result — looked up in the API's evidence by the
// order flow's own reconciliation (FlowSettings::settle_only: nothing is ever sent), and each
// verdict recorded: a `settle` line in the journal (journal_scan.hpp), results.* and
// summary.json rebuilt from the journal, the ledger's change rows settled. The caller holds
// the job's lock.

#include "engine/batch/batch.hpp"
#include "engine/batch/order_result.hpp"
#include "engine/store/journal_scan.hpp"
#include "jobs/order/order_runner.hpp"
#include "jobs/run/settle_record.hpp"

#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace rcbatch::jobs {

struct SettleRequest {
    std::filesystem::path dir;                  // the run folder, canonical
    std::shared_ptr<const ActionSetup> action;  // the job's; its flow settle_only
    engine::BatchSettings batch;                // its `tls` must outlive the call
    std::vector<std::string> target_columns;    // a target file's own columns, as the run had
    std::filesystem::path state_dir;            // the ledger's folder; empty: no ledger
    std::function<void(const engine::OrderResult&)> on_verdict;  // each verdict as it comes
};

// The orders of `scan` (the run's journal) in doubt, as targets for the flow: each target of
// targets.jsonl whose last result is `unknown` or that has an intent and no final result,
// with extra["intent"] its first intent line. `no_intent` counts the unknown ones without one.
std::vector<engine::Target> doubted_targets(const std::filesystem::path& dir,
                                            const engine::JournalScan& scan,
                                            std::uint64_t& no_intent);

// Looks every doubted order up and records the verdicts. Throws engine::JournalError or
// engine::ReportError when the run's files cannot be read or written.
SettleOutcome settle_run(SettleRequest request);

}  // namespace rcbatch::jobs
