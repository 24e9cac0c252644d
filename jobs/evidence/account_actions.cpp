#include "jobs/evidence/account_actions.hpp"

#include "engine/net/solo_caller.hpp"
#include "jobs/actions/registry.hpp"
#include "jobs/order/action_setup.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <algorithm>

namespace rcbatch::jobs {

namespace asio = boost::asio;
using steady = std::chrono::steady_clock;

namespace {
// Gives the look back when its coroutine ends, however it ends (a cancelled order too), and
// wakes the orders waiting for it.
struct LookUnderWay {
    bool& looking;
    asio::steady_timer& done;
    ~LookUnderWay() {
        looking = false;
        done.cancel();
    }
};

std::string failure_text(const engine::CallResult& r) {
    if (!r.verdict.message.empty()) return r.verdict.message;
    if (!r.last.error.empty()) return r.last.error;
    return std::string(engine::to_string(r.outcome));
}

const char* order_name(ListOrder o) {
    switch (o) {
        case ListOrder::ascending:
            return "ascending";
        case ListOrder::descending:
            return "descending";
        case ListOrder::unsorted:
            return "unsorted";
        case ListOrder::detect:
            break;
    }
    return "not seen";
}
}  // namespace

AccountActions::AccountActions(ActionLogOptions options, std::chrono::seconds window,
                               std::chrono::seconds clock_skew,
                               std::shared_ptr<engine::ServerClock> clock)
    : options_(std::move(options)), window_(window), skew_(clock_skew), clock_(std::move(clock)) {
    order_[0] = order_[1] = options_.scan_order;
}

void AccountActions::unreadable(std::string why) {
    if (!readable_) return;
    readable_ = false;
    reason_ = std::move(why);
    if (on_unreadable) on_unreadable(unreadable_message());
}

std::string AccountActions::unreadable_message() const {
    return "the account's action lists cannot be read (" + reason_ +
           "): the repeat guard uses this machine's ledger alone for the rest of the run, blind "
           "to other clients and the panel";
}

void AccountActions::merge(LoggedAction a) {
    if (a.eaqid.empty() || a.order_id.empty()) return;
    newest_added_ = std::max(newest_added_, a.added);
    auto& of_order = by_order_[a.order_id];
    const bool fresh = !of_order.contains(a.eaqid);
    of_order[a.eaqid] = std::move(a);
    actions_ += fresh ? 1 : 0;
}

asio::awaitable<bool> AccountActions::look_at_list(const ActionSetup& setup,
                                                   engine::CallContext& ctx, bool current,
                                                   std::int64_t cutoff) {
    const int i = current ? 1 : 0;
    ListScan scan(order_[i], cutoff, options_.scan_page_size, options_.scan_max_pages, total_[i]);
    CallParams call = call_params(setup, current ? options_.current_path : options_.archived_path);
    while (const int page = scan.next_page()) {
        call.params = {{"no-of-records", std::int64_t{options_.scan_page_size}},
                       {"page-no", std::int64_t{page}}};
        engine::CallResult r = co_await engine::call(
            ctx, build_request(action_log_reader(current), call), make_interpreter(setup.reply));
        ++calls_;
        if (r.halted || ctx.control.halted()) co_return false;
        if (r.outcome != engine::Outcome::ok) {
            unreadable(failure_text(r));
            co_return false;
        }
        scan.read(page, parse_action_log_page(r.verdict.value, options_, current));
    }
    if (scan.failed()) {
        unreadable(scan.error());
        co_return false;
    }
    order_[i] = scan.order();
    total_[i] = scan.total();
    if (!looked_at_) whole_ = whole_ && scan.whole();
    for (LoggedAction& a : scan.entries()) merge(std::move(a));
    co_return true;
}

asio::awaitable<void> AccountActions::look(const ActionSetup& setup, engine::CallContext& ctx,
                                           std::chrono::seconds max_age) {
    if (!look_done_) look_done_.emplace(co_await asio::this_coro::executor);
    for (;;) {
        if (!readable_) co_return;
        if (looked_at_ && steady::now() - *looked_at_ <= max_age) co_return;
        if (!looking_) break;
        // Another order's look is under way: wait for it without a request slot, so that
        // order (which gives its slot back while it backs off) always gets one again.
        ctx.slot.reset();
        co_await look_done_->async_wait(asio::as_tuple(asio::use_awaitable));
    }
    looking_ = true;
    look_done_->expires_at(steady::time_point::max());
    const LookUnderWay under_way{looking_, *look_done_};
    const auto started = steady::now();
    // The first look reads the whole window back; a later one what is new since the newest
    // action seen (the lists' own times, so this machine's clock does not matter).
    const std::int64_t server_now = clock_->unix_or_local(std::chrono::system_clock::now());
    std::int64_t cutoff = server_now - window_.count() - skew_.count();
    if (looked_at_ && newest_added_ > 0) cutoff = std::max(cutoff, newest_added_ - skew_.count());
    const int attempts = ctx.attempts, retries = ctx.retries;  // not the order's own calls
    bool ok = co_await look_at_list(setup, ctx, true, cutoff);
    ok = ok && co_await look_at_list(setup, ctx, false, cutoff);
    ctx.attempts = attempts, ctx.retries = retries;
    if (ok) {
        looked_at_ = started;
        ++looks_;
    }
}

ActionsLook AccountActions::look_of(const std::string& order_id) const {
    ActionsLook look;
    look.readable = readable_ && looked_at_.has_value();
    if (!look.readable) return look;
    if (auto it = by_order_.find(order_id); it != by_order_.end())
        for (const auto& [eaqid, a] : it->second) look.entries.push_back(a);
    look.whole_lists = whole_;
    look.newest_added = newest_added_;
    look.server_now = clock_->unix_or_local(std::chrono::system_clock::now());
    return look;
}

boost::json::object AccountActions::summary() const {
    boost::json::object o{{"readable", readable_},
                          {"looks", looks_},
                          {"calls", calls_},
                          {"actions", actions_},
                          {"current_order", order_name(order_[1])},
                          {"archived_order", order_name(order_[0])}};
    if (!readable_) o["error"] = reason_;
    return o;
}

LogAnswer read_order_actions(asio::io_context& ioc, const ActionSetup& setup,
                             const engine::BatchSettings& settings, const std::string& order_id) {
    LogAnswer answer;
    std::exception_ptr failure;
    asio::co_spawn(
        ioc,
        [&]() -> asio::awaitable<void> {
            engine::SoloCaller caller(co_await asio::this_coro::executor, settings);
            answer = co_await read_log(setup, order_id, caller.context());
            co_await caller.close();
        },
        [&](std::exception_ptr e) { failure = e; });
    ioc.run();
    ioc.restart();
    if (failure) std::rethrow_exception(failure);
    return answer;
}

}  // namespace rcbatch::jobs
