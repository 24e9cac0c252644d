#pragma once
// Reconciliation of a change whose answer was lost (api.md §4: a backup renew has no fence):
// read the order again and decide from what changed whether the change was applied. Pure.

#include "jobs/action_spec.hpp"
#include "jobs/preflight.hpp"

#include <boost/json/object.hpp>

#include <string>

namespace rcbatch::jobs {

enum class Applied {
    yes,          // the change is visible: the order ends `ok`, reconciled
    no,           // nothing changed: sending it again is safe
    cannot_tell,  // no check can decide: the order ends `unknown`, for a human
};

struct Reconciliation {
    Applied applied = Applied::cannot_tell;
    std::string evidence;  // what decided it, for the report
};

// renew: a later end time than `before` means applied, the same one means not; delete: the
// status Deleted means applied; nixi.resend: treated as not applied when `repeat_resend` (a
// second e-mail is tolerable), else cannot tell; anything else (install-agent): cannot tell.
Reconciliation reconcile(const ActionSpec& spec, const OrderState& before,
                         const boost::json::object& after, bool repeat_resend);

// Whether an API error answering a repeated change says the first one was applied
// ("There is already an action pending on this Order.").
bool says_already_pending(const std::string& message);

}  // namespace rcbatch::jobs
