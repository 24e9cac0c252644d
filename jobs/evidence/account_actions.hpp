#pragma once
// The account's recent actions (api.md §6, both lists, every order): the repeat guard every
// actor shares (DESIGN.md). Read once by the first order about to change (the others wait for
// it), over the whole `repeat-guard` window, and again as the run goes on (only what is new
// since the last look), so no change leaves on a look older than `scan_max_age`. Not one call per
// order: a page holds 500 actions. One object per run; the run's io_context thread alone touches
// it.
//
// The same looks answer orders in doubt (log_from_look.hpp): an order whose answer was lost
// takes a ticket (looks_begun) and waits for a look begun after it — never one already under
// way, which may have read the lists before the lost change was listed — that reads back to its
// intent; one look serves every order waiting on it.

#include "engine/batch/batch.hpp"
#include "engine/batch/call.hpp"
#include "engine/net/server_clock.hpp"
#include "jobs/evidence/action_log.hpp"
#include "jobs/evidence/action_scan.hpp"
#include "jobs/evidence/look_evidence.hpp"
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

    // Looks begun so far (under way or ended): an order's ticket when its doubt begins.
    std::uint64_t looks_begun() const noexcept { return begun_; }
    // Makes sure a look begun after `ticket` has ended that read both lists back to `reach` at
    // least (Unix seconds, server clock; or whole): returns the last such look, as look() waits
    // for one under way or starts one (that reads back to `reach` too). nullopt when none can
    // be had: the lists turned unreadable, or the run halted. Never throws for an API failure.
    boost::asio::awaitable<std::optional<LookMark>> look_since(const ActionSetup& setup,
                                                               engine::CallContext& ctx,
                                                               std::uint64_t ticket,
                                                               std::int64_t reach);
    // What the looks saw of `order_id` (`look` left for the caller) and of the lists.
    LookSighting sighting(const std::string& order_id) const;
    // How far back (server clock) look_since may be asked to read: as far as the first look
    // read, or the repeat guard's window; further could take more pages than a look reads.
    std::int64_t reach_floor() const;

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
    // Waits while another look is under way (without a request slot) until `enough` holds or
    // none is; false when `enough` held or the lists are unreadable, true when this caller
    // must look itself.
    template <class Enough>
    boost::asio::awaitable<bool> wait_turn(engine::CallContext& ctx, const Enough& enough);
    boost::asio::awaitable<void> run_look(const ActionSetup& setup, engine::CallContext& ctx);
    // One list, for the look `mark` (its number and cutoff), whose whole and steady it updates.
    boost::asio::awaitable<bool> look_at_list(const ActionSetup& setup, engine::CallContext& ctx,
                                              bool current, LookMark& mark);
    void unreadable(std::string why);
    void merge(LoggedAction a, std::uint64_t look);

    ActionLogOptions options_;
    std::chrono::seconds window_, skew_;
    std::shared_ptr<engine::ServerClock> clock_;
    // order id -> eaqid -> the action as last seen, and by which look
    std::unordered_map<std::string, std::map<std::string, SeenAction>> by_order_;
    bool untimed_ = false, unattributed_ = false;  // entries seen without a time, order or id
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
    std::uint64_t begun_ = 0;                   // looks begun, the one under way included
    std::optional<LookMark> last_;              // the last look that ended with both lists read
    std::optional<std::int64_t> first_cutoff_;  // how far back the first look read
    std::optional<std::int64_t> wanted_;  // the furthest back a waiting order needs the next look
};

// One order's action lists outside a run (rcbatch history), on a connection of its own: runs
// read_log on `ioc` to its end, then restarts it.
LogAnswer read_order_actions(boost::asio::io_context& ioc, const ActionSetup& setup,
                             const engine::BatchSettings& settings, const std::string& order_id);

}  // namespace rcbatch::jobs
