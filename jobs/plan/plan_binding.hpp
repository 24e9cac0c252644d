#pragma once
// What a plan is bound to (DESIGN.md, the habit of ninja's command hash): the action, region,
// parameters, target source, preflight settings and account it was made from. `run --plan`
// recomputes it for the job as it is now and refuses on any difference, naming it.

#include "jobs/actions/action_spec.hpp"
#include "jobs/api/request_builder.hpp"
#include "jobs/order/order_flow.hpp"

#include <boost/json/object.hpp>

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace rcbatch::jobs {

// {"action","region","params","targets","preflight","account","fingerprint"}; `targets`
// describes the source ("file /x/orders.csv sha256:…", "order-ids sha256:…", "search {…}").
boost::json::object plan_binding(const ActionSpec& spec, const std::string& region,
                                 const std::vector<CallParam>& params, const std::string& targets,
                                 const FlowSettings& flow, const std::string& account);

// Each difference between a plan's binding and the job's as "months: plan 1, job 60" or
// "account: plan live/…, now test/…", joined by "; "; nullopt when they agree.
std::optional<std::string> binding_difference(const boost::json::object& planned,
                                              const boost::json::object& now);

// What a plan folder binds of the orders `run --plan` would take from it (PlanSource): their
// number and a fingerprint of every one — seq, target, order id, the state the plan saw, its
// own parameters and kept columns — {"orders": N, "fingerprint": "sha256:…"}. Written into the
// plan's summary.json ("plan_targets") when the plan ends. Throws std::runtime_error naming
// the file when the plan's files cannot be read.
boost::json::object plan_targets_binding(const std::filesystem::path& plan_dir);

// Why the plan in `dir` cannot run as job `job` whose binding is `binding` — the job changed,
// or the plan folder's orders or their parameters were edited since (plan_targets_binding);
// nullopt when it can.
std::optional<std::string> plan_refusal(const std::filesystem::path& dir, const std::string& job,
                                        const ActionSpec& spec, const boost::json::object& binding);

// The host part of the account of an embedded sandbox (run --sandbox): "embedded" and a digest
// of its certificate, which is made afresh for each one, so each is a place of its own.
std::string embedded_sandbox_host(std::string_view ca_pem);

// "sha256:" and the first 16 hex digits of the SHA-256 of `text`.
std::string short_sha256(std::string_view text);
// The same of a file's content; nullopt when it cannot be read or is not a regular file of at
// most engine::max_target_file_bytes (it is a job's targets file).
std::optional<std::string> file_short_sha256(const std::filesystem::path& file);

}  // namespace rcbatch::jobs
