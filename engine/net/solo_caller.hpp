#pragma once
// Calls outside a batch, on one connection of their own: a listing, the first page of a
// search. Same session, rate cap and retry policy as a batch worker.

#include "engine/batch/batch.hpp"
#include "engine/batch/call.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include <random>

namespace rcbatch::engine {

class SoloCaller {
  public:
    // `settings.tls` must outlive the caller.
    SoloCaller(boost::asio::any_io_executor executor, const BatchSettings& settings);
    SoloCaller(const SoloCaller&) = delete;
    SoloCaller& operator=(const SoloCaller&) = delete;

    CallContext& context() noexcept { return ctx_; }
    const RunControl& control() const noexcept { return control_; }
    // Closes the connection gracefully. Never throws.
    boost::asio::awaitable<void> close() { return session_.close(); }
    std::uint64_t connections_opened() const noexcept { return session_.connections_opened(); }

  private:
    static SessionSettings session_settings(const BatchSettings& settings);

    HttpsSession session_;
    RateLimiter limiter_;
    RunControl control_;
    std::mt19937_64 rng_;
    std::uniform_real_distribution<double> uniform_{0.0, 1.0};
    CallContext ctx_;
};

}  // namespace rcbatch::engine
