#pragma once
// Batched preflight reads (issue #20): the state of many orders read in one call of the
// action's search (`order-id` repeated), ahead of the workers, so a change costs one request
// instead of two. An order's worker asks for its state; the first that finds none reads it
// together with the ids of the targets after it (lookahead_source.hpp), and the others wait for
// that read without a request slot. An answer is trusted only when it is one
// (batch_read_reply.hpp); an order it does not answer is read on its own with `details`, a
// state older than `max_age` is read again, and an answer that cannot be trusted stops batched
// reads for the run, said once. One object per run; the run's io_context thread alone
// touches it.

#include "engine/batch/call.hpp"
#include "jobs/order/lookahead_source.hpp"
#include "jobs/order/order_flow.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/json/object.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace rcbatch::jobs {

struct ActionSetup;  // action_setup.hpp

struct BatchReadSettings {
    std::size_t size = 200;  // orders a call (no-of-records allows 500; a URL must stay short)
    // A state this old is read again before its change (0: every one is).
    std::chrono::milliseconds max_age{60'000};
};

class BatchedReads {
  public:
    // `search`: the action that lists the orders (backup.search, domain.search) at
    // `search_path`; `fields`: what the preflight reads of an order (an entry without one is
    // read on its own).
    BatchedReads(BatchReadSettings settings, const ActionSpec& search, std::string search_path,
                 std::vector<std::string> fields);

    // The run's targets, read ahead; batched reads need them (none: every order reads alone).
    void attach(LookaheadSource* ahead) noexcept { ahead_ = ahead; }

    // The order's state from a batched read (a details-shaped object in an ok Answer), or
    // nullopt: read it on its own. May read for many orders on the caller's connection and
    // rate, or wait for another order's read.
    boost::asio::awaitable<std::optional<Answer>> read(const ActionSetup& setup,
                                                       const std::string& order_id,
                                                       engine::CallContext& ctx);

    bool on() const noexcept { return off_.empty(); }
    std::size_t size() const noexcept { return settings_.size; }
    // For summary.json: calls, orders they read, orders judged from them, read alone, stale,
    // and why batched reads stopped, if they did.
    boost::json::object summary() const;

    // Told once, when batched reads stop for the run because the API answered unexpectedly.
    std::function<void(const std::string&)> on_off;

  private:
    struct Flight;
    struct State {
        std::chrono::steady_clock::time_point at;
        std::optional<boost::json::object> details;  // nullopt: not answered, read alone
    };

    boost::asio::awaitable<void> read_batch(const ActionSetup& setup, std::vector<std::string> ids,
                                            engine::CallContext& ctx);
    // After an order took its state: the next batch, when few read states are left and no
    // read is under way, so the workers after it never wait for one.
    boost::asio::awaitable<void> read_ahead(const ActionSetup& setup, engine::CallContext& ctx);
    std::vector<std::string> next_ids(std::size_t n) const;
    void keep(const std::string& id, std::optional<boost::json::object> details);
    // `say`: tell on_off (a surprise); an action whose rules read what no search carries
    // (NIXI's statuses) stops quietly, its summary alone saying why.
    void turn_off(std::string why, bool say = true);

    BatchReadSettings settings_;
    const ActionSpec& search_;
    std::string search_path_;
    std::vector<std::string> fields_;
    LookaheadSource* ahead_ = nullptr;
    std::map<std::string, State> states_;                    // read, not yet taken
    std::map<std::string, std::shared_ptr<Flight>> flying_;  // being read
    std::string off_;
    std::uint64_t calls_ = 0, orders_ = 0, judged_ = 0, alone_ = 0, stale_ = 0;
};

// The batched reads of `action`'s preflight, when the run reads orders before their changes
// and a search lists them (at `path_of(search)`); else null.
std::shared_ptr<BatchedReads> make_batched_reads(
    const ActionSetup& action, BatchReadSettings settings,
    const std::function<std::string(const ActionSpec& search)>& path_of);

}  // namespace rcbatch::jobs
