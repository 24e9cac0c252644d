#pragma once
// An order's action log (api.md §6): the current (pending) and archived (finished) actions,
// the strongest evidence that a change whose answer was lost was made. Field names and action
// types are a guess of api.md, so a profile can rename them. Pure: parsing and matching only.

#include <boost/json/value.hpp>

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace rcbatch::jobs {

struct ActionLogOptions {
    bool enabled = true;  // false: the log is not read (a lost answer needs other evidence)
    std::string current_path = "/api/actions/search-current.json";
    std::string archived_path = "/api/actions/search-archived.json";
    std::string id_field = "eaqid";
    std::string order_field = "entityid";
    std::string type_field = "actiontype";
    std::string status_field = "actionstatus";
    std::string status_desc_field = "actionstatusdesc";
    std::string added_field = "actionaddedtime";
    // Action name -> the log's action types of its change, replacing the action's own.
    std::map<std::string, std::vector<std::string>> types;
    int page_size = 100;                  // entries a page (the API takes 10..500)
    int max_pages = 20;                   // per list; an order with more is undecidable
    std::chrono::seconds clock_skew{60};  // an entry this much before the intent still counts
};

struct LoggedAction {
    std::string eaqid;
    std::string order_id;
    std::string type;
    std::string status;      // "status: description" when both are there
    std::int64_t added = 0;  // Unix seconds; 0 when the entry has none
    bool current = false;    // from the current (pending) list
};

struct ActionLogPage {
    std::vector<LoggedAction> entries;
    std::uint64_t total = 0;  // recsindb: entries in the whole list
    std::string error;        // the reply is not a search reply
};

// One page of search-current.json (`current`) or search-archived.json.
ActionLogPage parse_action_log_page(const boost::json::value& reply,
                                    const ActionLogOptions& options, bool current);

// The newest entry on `order_id` whose type is one of `types`, added at or after `since` less
// the clock skew. An entry without a time counts (it cannot be placed before the intent).
std::optional<LoggedAction> find_change(const std::vector<LoggedAction>& log,
                                        const std::string& order_id,
                                        const std::vector<std::string>& types, std::int64_t since,
                                        std::chrono::seconds clock_skew);

// Whether a finished action's status says it did not go through ("Failed", "Cancelled", ...).
bool logged_as_failed(const LoggedAction& action);

}  // namespace rcbatch::jobs
