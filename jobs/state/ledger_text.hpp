#pragma once
// What `rcbatch runs` and `rcbatch history` print: ledger rows as aligned text for people and
// as JSON for scripts. Pure.

#include "jobs/state/ledger.hpp"

#include <boost/json/array.hpp>

#include <string>
#include <vector>

namespace rcbatch::jobs {

// One line per run, newest first: start, job, kind, action, account, how it ended, counts, folder.
std::string runs_text(const std::vector<RunEntry>& runs);
boost::json::array runs_json(const std::vector<RunEntry>& runs);

// One line per change rcbatch sent to the order: when, action, outcome, job and folder, evidence.
std::string history_text(const std::string& order_id, const std::vector<ChangeEntry>& changes);
boost::json::array history_json(const std::vector<ChangeEntry>& changes);

}  // namespace rcbatch::jobs
