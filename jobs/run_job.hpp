#pragma once
// Runs a job that is fully set up: the batch (or the listing) on one io_context, the reports
// streamed into a fresh run folder, progress on stderr, and the exit code of DESIGN.md.

#include "cli/run_setup.hpp"
#include "engine/batch.hpp"
#include "jobs/order_runner.hpp"

#include <cstdint>
#include <memory>

namespace rcbatch::cli {

// `source` is null for actions that take no targets. Returns the process exit code.
int execute_run(const RunFlags& flags, const RunSetup& setup, const ApiAccess& access,
                std::unique_ptr<engine::TargetSource> source, std::uint64_t total);

// The action's setup for this run: its path (region, profile override), auth, params.
std::shared_ptr<jobs::ActionSetup> make_action_setup(const RunSetup& setup, const ApiAccess& access);

}  // namespace rcbatch::cli
