#pragma once
// `[targets] search = {...}`: choose orders by what they are, through the API's search
// (backup orders per region, domains), paging until every entry the API counts is in hand.

#include "engine/batch/batch.hpp"
#include "jobs/actions/action_spec.hpp"
#include "jobs/order/order_runner.hpp"
#include "jobs/run_folder/targets_jsonl.hpp"
#include "jobs/select/search_filter.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/json/object.hpp>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace rcbatch::jobs {

struct SearchSelector {
    const ActionSpec* spec = nullptr;  // backup.search or domain.search
    std::string path;
    std::vector<CallParam> params;  // the API's filters
    // The client's re-check of orders.endtime (Unix seconds, inclusive), when the filter has one.
    std::optional<std::int64_t> end_from;
    std::optional<std::int64_t> end_to;
    std::vector<std::int64_t> excluded;  // the job's exclusions, sorted: found but not run
};

// The search that finds `filter`'s orders for an action taking `kind` targets, in `region`
// (backup actions), at `now` (Unix seconds). Pure.
SearchSelector make_search_selector(const SearchFilter& filter, TargetKind kind,
                                    std::string_view region, std::int64_t now,
                                    const std::vector<std::string>& product_keys);

// Whether a search entry passes the client's re-check.
bool entry_selected(const SearchSelector& selector, const boost::json::object& entry);

// Why search page `page_no`'s reply cannot be trusted, or nullopt: a recsindb or recsonpage
// that is not a whole number, more entries on the page than were asked for (or, on the first
// page, than recsindb counts), an entry missing or without an order id. Pure.
std::optional<std::string> page_problem(const boost::json::object& reply, std::int64_t page_no);

// A search entry as a batch target: domains by name, backups by id; the order's status and
// end time as the selection saw them go into `extra`.
engine::Target target_of(const boost::json::object& entry, TargetKind kind);

struct SelectionResult {
    std::uint64_t api_total = 0;         // recsindb of the first page
    std::uint64_t received = 0;          // entries received over all pages
    std::uint64_t selected = 0;          // written to targets.jsonl after the client's re-check
    std::vector<std::int64_t> excluded;  // found and left out by the job's exclusions
    bool complete = true;                // every page was fetched
    std::string error;                   // why not, or the count disagreement
    // Why the pages cannot be trusted (page_problem, or an order on two pages): the run must
    // not start (exit 3), whatever else was found.
    std::string untrusted;
    engine::StopReason stop = engine::StopReason::none;
    std::string stop_message;  // the fatal answer, when stop is fatal
};

// summary.json's account of the orders the search found and the job excluded:
// "excluded": {"count": N, "order_ids": [...]} and "excluded_text" (the ids, the first few).
void add_excluded(const std::vector<std::int64_t>& excluded, boost::json::object& summary);

// Runs the search: the first page, then (when `api_total <= max_orders`) the other pages
// concurrently within the settings' concurrency and rate cap, writing each selected entry
// that is not excluded to `out` as its page arrives. A total above `max_orders`, or a first
// page that cannot be trusted, stops after the first page.
boost::asio::awaitable<SelectionResult> select_by_search(SearchSelector selector,
                                                         std::shared_ptr<const ActionSetup> auth,
                                                         engine::BatchSettings settings,
                                                         TargetsWriter& out,
                                                         std::int64_t max_orders);

}  // namespace rcbatch::jobs
