#pragma once
// The run's requests in flight: at most `limit` orders hold a slot — and with it one of the
// run's pooled keep-alive sessions — at a time. An order gives its slot back while it waits
// (a backoff, a Retry-After, a settle delay) and asks again when the wait ends, ahead of
// every new order; a worker asks for a slot, at the back, before it takes a new target. So
// concurrency counts requests in flight, not orders in progress. One io_context thread.

#include "engine/net/endpoint.hpp"
#include "engine/net/https_session.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <vector>

namespace rcbatch::engine {

class InFlight;

// A held slot and its session; destroying or resetting it gives both back.
class Slot {
  public:
    Slot() = default;
    Slot(Slot&& other) noexcept;
    Slot& operator=(Slot&& other) noexcept;
    Slot(const Slot&) = delete;
    Slot& operator=(const Slot&) = delete;
    ~Slot() { reset(); }

    explicit operator bool() const noexcept { return owner_ != nullptr; }
    HttpsSession& session() const;  // only while held
    void reset() noexcept;

  private:
    friend class InFlight;
    Slot(InFlight* owner, std::size_t index) noexcept : owner_(owner), index_(index) {}
    InFlight* owner_ = nullptr;
    std::size_t index_ = 0;
};

class InFlight {
  public:
    // `capacity` (>= 1) slots and sessions; all may be held at once until set_limit().
    // `tls` must outlive the pool.
    InFlight(boost::asio::any_io_executor executor, boost::asio::ssl::context& tls,
             Endpoint endpoint, SessionSettings settings, int capacity);
    ~InFlight();
    InFlight(const InFlight&) = delete;
    InFlight& operator=(const InFlight&) = delete;

    // Waits for a free slot. `resumed` (an order back from a wait) is served before any new
    // one, first come first. Throws boost::system::system_error (operation_aborted) when the
    // waiting coroutine is cancelled; the queue then forgets it.
    boost::asio::awaitable<Slot> acquire(bool resumed);

    // How many slots may be held at once, clamped to 0 (paused) ..capacity. Held slots stay
    // held; idle connections above the new limit are closed, so open connections follow it.
    void set_limit(int limit);
    int limit() const noexcept { return limit_; }
    // How many times set_limit() lowered the limit: a request sent when this was smaller than
    // it is now left before the last decrease.
    std::uint64_t decreases() const noexcept { return decreases_; }
    int held() const noexcept { return held_; }
    int capacity() const noexcept { return static_cast<int>(sessions_.size()); }
    // Sessions with a connection open now, held or idle: the connections a capped server let
    // through (and, for a moment, those it is about to close).
    int working() const noexcept;
    // Of those, the ones that have answered a request.
    int answering() const noexcept;
    std::size_t waiting() const noexcept { return resumed_.size() + fresh_.size(); }

    std::uint64_t connections_opened() const noexcept;
    std::uint64_t sessions_resumed() const noexcept;

    // Closes every pooled connection gracefully. Call when no slot is held. Never throws.
    boost::asio::awaitable<void> close();

  private:
    friend class Slot;
    struct Waiter;
    void release(std::size_t index) noexcept;
    void grant() noexcept;
    std::size_t take() noexcept;
    void retire_idle() noexcept;
    void drop_session(std::size_t index);

    boost::asio::any_io_executor executor_;
    boost::asio::ssl::context& tls_;
    Endpoint endpoint_;
    SessionSettings settings_;
    std::vector<std::unique_ptr<HttpsSession>> sessions_;
    std::vector<std::size_t> free_;  // a stack: the most recently used (warm) session first
    std::deque<Waiter*> resumed_;
    std::deque<Waiter*> fresh_;
    int limit_ = 0;
    int held_ = 0;
    std::uint64_t decreases_ = 0;
    std::uint64_t closed_opened_ = 0;  // counters of sessions dropped by retire_idle()
    std::uint64_t closed_resumed_ = 0;
};

}  // namespace rcbatch::engine
