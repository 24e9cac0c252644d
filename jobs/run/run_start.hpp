#pragma once
// How a run starts (run_job's first phase): a new run makes its folder and fixes its targets
// in targets.jsonl; a resumed one reads its journal to see what is left. Both open the
// journal; neither sends anything that changes an order.

#include "engine/batch/batch.hpp"
#include "engine/outcome.hpp"
#include "engine/store/journal.hpp"
#include "engine/store/journal_scan.hpp"
#include "jobs/run/run_request.hpp"

#include <boost/asio/io_context.hpp>

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <utility>

namespace rcbatch::jobs {

struct RunStart {
    std::unique_ptr<engine::TargetSource> targets;  // null for a listing
    std::unique_ptr<engine::Journal> journal;       // null for a plan, a listing, --no-journal
    std::optional<engine::JournalScan> resumed;     // the journal as a resumed run found it
    std::uint64_t total = 0;                        // orders this session runs
    std::optional<Refusal> refusal;                 // why the run must not start
};

// A new run: the run folder (into report.dir), the selection into targets.jsonl, then the
// journal's header. Throws for environment failures (the folder cannot be written).
RunStart start_new(boost::asio::io_context& ioc, RunRequest& request, RunOutcome& report,
                   std::chrono::system_clock::time_point started);

// A resumed run: the folder's journal decides what is left; `started` becomes the first
// session's start.
RunStart start_resumed(boost::asio::io_context& ioc, const RunRequest& request, RunOutcome& report,
                       std::chrono::system_clock::time_point& started);

}  // namespace rcbatch::jobs
