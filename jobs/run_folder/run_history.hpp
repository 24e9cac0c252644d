#pragma once
// What earlier runs of a job did, read from their run folders: for min-interval (don't resend
// a verification e-mail this job sent recently) and for running a plan (--plan).

#include "engine/batch/target.hpp"
#include "jobs/run_folder/json_lines.hpp"

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <string>

namespace rcbatch::jobs {

// Order id -> Unix seconds of the latest `ok` record of `action` finished at or after `since`,
// over every run folder under `job_dir` (<reports>/<job>/). Unreadable lines are passed over.
std::map<std::string, std::int64_t> last_successes(const std::filesystem::path& job_dir,
                                                   std::string_view action, std::int64_t since);

// The orders a plan would act on (plan.jsonl records with outcome ok), each with the state the
// plan saw in extra["planned"], so the run skips an order that changed since as stale, and
// its own parameters and kept columns (extra["params"], ["keep"]) from the plan's targets.jsonl.
class PlanSource final : public engine::TargetSource {
  public:
    // Throws std::runtime_error naming the file when the plan cannot be read.
    explicit PlanSource(const std::filesystem::path& plan_dir);
    std::optional<engine::Target> next() override;

  private:
    JsonLineReader in_;  // plan.jsonl
    std::uint64_t seq_ = 0;
    // The plan's targets.jsonl: each target's own parameters and kept columns, by seq.
    std::map<std::uint64_t, boost::json::object> own_;
};

}  // namespace rcbatch::jobs
