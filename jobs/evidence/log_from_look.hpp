#pragma once
// The evidence step of an order in doubt (OrderFlow's Step::read_log), batched: when the run
// reads the account's action lists (the repeat guard, account_actions.hpp) and they are
// readable, the order's entries come from a look at them begun after its doubt did — one look
// for every order waiting on it, two requests or so instead of two or more an order — and the
// flow weighs them exactly as it weighs the order's own lists (look_evidence.hpp says when a
// look can stand in for them). Otherwise, and whenever the look cannot prove it saw every action
// that could be the lost change, the order reads its own lists (read_log).

#include "engine/batch/call.hpp"
#include "jobs/order/order_flow.hpp"

#include <boost/asio/awaitable.hpp>

#include <cstdint>
#include <optional>
#include <string>

namespace rcbatch::jobs {

struct ActionSetup;  // action_setup.hpp

// The order's action log, from a look at the account's lists or its own lists. `since`: the
// intent's time on the server's clock (what places an action after it); without it, the order's
// own lists. Call it when the flow asks, so the look it waits for began after the doubt. The
// failure of the call that failed, as read_log gives it; never throws for an API failure.
boost::asio::awaitable<LogAnswer> read_log_or_look(const ActionSetup& setup,
                                                   const std::string& order_id,
                                                   std::optional<std::int64_t> since,
                                                   engine::CallContext& ctx);

}  // namespace rcbatch::jobs
