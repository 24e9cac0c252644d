#pragma once
// What `rcbatch runs` and `rcbatch history` print: ledger rows as aligned text for people and
// as JSON for scripts. Pure.

#include "jobs/evidence/action_log.hpp"
#include "jobs/state/ledger.hpp"

#include <boost/json/array.hpp>

#include <string>
#include <vector>

namespace rcbatch::jobs {

// One line per run, newest first: start, job, kind, action, account, how it ended, counts, folder.
std::string runs_text(const std::vector<RunEntry>& runs);
boost::json::array runs_json(const std::vector<RunEntry>& runs);

// Every change to the order, newest first: rcbatch's (from the ledger: when, action, outcome,
// amount, invoice and term, job, folder, evidence) and, when `log` is given (the order's action
// lists, read through a profile), every other actor's action on them (another user's or
// machine's rcbatch, the reseller panel, the billing system). Without `log` the text says it
// shows rcbatch's own changes only.
std::string history_text(const std::string& order_id, const std::vector<ChangeEntry>& changes,
                         const std::vector<LoggedAction>* log = nullptr);
// The same as JSON objects, each with "source": "ledger" or "action-log".
boost::json::array history_json(const std::vector<ChangeEntry>& changes,
                                const std::vector<LoggedAction>* log = nullptr);

}  // namespace rcbatch::jobs
