#pragma once
// The API's endpoints: the route table and the handlers, one group per file
// (api_domains.cpp, api_domain_changes.cpp, api_backup.cpp, api_backup_changes.cpp,
// api_actions.cpp). Handlers
// change state and build replies; no I/O.

#include "sandbox/api/params.hpp"
#include "sandbox/api/reply.hpp"

#include <boost/beast/http/verb.hpp>

#include <cstdint>
#include <string>
#include <string_view>

namespace rcbatch::sandbox {

class Service;
struct Order;

struct Context {
    Service& service;
    const Params& params;
    std::string_view region;  // "us" / "asia" for backup endpoints
    bool late = false;        // the apply-late fault: hold an accepted change back
    bool applied = false;     // set by a handler that succeeded (a change: accepted)
    bool deferred = false;    // set by Service::accept: the change has not taken effect yet
};

using Handler = Reply (*)(Context&);

struct Endpoint {
    std::string path;
    boost::beast::http::verb method;
    std::string_view action;    // "backup.renew": the name counters and faults use
    std::string_view id_param;  // "backup-order-id"; empty: the call names no order
    std::string region;
    Handler handler;
    bool records_action = false;  // an accepted call adds to the action log
};

// The endpoint at `path` (every region and alternative spelling), or nullptr.
const Endpoint* find_endpoint(std::string_view path);

// Handlers.
Reply domain_search(Context& ctx);
Reply domain_details(Context& ctx);
Reply domain_orderid(Context& ctx);
Reply nixi_resend(Context& ctx);
Reply domain_renew(Context& ctx);
Reply domain_modify_ns(Context& ctx);
Reply domain_enable_theft_protection(Context& ctx);
Reply domain_disable_theft_protection(Context& ctx);
Reply domain_modify_privacy(Context& ctx);
// api_orders.cpp: orders/suspend and orders/unsuspend, for domain and backup orders alike; no
// shipped action calls them (a user's action file does: jobs/examples/actions/).
Reply orders_suspend(Context& ctx);
Reply orders_unsuspend(Context& ctx);
Reply backup_search(Context& ctx);
Reply backup_details(Context& ctx);
Reply backup_renew(Context& ctx);
Reply backup_delete(Context& ctx);
Reply backup_auto_login(Context& ctx);
Reply backup_install_agent(Context& ctx);
Reply plan_details(Context& ctx);
Reply actions_search_current(Context& ctx);
Reply actions_search_archived(Context& ctx);

// `unix_seconds` moved by `months` calendar months (UTC), the day clamped to the month's end.
std::int64_t add_months(std::int64_t unix_seconds, int months);

// The order named by `param`, if it exists, is of `kind` (and `region`) and belongs to
// the reseller; otherwise the API's error reply goes into `error`.
Order* find_order(Context& ctx, std::string_view param, bool backup, Reply& error);

}  // namespace rcbatch::sandbox
