#pragma once
// The account's recent actions (api.md §6, both lists, every order): the repeat guard every
// actor shares (DESIGN.md). Read once by the first order about to change (the others wait for
// it), over the whole `repeat-guard` window, and again as the run goes on (only what is new
// since the last look), so no change leaves on a look older than `scan_max_age`. Not one call per
// order: a page holds 500 actions. One object per run; the run's io_context thread alone touches
// it.

#include "engine/batch/batch.hpp"
#include "engine/batch/call.hpp"
#include "engine/net/server_clock.hpp"
#include "jobs/evidence/action_log.hpp"
#include "jobs/evidence/action_scan.hpp"
#include "jobs/order/order_flow.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/json/object.hpp>

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>

namespace rcbatch::jobs {

struct ActionSetup;  // order_runner.hpp

class AccountActions {
  public:
    // `window`: how far back the first look reads (the repeat guard); `clock`: the run's
    // estimate of the server's clock (the lists' times are the server's).
    AccountActions(ActionLogOptions options, std::chrono::seconds window,
                   std::chrono::seconds clock_skew, std::shared_ptr<engine::ServerClock> clock);

    // Makes the look no older than `max_age`: reads both lists as far back as needed, on the
    // caller's connection and rate. One look at a time: an order that finds one under way
    // waits for it. Never throws for an API or network failure: the lists are then unreadable
    // for the rest of the run, said once through `on_unreadable`. A run that halts ends it.
    boost::asio::awaitable<void> look(const ActionSetup& setup, engine::CallContext& ctx,
                                      std::chrono::seconds max_age);

    // What the last look showed of `order_id`.
    ActionsLook look_of(const std::string& order_id) const;
    bool readable() const noexcept { return readable_; }
    const std::string& unreadable_reason() const noexcept { return reason_; }
    // "the account's action lists cannot be read (REASON): the repeat guard uses ..."
    std::string unreadable_message() const;
    // For summary.json: looks, calls, actions known, the lists' order, or why unreadable.
    boost::json::object summary() const;

    // Told once, when the lists turn out unreadable during the run.
    std::function<void(const std::string&)> on_unreadable;

  private:
    boost::asio::awaitable<bool> look_at_list(const ActionSetup& setup, engine::CallContext& ctx,
                                              bool current, std::int64_t cutoff);
    void unreadable(std::string why);
    void merge(LoggedAction a);

    ActionLogOptions options_;
    std::chrono::seconds window_, skew_;
    std::shared_ptr<engine::ServerClock> clock_;
    // order id -> eaqid -> the action as last seen
    std::unordered_map<std::string, std::map<std::string, LoggedAction>> by_order_;
    bool readable_ = true;
    std::string reason_;
    bool looking_ = false;
    std::optional<std::chrono::steady_clock::time_point> looked_at_;
    std::optional<boost::asio::steady_timer> look_done_;           // cancelled when a look ends
    ListOrder order_[2] = {ListOrder::detect, ListOrder::detect};  // [current]
    std::uint64_t total_[2] = {0, 0};
    bool whole_ = true;
    std::int64_t newest_added_ = 0;
    std::uint64_t looks_ = 0, calls_ = 0, actions_ = 0;
};

// One order's action lists outside a run (rcbatch history), on a connection of its own: runs
// read_log on `ioc` to its end, then restarts it.
LogAnswer read_order_actions(boost::asio::io_context& ioc, const ActionSetup& setup,
                             const engine::BatchSettings& settings, const std::string& order_id);

}  // namespace rcbatch::jobs
