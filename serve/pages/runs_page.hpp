#pragma once
// The front page: the runs the ledger knows, newest first, a page at a time, filtered by job,
// state and the day they started. Each row links to its run's page and its job's runs.

#include "jobs/state/ledger_view.hpp"
#include "serve/pages/page_query.hpp"

#include <optional>
#include <string>

namespace rcbatch::serve {

// The filter of /runs (and /) from its query: job, state, from, to (YYYY-MM-DD, UTC, both
// days included), before (a run id: the page of older runs). nullopt with `error` (one line
// naming the value) when a value is not one the page takes.
std::optional<jobs::RunFilter> runs_filter(const PageQuery& query, std::string& error);

std::string runs_page(jobs::LedgerView& view, const jobs::RunFilter& filter,
                      const PageQuery& query);

// A run's state as a word and its CSS class ("running", "state-running").
std::string state_cell(jobs::RunState state);

// A run's outcome counts ("ok 12 · unknown 1"), each with its colour; zeros left out.
std::string outcome_counts(const std::map<std::string, std::int64_t>& outcomes);

}  // namespace rcbatch::serve
