#pragma once
// What every request of one run's action needs (ActionSetup, fixed for the run) and the reads
// an order's life makes with it: a domain name's order id, the order's details, its action
// lists page by page. order_runner.cpp runs an order with them; account_actions.cpp reads the
// account's lists with them.

#include "engine/batch/call.hpp"
#include "engine/net/server_clock.hpp"
#include "engine/secret/private_memory.hpp"
#include "jobs/actions/action_spec.hpp"
#include "jobs/api/reply_reader.hpp"
#include "jobs/api/request_builder.hpp"
#include "jobs/evidence/action_log.hpp"
#include "jobs/money/charges.hpp"
#include "jobs/money/unpriced.hpp"
#include "jobs/order/order_flow.hpp"
#include "jobs/order/resolved_orders.hpp"
#include "jobs/run/run_ledger.hpp"

#include <boost/asio/awaitable.hpp>

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace rcbatch::jobs {

class AccountActions;
class BatchedReads;

// What the orders of one run share and change: which order ids resolved domain names reached
// (two names of one order run once). The run's io_context thread alone touches it.
struct RunShared {
    ResolvedOrders resolved;
};

// Everything an action's requests need, fixed for the whole run.
struct ActionSetup {
    const ActionSpec* spec = nullptr;
    std::string path;  // the action's path for the region, or the profile's override
    std::string orderid_path = "/api/domains/orderid.json";
    std::string auth_userid;
    engine::WipedString api_key;  // a secret: goes into requests only
    std::vector<CallParam> params;
    ReplyOptions reply;
    bool post_params_in_query = false;
    std::string details_path;  // where the order is read (backup or domain details)
    FlowSettings flow;         // preflight, plan, reconciliation
    ActionLogOptions log;      // where and how the action log is read
    // The run's ledger, for the cross-run guard; null: no guard (plans, tests, --no-ledger).
    std::shared_ptr<RunLedger> ledger;
    std::shared_ptr<RunShared> shared = std::make_shared<RunShared>();
    // A charged renewal: the list prices (one plan-details call), for a plan's estimate of each
    // order and a run's charge of a change whose answer was lost; null: none read.
    std::shared_ptr<const PriceTable> prices;
    // The account's recent actions, the repeat guard every actor shares; null: not read.
    std::shared_ptr<AccountActions> actions;  // account_actions.hpp
    // The preflight's reads of many orders in one search; null: each order reads on its own.
    std::shared_ptr<BatchedReads> reads;  // batched_reads.hpp
    // The server's clock as the run's replies show it (their Date headers); null: not kept.
    std::shared_ptr<engine::ServerClock> server_clock;
    // max-charge's answer for an order without a list price (set only under max-charge).
    UnpricedPolicy unpriced;
};

// One request through the engine's call(), read with the run's reply options.
boost::asio::awaitable<Answer> ask(engine::CallContext& ctx, engine::HttpRequest request,
                                   const ActionSetup& setup);

// The order id of a domain name (api.md: domains/orderid).
boost::asio::awaitable<Answer> resolve(const ActionSetup& setup, const std::string& name,
                                       engine::CallContext& ctx);

// The order's details, read by the action's reader (preflight, reconciliation).
boost::asio::awaitable<Answer> read_order(const ActionSetup& setup, const std::string& order_id,
                                          engine::CallContext& ctx);

// Both action lists of the order, every page (at most setup.log.max_pages each); the failure
// of the first call that failed, else outcome ok.
boost::asio::awaitable<LogAnswer> read_log(const ActionSetup& setup, const std::string& order_id,
                                           engine::CallContext& ctx);

// The call parameters every request of the run shares, for `path`.
CallParams call_params(const ActionSetup& setup, std::string path);

// The engine's reading of a reply: read_reply() with the run's options. It refers to
// `options` (which must outlive it: the ActionSetup's do), so copying it never allocates.
engine::Interpreter make_interpreter(const ReplyOptions& options);

}  // namespace rcbatch::jobs
