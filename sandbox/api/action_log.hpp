#pragma once
// The action log (api.md §6) without I/O: the search-current / search-archived query, its
// paging and filters, and the reply's numbered entries.

#include "sandbox/api/params.hpp"
#include "sandbox/data/model.hpp"

#include <boost/json/object.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rcbatch::sandbox {

struct ActionQuery {
    std::size_t per_page = 10;
    std::size_t page_no = 1;
    std::vector<std::uint64_t> order_ids;  // empty: every order
};

struct ActionQueryParse {
    std::optional<ActionQuery> query;
    std::string error;  // the API's message when `query` is empty
};

// Reads no-of-records (10..500), page-no (from 1), both required, and order-id (optional,
// repeatable).
ActionQueryParse parse_action_query(const Params& params);

// The search reply over `data.actions`: the current (waiting) or the archived (finished)
// actions of orders owned by `reseller_id` that match `q`, by eaqid ascending, paged:
// {"recsonpage":"n","recsindb":"N","1":{...},...}, every value a string.
boost::json::object run_action_search(const Dataset& data, const ActionQuery& q,
                                      std::string_view reseller_id, bool current);

// One entry: eaqid, entityid, description, actiontype, actiontypedesc, actionstatus,
// actionstatusdesc, actionaddedtime.
boost::json::object action_entry(const ActionRecord& a);

// The counter name of an action type, the route's: "Renew" -> "backup.renew", "RenewDomain" ->
// "domain.renew", "Suspend" -> "orders.suspend"; empty for a type no route makes.
std::string_view counter_action(std::string_view actiontype) noexcept;

}  // namespace rcbatch::sandbox
