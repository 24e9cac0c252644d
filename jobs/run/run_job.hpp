#pragma once
// Runs a job that is fully set up: the batch (or the listing) on one io_context, the reports
// streamed into a fresh run folder, progress on stderr. The command line and the tests call it.

#include "jobs/run/run_request.hpp"

namespace rcbatch::jobs {

// Runs it. A run with targets that is not a dry run keeps journal.jsonl (run_journal.hpp):
// every mutating request leaves only after its intent is on disk. Per-order failures are
// records, never exceptions. A run folder, report or journal that cannot be written (a full
// disk) ends the run with `files_error` set (resumable when the journal exists). Throws
// only for other environment failures (a file cannot be read, the target source fails).
RunOutcome run_job(RunRequest request);

}  // namespace rcbatch::jobs
