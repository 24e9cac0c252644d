#pragma once
// An order's action log (api.md §6): the current (pending) and archived (finished) actions,
// the strongest evidence that a change whose answer was lost was made, and what the account's
// recent actions say before a change leaves (the repeat guard every actor shares). Field names
// and action types are a guess of api.md, so a profile can rename them. Pure: parsing and
// matching only.

#include "engine/defaults.hpp"

#include <boost/json/value.hpp>

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace rcbatch::jobs {

// In which order a list gives its entries across pages, by eaqid (api.md does not say [guess]).
enum class ListOrder { detect, ascending, descending, unsorted };

struct ActionLogOptions {
    bool enabled = true;  // false: the log is not read (a lost answer needs other evidence)
    std::string current_path = "/api/actions/search-current.json";
    std::string archived_path = "/api/actions/search-archived.json";
    std::string id_field = "eaqid";
    std::string order_field = "entityid";
    std::string type_field = "actiontype";
    std::string type_desc_field = "actiontypedesc";
    std::string status_field = "actionstatus";
    std::string status_desc_field = "actionstatusdesc";
    std::string added_field = "actionaddedtime";
    // Action name -> the log's action types of its change, replacing the action's own.
    std::map<std::string, std::vector<std::string>> types;
    int page_size = 100;  // entries a page of one order's lists (the API takes 10..500)
    int max_pages = 20;   // per list; an order with more is undecidable
    // The account's lists, read as the repeat guard (account_actions.hpp).
    int scan_page_size = 500;
    int scan_max_pages = 40;  // per list and look: more within the window is unreadable
    ListOrder scan_order = ListOrder::detect;
    std::chrono::seconds scan_max_age =
        defaults::action_scan_max_age;  // the last look's age, at most, when a change leaves
};

struct LoggedAction {
    std::string eaqid;
    std::string order_id;
    std::string type;
    std::string status;            // "status: description" when both are there
    std::int64_t added = 0;        // Unix seconds on the server's clock; 0 when the entry has none
    bool current = false;          // from the current (pending) list
    std::string description = {};  // actiontypedesc: "Renewal of ... for 12 months"
};

struct ActionLogPage {
    std::vector<LoggedAction> entries;  // in the page's order ("1", "2", ...)
    std::uint64_t total = 0;            // recsindb: entries in the whole list
    std::string error;                  // the reply is not a search reply
};

// What reading one order's action list does after page `page` (1-based) whose parse is
// `parsed`, with `seen` entries read so far including it: read the next page, stop (every
// entry read: an empty page, or as many as the list counts), or give up because the list has
// more pages than `max_pages` (the order is then undecidable, never "not applied").
enum class ListPaging { next_page, done, too_many_pages };
ListPaging after_page(std::int64_t page, std::uint64_t seen, const ActionLogPage& parsed,
                      int max_pages);

// One page of search-current.json (`current`) or search-archived.json.
ActionLogPage parse_action_log_page(const boost::json::value& reply,
                                    const ActionLogOptions& options, bool current);

// What the account's lists showed before the send (account_actions.hpp): an action missing
// from it is new.
struct PreSendLook {
    std::set<std::string> eaqids;   // the order's actions then
    bool whole_lists = false;       // both lists were read whole: any other action is new
    std::int64_t newest_added = 0;  // the newest added time on the lists then; 0: none seen
};

// What places a logged action after an intent: the intent's time on the server's clock (the
// replies' Date), else the look before the send. Neither: no action can be placed.
struct EvidenceBound {
    std::optional<std::int64_t> server_since;
    std::optional<PreSendLook> look;
    std::chrono::seconds clock_skew = defaults::clock_skew;  // before the intent, still counts
};

enum class Placed { after, before, cannot_tell };
Placed place(const LoggedAction& action, const EvidenceBound& bound);

struct ChangeSearch {
    std::optional<LoggedAction> found;     // the newest placed after the intent
    std::optional<LoggedAction> unplaced;  // one that cannot be placed (when none is found)
};

// The entries on `order_id` whose type is one of `types`, placed against `bound`.
ChangeSearch find_change(const std::vector<LoggedAction>& log, const std::string& order_id,
                         const std::vector<std::string>& types, const EvidenceBound& bound);

// The newest entry on `order_id` of one of `types` added at or after `since` (server clock)
// that did not fail: a change some actor made recently (the repeat guard). An entry without a
// time counts.
std::optional<LoggedAction> recent_change(const std::vector<LoggedAction>& log,
                                          const std::string& order_id,
                                          const std::vector<std::string>& types,
                                          std::int64_t since);

// Whether an action's status says it did not go through ("Failed", "Cancelled", ...), as
// classify_action_status reads it.
bool logged_as_failed(const LoggedAction& action);

// "Success" of "Success: Renewal completed": the status without its description.
std::string bare_status(const LoggedAction& action);

}  // namespace rcbatch::jobs
