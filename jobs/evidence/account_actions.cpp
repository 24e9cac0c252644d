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

void AccountActions::merge(LoggedAction a, std::uint64_t look) {
    untimed_ = untimed_ || a.added == 0;
    unattributed_ = unattributed_ || a.eaqid.empty() || a.order_id.empty();
    if (a.eaqid.empty() || a.order_id.empty()) return;
    newest_added_ = std::max(newest_added_, a.added);
    auto& of_order = by_order_[a.order_id];
    const bool fresh = !of_order.contains(a.eaqid);
    std::string eaqid = a.eaqid;
    of_order[std::move(eaqid)] = SeenAction{std::move(a), look};
    actions_ += fresh ? 1 : 0;
}

asio::awaitable<bool> AccountActions::look_at_list(const ActionSetup& setup,
                                                   engine::CallContext& ctx, bool current,
                                                   LookMark& mark) {
    const int i = current ? 1 : 0;
    ListScan scan(order_[i], mark.cutoff, options_.scan_page_size, options_.scan_max_pages,
                  total_[i]);
    CallParams call = call_params(setup, current ? options_.current_path : options_.archived_path);
    std::optional<std::uint64_t> count;  // the list's size, as its first page read said
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
        ActionLogPage parsed = parse_action_log_page(r.verdict.value, options_, current);
        // A list that changed between its pages may have moved an entry onto a page read before.
        if (count && parsed.error.empty() && parsed.total != *count) mark.steady = false;
        if (!count) count = parsed.total;
        scan.read(page, std::move(parsed));
    }
    if (scan.failed()) {
        unreadable(scan.error());
        co_return false;
    }
    order_[i] = scan.order();
    total_[i] = scan.total();
    mark.whole = mark.whole && scan.whole();
    if (!looked_at_) whole_ = whole_ && scan.whole();
    for (LoggedAction& a : scan.entries()) merge(std::move(a), mark.number);
    co_return true;
}

template <class Enough>
asio::awaitable<bool> AccountActions::wait_turn(engine::CallContext& ctx, const Enough& enough) {
    if (!look_done_) look_done_.emplace(co_await asio::this_coro::executor);
    for (;;) {
        if (!readable_ || enough()) co_return false;
        if (!looking_) co_return true;
        // Another order's look is under way: wait for it without a request slot, so that
        // order (which gives its slot back while it backs off) always gets one again.
        ctx.slot.reset();
        co_await look_done_->async_wait(asio::as_tuple(asio::use_awaitable));
    }
}

asio::awaitable<void> AccountActions::run_look(const ActionSetup& setup, engine::CallContext& ctx) {
    looking_ = true;
    const std::uint64_t number = ++begun_;
    look_done_->expires_at(steady::time_point::max());
    const LookUnderWay under_way{looking_, *look_done_};
    const auto started = steady::now();
    // The first look reads the whole window back; a later one what is new since the newest
    // action seen (the lists' own times, so this machine's clock does not matter), and as far
    // back as an order in doubt waiting for it needs.
    const std::int64_t server_now = clock_->unix_or_local(std::chrono::system_clock::now());
    std::int64_t cutoff = server_now - window_.count() - skew_.count();
    if (looked_at_ && newest_added_ > 0) cutoff = std::max(cutoff, newest_added_ - skew_.count());
    if (wanted_) cutoff = std::min(cutoff, *wanted_);
    wanted_.reset();
    const int attempts = ctx.attempts, retries = ctx.retries;  // not the order's own calls
    LookMark mark{number, cutoff, true, true};
    bool ok = co_await look_at_list(setup, ctx, true, mark);
    ok = ok && co_await look_at_list(setup, ctx, false, mark);
    ctx.attempts = attempts, ctx.retries = retries;
    if (ok) {
        looked_at_ = started;
        ++looks_;
        last_ = mark;
        if (!first_cutoff_) first_cutoff_ = cutoff;
    }
}

asio::awaitable<void> AccountActions::look(const ActionSetup& setup, engine::CallContext& ctx,
                                           std::chrono::seconds max_age) {
    const auto fresh = [&] { return looked_at_ && steady::now() - *looked_at_ <= max_age; };
    const bool mine = co_await wait_turn(ctx, fresh);
    if (mine) co_await run_look(setup, ctx);
}

asio::awaitable<std::optional<LookMark>> AccountActions::look_since(const ActionSetup& setup,
                                                                    engine::CallContext& ctx,
                                                                    std::uint64_t ticket,
                                                                    std::int64_t reach) {
    const auto serves = [&] {
        return last_ && last_->number > ticket && (last_->whole || last_->cutoff <= reach);
    };
    // Asked of the next look, whoever starts it; again before this caller's own, in case a
    // look that took it ended unfinished.
    const auto want = [&] { wanted_ = wanted_ ? std::min(*wanted_, reach) : reach; };
    want();
    const bool mine = co_await wait_turn(ctx, serves);
    if (serves()) co_return last_;
    if (!mine || ctx.control.halted()) co_return std::nullopt;
    want();
    co_await run_look(setup, ctx);
    if (serves()) co_return last_;
    co_return std::nullopt;
}

LookSighting AccountActions::sighting(const std::string& order_id) const {
    LookSighting s;
    s.untimed = untimed_;
    s.unattributed = unattributed_;
    if (auto it = by_order_.find(order_id); it != by_order_.end())
        for (const auto& [eaqid, seen] : it->second) s.entries.push_back(seen);
    return s;
}

std::int64_t AccountActions::reach_floor() const {
    const std::int64_t window_start =
        clock_->unix_or_local(std::chrono::system_clock::now()) - window_.count() - skew_.count();
    return first_cutoff_ ? std::min(*first_cutoff_, window_start) : window_start;
}

ActionsLook AccountActions::look_of(const std::string& order_id) const {
    ActionsLook look;
    look.readable = readable_ && looked_at_.has_value();
    if (!look.readable) return look;
    if (auto it = by_order_.find(order_id); it != by_order_.end())
        for (const auto& [eaqid, seen] : it->second) look.entries.push_back(seen.action);
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
