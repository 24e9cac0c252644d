#pragma once
// The repeat guard every actor shares, as one run sets it up (DESIGN.md): the account's recent
// actions for a change the action log lists, and what the run says and records of them. The
// first look is made by the first order about to change (the others wait for it), on the
// batch's connections and rate, so a fatal answer stops the run as any other does.

#include "engine/report/progress.hpp"
#include "jobs/order/order_runner.hpp"
#include "jobs/run/run_request.hpp"

#include <boost/json/object.hpp>

#include <ostream>

namespace rcbatch::jobs {

// Gives `setup` the account's actions for a change the action log lists, unless the job turns
// the window off (repeat-guard = 0); with `action-log = false` says that the ledger guards alone.
void attach_account_actions(const RunRequest& request, ActionSetup& setup, std::ostream& out);

// Lists that turn unreadable during the batch are said once, among the progress lines.
void tell_unreadable_lists(const ActionSetup& setup, engine::Progress& progress);

// For summary.json: what the account's looks did, and how far the server's clock is off.
void guard_facts(const ActionSetup& setup, boost::json::object& extra);

}  // namespace rcbatch::jobs
