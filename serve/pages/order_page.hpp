#pragma once
// One order's page: every change rcbatch sent to it, across runs, jobs and accounts (the
// ledger's history), newest first, with its outcome, evidence, charge and a link to its run.
// Also the tables of the search page (the changes made under a domain name).

#include "jobs/state/ledger.hpp"
#include "jobs/state/ledger_view.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace rcbatch::serve {

inline constexpr int changes_per_page = 100;

// The table of `changes` (id "changes"); each run linked, each unknown or open change flagged.
std::string changes_table(const std::vector<jobs::ChangeEntry>& changes);

// A change's money as a person reads it: "charged USD 15.00, invoice 123"; "" when none.
std::string change_money(const jobs::ChangeEntry& change);

// The page of `order_id`, the changes older than `before` (0: the newest).
std::string order_page(jobs::LedgerView& view, const std::string& order_id, std::int64_t before);

}  // namespace rcbatch::serve
