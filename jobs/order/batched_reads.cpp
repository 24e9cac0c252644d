#include "jobs/order/batched_reads.hpp"

#include "jobs/actions/registry.hpp"
#include "jobs/money/charges.hpp"
#include "jobs/order/action_setup.hpp"
#include "jobs/order/batch_read_reply.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <algorithm>

namespace rcbatch::jobs {

namespace asio = boost::asio;
using steady = std::chrono::steady_clock;

// One batched read under way: the orders it reads wait on `done`, cancelled when it ends.
struct BatchedReads::Flight {
    explicit Flight(asio::any_io_executor ex) : done(std::move(ex)) {}
    asio::steady_timer done;
};

namespace {
// Ends a read's flight however its coroutine ends (a cancelled order too), and wakes the
// orders waiting for it.
struct FlightLanding {
    std::function<void()> land;
    ~FlightLanding() { land(); }
};
}  // namespace

BatchedReads::BatchedReads(BatchReadSettings settings, const ActionSpec& search,
                           std::string search_path, std::vector<std::string> fields)
    : settings_(settings),
      search_(search),
      search_path_(std::move(search_path)),
      fields_(std::move(fields)) {
    settings_.size = std::clamp<std::size_t>(settings_.size, 1, 500);
}

void BatchedReads::turn_off(std::string why, bool say) {
    if (!off_.empty()) return;
    off_ = std::move(why);
    states_.clear();
    if (say && on_off) on_off(off_);
}

std::vector<std::string> BatchedReads::next_ids(std::size_t n) const {
    if (!ahead_ || n == 0) return {};
    return ahead_->upcoming(
        n, [this](const std::string& id) { return states_.contains(id) || flying_.contains(id); });
}

void BatchedReads::keep(const std::string& id, std::optional<boost::json::object> details) {
    states_[id] = State{steady::now(), std::move(details)};
}

asio::awaitable<std::optional<Answer>> BatchedReads::read(const ActionSetup& setup,
                                                          const std::string& order_id,
                                                          engine::CallContext& ctx) {
    bool asked = false;
    for (;;) {
        if (!off_.empty() || !ahead_) co_return std::nullopt;
        if (auto it = states_.find(order_id); it != states_.end()) {
            State state = std::move(it->second);
            states_.erase(it);
            if (!state.details) {
                ++alone_;
                co_return std::nullopt;
            }
            if (steady::now() - state.at >= settings_.max_age) {
                ++stale_;
                co_return std::nullopt;
            }
            ++judged_;
            co_await read_ahead(setup, ctx);
            Answer a;
            a.outcome = engine::Outcome::ok;
            a.value = std::move(*state.details);
            co_return a;
        }
        if (auto it = flying_.find(order_id); it != flying_.end()) {
            // Wait without a request slot, so the order reading (which may back off and take
            // one again) always gets one.
            std::shared_ptr<Flight> flight = it->second;
            ctx.slot.reset();
            co_await flight->done.async_wait(asio::as_tuple(asio::use_awaitable));
            continue;
        }
        // Asked once and still neither read nor under way: the read was cut short.
        if (asked) co_return std::nullopt;
        asked = true;
        std::vector<std::string> ids{order_id};
        for (std::string& id : next_ids(settings_.size - 1))
            if (id != order_id) ids.push_back(std::move(id));
        co_await read_batch(setup, std::move(ids), ctx);
    }
}

asio::awaitable<void> BatchedReads::read_ahead(const ActionSetup& setup, engine::CallContext& ctx) {
    if (!flying_.empty() || states_.size() >= settings_.size / 2) co_return;
    std::vector<std::string> ids = next_ids(settings_.size);
    if (!ids.empty()) co_await read_batch(setup, std::move(ids), ctx);
}

asio::awaitable<void> BatchedReads::read_batch(const ActionSetup& setup,
                                               std::vector<std::string> ids,
                                               engine::CallContext& ctx) {
    auto flight = std::make_shared<Flight>(co_await asio::this_coro::executor);
    for (const std::string& id : ids) flying_[id] = flight;
    FlightLanding landing{[this, &ids, flight] {
        for (const std::string& id : ids) {
            auto it = flying_.find(id);
            if (it != flying_.end() && it->second == flight) flying_.erase(it);
        }
        flight->done.cancel();
    }};
    // States nobody took (an order that ended before its read: a duplicate, a resumed
    // intent) are dropped when stale, and the oldest when more than a few batches wait, so
    // memory stays bounded by the batch size, not by the orders.
    std::erase_if(states_, [this](const auto& entry) {
        return steady::now() - entry.second.at >= settings_.max_age;
    });
    while (!states_.empty() && states_.size() + ids.size() > 4 * settings_.size)
        states_.erase(std::min_element(
            states_.begin(), states_.end(),
            [](const auto& a, const auto& b) { return a.second.at < b.second.at; }));

    CallParams call = call_params(setup, search_path_);
    call.params = {{"no-of-records", std::int64_t(std::max<std::size_t>(ids.size(), 10))},
                   {"page-no", std::int64_t{1}},
                   {"order-id", ids}};
    Answer a = co_await ask(ctx, build_request(search_, call), setup);
    ++calls_;
    if (ctx.control.halted()) co_return;
    if (a.outcome != engine::Outcome::ok) {
        turn_off("a batched read failed (" + a.message + ")");
        co_return;
    }
    BatchReadReply reply = check_batch_reply(a.value, ids, fields_, setup.flow.preflight_options);
    if (!reply.untrusted.empty()) {
        turn_off(std::string(search_.name) + " did not answer its order-id filter (" +
                 reply.untrusted + ")");
        co_return;
    }
    if (!reply.lacking_field.empty() && reply.found.empty()) {
        turn_off(std::string(search_.name) + "'s entries have no " + reply.lacking_field +
                     ", which the preflight reads",
                 false);
        co_return;
    }
    orders_ += reply.found.size();
    for (auto& [id, details] : reply.found) keep(id, std::move(details));
    for (const std::string& id : reply.missing) keep(id, std::nullopt);
    for (const std::string& id : reply.incomplete) keep(id, std::nullopt);
}

std::shared_ptr<BatchedReads> make_batched_reads(
    const ActionSetup& action, BatchReadSettings settings,
    const std::function<std::string(const ActionSpec& search)>& path_of) {
    const ActionSpec& spec = *action.spec;
    const ActionBehaviour& behaviour = behaviour_of(spec);
    const ActionSpec* reader = reader_of(spec);
    const bool reads = action.flow.preflight || action.flow.dry_run || !behaviour.fences.empty();
    const ActionSpec* search = reader && reads ? search_action(reader->targets) : nullptr;
    if (!search) return nullptr;
    std::vector<std::string> fields = behaviour.read_fields;
    if (fields.empty()) fields = {"currentstatus", "endtime"};
    if (estimates_charges(spec)) fields.push_back("planid");  // a charge's list price
    return std::make_shared<BatchedReads>(settings, *search, path_of(*search), std::move(fields));
}

boost::json::object BatchedReads::summary() const {
    boost::json::object s{{"on", off_.empty()},        {"size", settings_.size},
                          {"calls", calls_},           {"orders", orders_},
                          {"judged", judged_},         {"read_alone", alone_},
                          {"read_again_stale", stale_}};
    if (!off_.empty()) s["off"] = off_;
    return s;
}

}  // namespace rcbatch::jobs
