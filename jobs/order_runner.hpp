#pragma once
// How one order of a job is run: resolve a domain name to its order id when needed, send the
// action's request through the engine's call(), and turn the reply into the order's record.

#include "engine/batch.hpp"
#include "jobs/action_spec.hpp"
#include "jobs/preflight.hpp"
#include "jobs/reply_reader.hpp"
#include "jobs/request_builder.hpp"

#include <memory>
#include <string>
#include <vector>

namespace rcbatch::jobs {

// Everything an action's requests need, fixed for the whole run.
struct ActionSetup {
    const ActionSpec* spec = nullptr;
    std::string path;  // the action's path for the region, or the profile's override
    std::string orderid_path = "/api/domains/orderid.json";
    std::string auth_userid;
    std::string api_key;  // a secret: goes into requests only
    std::vector<CallParam> params;
    ReplyOptions reply;
    bool post_params_in_query = false;
    PreflightOptions preflight;
    std::string details_path;  // where preflight reads an order (backup or domain details)
    bool dry_run = false;      // preflight only; send nothing that changes an order
    bool repeat_resend = true; // a resend whose answer was lost is sent again (a second e-mail is tolerable)
};

// The engine's reading of a reply: read_reply() with the run's options. It refers to
// `options` (which must outlive it: the ActionSetup's do), so copying it never allocates.
engine::Interpreter make_interpreter(const ReplyOptions& options);

// The per-order function the batch runs. Per-order failures are values in the result: an
// API error keeps the API's message; a mutating request that may have been applied but whose
// answer was lost ends `unknown` and is never sent again blindly.
engine::OrderFn make_order_fn(std::shared_ptr<const ActionSetup> setup);

// The text recorded for an order whose mutating request may have been applied.
extern const char* const unknown_outcome_message;

}  // namespace rcbatch::jobs
