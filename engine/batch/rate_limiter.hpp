#pragma once
// The request-rate cap over all workers: a token bucket. TokenBucket is the arithmetic
// (time passed in, unit-tested); RateLimiter is the awaitable shell around it.

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include <chrono>
#include <cstdint>

namespace rcbatch::engine {

class TokenBucket {
  public:
    using clock = std::chrono::steady_clock;

    // `rate` tokens per second, at most `burst` (>= 1) saved up; starts full.
    // rate <= 0 means unlimited: every reservation is immediate.
    TokenBucket(double rate, double burst, clock::time_point now) noexcept;

    // Takes one token at `now` and returns how long its holder must wait before using it
    // (zero when one was saved up). Reservations queue: the bucket may go into debt, so
    // callers that each wait their own delay are served at `rate`, first come first.
    clock::duration reserve(clock::time_point now) noexcept;

    double tokens() const noexcept { return tokens_; }

  private:
    void refill(clock::time_point now) noexcept;

    double rate_;
    double burst_;
    double tokens_;
    clock::time_point last_;
};

class RateLimiter {
  public:
    RateLimiter(boost::asio::any_io_executor executor, double rate, double burst = 1.0);

    // Completes when the caller may send one request. Returns false when the wait was
    // cancelled (the token is spent either way). Never throws for a cancelled wait.
    boost::asio::awaitable<bool> acquire();

    // Takes one token now and returns how long to wait before using it, for callers that
    // wait in their own (interruptible) way.
    TokenBucket::clock::duration reserve();

  private:
    boost::asio::any_io_executor executor_;
    TokenBucket bucket_;
};

}  // namespace rcbatch::engine
