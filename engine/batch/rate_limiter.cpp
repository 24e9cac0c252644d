#include "engine/batch/rate_limiter.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <algorithm>

namespace rcbatch::engine {

namespace asio = boost::asio;

TokenBucket::TokenBucket(double rate, double burst, clock::time_point now) noexcept
    : rate_(rate), burst_(std::max(burst, 1.0)), tokens_(burst_), last_(now) {}

void TokenBucket::refill(clock::time_point now) noexcept {
    if (now <= last_) return;
    const double elapsed = std::chrono::duration<double>(now - last_).count();
    tokens_ = std::min(burst_, tokens_ + elapsed * rate_);
    last_ = now;
}

TokenBucket::clock::duration TokenBucket::reserve(clock::time_point now) noexcept {
    if (rate_ <= 0) return clock::duration::zero();
    refill(now);
    tokens_ -= 1.0;
    if (tokens_ >= 0) return clock::duration::zero();
    return std::chrono::ceil<clock::duration>(std::chrono::duration<double>(-tokens_ / rate_));
}

RateLimiter::RateLimiter(asio::any_io_executor executor, double rate, double burst)
    : executor_(std::move(executor)), bucket_(rate, burst, TokenBucket::clock::now()) {}

TokenBucket::clock::duration RateLimiter::reserve() {
    return bucket_.reserve(TokenBucket::clock::now());
}

asio::awaitable<bool> RateLimiter::acquire() {
    const auto wait = reserve();
    if (wait <= TokenBucket::clock::duration::zero()) co_return true;
    asio::steady_timer timer(executor_, wait);
    auto [ec] = co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
    co_return !ec;
}

}  // namespace rcbatch::engine
