#pragma once
// What a run takes from the state directory before it starts: the job's lock (keyed by account
// and job, not by any folder) and the ledger with the run's row.

#include "engine/outcome.hpp"
#include "engine/store/job_lock.hpp"
#include "jobs/run/run_ledger.hpp"
#include "jobs/run/run_request.hpp"
#include "jobs/state/ledger.hpp"

#include <memory>
#include <optional>
#include <string>
#include <utility>

namespace rcbatch::jobs {

// What a run holds in the state directory while it runs: its job lock, the ledger, its row.
struct StateDirHold {
    std::optional<engine::JobLock> lock;  // held for the whole run (not for plans)
    std::shared_ptr<Ledger> ledger;       // null without a state directory
    std::int64_t run_id = 0;
};

// Takes the job's lock (not for a plan) and opens the ledger. Returns why the run must not
// start (locked when another run holds the lock, stopped when the state directory is unusable).
std::optional<Refusal> open_run_state(const RunRequest& request, StateDirHold& state);

// Records the run (or another session of it) in the ledger; the folder must exist.
void record_run_start(const RunRequest& request, const RunOutcome& report, std::uint64_t targets,
                      std::chrono::system_clock::time_point started, StateDirHold& state);

// Records how the run ended.
void record_run_end(const RunOutcome& report, StateDirHold& state);

// The map min-interval needs: order id -> last time a change of `action` may have reached the
// customer on the run's account, since `since` (Unix seconds).
std::shared_ptr<const std::map<std::string, std::int64_t>> recent_changes(const StateDirHold& state,
                                                                          const RunRequest& request,
                                                                          std::int64_t since);

}  // namespace rcbatch::jobs
