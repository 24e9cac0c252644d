#pragma once
// One reading of an action's status (api.md §4, §6), shared by a change's reply
// (action_behaviour.cpp) and reconciliation (action_log.cpp): so a status that reconciliation
// takes as "not done" is never counted `ok` when a reply carries it.

#include <string_view>

namespace rcbatch::jobs {

enum class ActionStatus {
    applied,  // "Success"
    pending,  // accepted, waiting: "InvoicePaid", "Pending", "InProcess" and any other text
    failed,   // not done: a status with "fail", "error", "cancel", "reject" or "declin" in it
};

// The class of `status` (an actionstatus); `description` (its actionstatusdesc) is read only
// when the status is empty. Case-blind.
ActionStatus classify_action_status(std::string_view status, std::string_view description = {});

// The same for a status as rcbatch shows it: "Status" or "Status: description".
ActionStatus classify_shown_status(std::string_view shown);

}  // namespace rcbatch::jobs
