#include "engine/net/solo_caller.hpp"

namespace rcbatch::engine {

SessionSettings SoloCaller::session_settings(const BatchSettings& settings) {
    SessionSettings s = settings.session;
    s.attempt_timeout = settings.attempt_timeout;
    return s;
}

SoloCaller::SoloCaller(boost::asio::any_io_executor executor, const BatchSettings& settings)
    : session_(executor, *settings.tls, settings.endpoint, session_settings(settings)),
      limiter_(executor, settings.rate, settings.burst),
      control_(executor),
      rng_(settings.jitter_seed ? *settings.jitter_seed : std::random_device{}()),
      ctx_{&session_, limiter_, control_, settings.retry, [this] { return uniform_(rng_); }} {
    ctx_.server_clock = settings.server_clock;
}

}  // namespace rcbatch::engine
