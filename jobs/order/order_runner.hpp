#pragma once
// How one order of a job is run: the order flow (order_flow.hpp, no I/O) says what to do next
// and the coroutine here does it — resolve a domain name, read the order or its action log,
// claim the change in the ledger, send it through the engine's call(), wait — until the flow
// has the order's record.

#include "engine/batch/batch.hpp"
#include "jobs/order/action_setup.hpp"

#include <memory>

namespace rcbatch::jobs {

// The per-order function the batch runs. Per-order failures are values in the result: an
// API error keeps the API's message; a mutating request that may have been applied but whose
// answer was lost is reconciled, and ends `unknown` when nothing decides it.
engine::OrderFn make_order_fn(std::shared_ptr<const ActionSetup> setup);

}  // namespace rcbatch::jobs
