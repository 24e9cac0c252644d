#pragma once
// /search?q=: an order id (its changes), a domain name or any target as given in a job's
// targets (the changes made under it), or a job name (its runs). Each kind that matches gets
// its section; nothing matching says so.

#include "jobs/state/ledger_view.hpp"

#include <string>

namespace rcbatch::serve {

std::string search_page(jobs::LedgerView& view, const std::string& text);

}  // namespace rcbatch::serve
