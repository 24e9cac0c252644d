#include "engine/batch/in_flight.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/system/system_error.hpp>

#include <algorithm>
#include <optional>

namespace rcbatch::engine {

namespace asio = boost::asio;

struct InFlight::Waiter {
    asio::steady_timer timer;
    std::optional<std::size_t> granted;
};

Slot::Slot(Slot&& other) noexcept : owner_(other.owner_), index_(other.index_) {
    other.owner_ = nullptr;
}

Slot& Slot::operator=(Slot&& other) noexcept {
    if (this != &other) {
        reset();
        owner_ = other.owner_;
        index_ = other.index_;
        other.owner_ = nullptr;
    }
    return *this;
}

HttpsSession& Slot::session() const { return *owner_->sessions_[index_]; }

void Slot::reset() noexcept {
    if (owner_ == nullptr) return;
    InFlight* owner = owner_;
    owner_ = nullptr;
    owner->release(index_);
}

InFlight::InFlight(asio::any_io_executor executor, asio::ssl::context& tls, Endpoint endpoint,
                   SessionSettings settings, int capacity)
    : executor_(executor),
      tls_(tls),
      endpoint_(std::move(endpoint)),
      settings_(std::move(settings)) {
    const auto n = static_cast<std::size_t>(std::max(capacity, 1));
    for (std::size_t i = 0; i < n; ++i)
        sessions_.push_back(std::make_unique<HttpsSession>(executor_, tls_, endpoint_, settings_));
    for (std::size_t i = n; i > 0; --i) free_.push_back(i - 1);
    limit_ = static_cast<int>(n);
}

InFlight::~InFlight() = default;

// The most recently used free session that still has its connection, else the most recently
// used one: a new connection is opened only when no open one is free (a capped server drops
// the new ones).
std::size_t InFlight::take() noexcept {
    auto pick = free_.end() - 1;
    for (auto it = free_.rbegin(); it != free_.rend(); ++it) {
        if (sessions_[*it]->connected()) {
            pick = std::prev(it.base());
            break;
        }
    }
    const std::size_t index = *pick;
    free_.erase(pick);
    ++held_;
    return index;
}

int InFlight::answering() const noexcept {
    int n = 0;
    for (const auto& s : sessions_) n += s->answering();
    return n;
}

int InFlight::working() const noexcept {
    int n = 0;
    for (const auto& s : sessions_) n += s->open();
    return n;
}

asio::awaitable<Slot> InFlight::acquire(bool resumed) {
    const bool ahead = resumed ? resumed_.empty() : waiting() == 0;
    if (ahead && held_ < limit_) co_return Slot(this, take());
    Waiter w{asio::steady_timer(executor_, asio::steady_timer::time_point::max()), std::nullopt};
    auto& queue = resumed ? resumed_ : fresh_;
    queue.push_back(&w);
    struct Leave {
        InFlight& pool;
        std::deque<Waiter*>& queue;
        Waiter& w;
        bool taken = false;
        ~Leave() {
            if (auto it = std::find(queue.begin(), queue.end(), &w); it != queue.end())
                queue.erase(it);
            if (w.granted && !taken) pool.release(*w.granted);
        }
    } leave{*this, queue, w};
    co_await w.timer.async_wait(asio::as_tuple(asio::use_awaitable));
    if (!w.granted) throw boost::system::system_error(asio::error::operation_aborted);
    leave.taken = true;
    co_return Slot(this, *w.granted);
}

void InFlight::release(std::size_t index) noexcept {
    --held_;
    free_.push_back(index);
    retire_idle();
    grant();
}

void InFlight::grant() noexcept {
    while (held_ < limit_ && !free_.empty()) {
        auto& queue = !resumed_.empty() ? resumed_ : fresh_;
        if (queue.empty()) return;
        Waiter* w = queue.front();
        queue.pop_front();
        w->granted = take();
        w->timer.cancel();
    }
}

void InFlight::set_limit(int limit) {
    limit = std::clamp(limit, 0, capacity());
    if (limit < limit_) ++decreases_;
    limit_ = limit;
    retire_idle();
    grant();
}

// Open connections are the held slots' plus the idle connected ones: close idle ones (the
// least recently used first) until they fit the limit.
void InFlight::retire_idle() noexcept {
    if (held_ + static_cast<int>(free_.size()) <= limit_) return;  // all sessions fit
    int open = held_;
    for (std::size_t i : free_)
        if (sessions_[i]->connected()) ++open;
    for (std::size_t k = 0; k < free_.size() && open > limit_; ++k) {
        if (!sessions_[free_[k]]->connected()) continue;
        drop_session(free_[k]);
        --open;
    }
}

void InFlight::drop_session(std::size_t index) {
    closed_opened_ += sessions_[index]->connections_opened();
    closed_resumed_ += sessions_[index]->sessions_resumed();
    sessions_[index] = std::make_unique<HttpsSession>(executor_, tls_, endpoint_, settings_);
}

std::uint64_t InFlight::connections_opened() const noexcept {
    std::uint64_t n = closed_opened_;
    for (const auto& s : sessions_) n += s->connections_opened();
    return n;
}

std::uint64_t InFlight::sessions_resumed() const noexcept {
    std::uint64_t n = closed_resumed_;
    for (const auto& s : sessions_) n += s->sessions_resumed();
    return n;
}

asio::awaitable<void> InFlight::close() {
    for (auto& s : sessions_)
        if (s->connected()) co_await s->close();
}

}  // namespace rcbatch::engine
