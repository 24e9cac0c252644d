#pragma once
// The columns of a runs row and of a changes row joined with its run, and how they are read:
// one place for the ledger and its read-only view (ledger_view.hpp) alike.

#include "jobs/state/ledger.hpp"
#include "jobs/state/sqlite.hpp"

namespace rcbatch::jobs {

// For "SELECT <run_columns> FROM runs".
inline constexpr const char* run_columns =
    "id, folder, job, job_file, account, action, kind, started, finished, sessions, stop_reason, "
    "outcomes, targets, uid";
RunEntry read_run(const SqliteStatement& s);

// For "SELECT <change_columns> FROM changes c JOIN runs r ON r.id = c.run".
inline constexpr const char* change_columns =
    "c.id, c.run, c.account, c.order_id, c.action, c.intent_at, c.outcome, c.evidence, c.eaqid, "
    "c.finished_at, r.job, r.folder, r.job_file, c.amount, c.currency, c.invoice, c.term, c.target";
ChangeEntry read_change(const SqliteStatement& s);

}  // namespace rcbatch::jobs
