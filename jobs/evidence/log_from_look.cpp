#include "jobs/evidence/log_from_look.hpp"

#include "jobs/evidence/account_actions.hpp"
#include "jobs/order/action_setup.hpp"

namespace rcbatch::jobs {

namespace {
// The look's answer for the order, or nullopt when it cannot give one.
boost::asio::awaitable<std::optional<LogAnswer>> from_look(AccountActions& actions,
                                                           const ActionSetup& setup,
                                                           const std::string& order_id,
                                                           std::int64_t since,
                                                           engine::CallContext& ctx) {
    // Taken before anything is awaited: a look begun so far may have read the lists before the
    // lost change was on them.
    const std::uint64_t ticket = actions.looks_begun();
    const std::int64_t reach = since - setup.flow.clock_skew.count();
    // Further back a look may need more pages than it reads, and failing would take the
    // guard's lists away from the rest of the run.
    if (!actions.readable() || reach < actions.reach_floor()) co_return std::nullopt;
    const std::optional<LookMark> look = co_await actions.look_since(setup, ctx, ticket, reach);
    if (!look) co_return std::nullopt;
    LookSighting sighting = actions.sighting(order_id);
    sighting.look = *look;
    LookLog log = log_from_look(sighting, reach);
    co_return std::move(log.answer);
}
}  // namespace

boost::asio::awaitable<LogAnswer> read_log_or_look(const ActionSetup& setup,
                                                   const std::string& order_id,
                                                   std::optional<std::int64_t> since,
                                                   engine::CallContext& ctx) {
    if (setup.actions && since) {
        std::optional<LogAnswer> looked =
            co_await from_look(*setup.actions, setup, order_id, *since, ctx);
        if (looked) co_return std::move(*looked);
    }
    LogAnswer own = co_await read_log(setup, order_id, ctx);
    co_return own;
}

}  // namespace rcbatch::jobs
