#pragma once
// One keep-alive HTTPS connection, owned by one worker: sends a request, reads the reply
// and says precisely how the transport ended (what decides whether a retry is safe). Through
// an HTTP CONNECT proxy when the endpoint names one. The TLS machinery stays in engine/*.cpp:
// this header needs no Beast or Asio SSL header.

#include "engine/net/endpoint.hpp"
#include "engine/net/http_request.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include <cstdint>
#include <memory>

namespace boost::asio::ssl {
class context;
}

namespace rcbatch::engine {

class HttpsSession {
  public:
    // `tls` (from make_client_tls_context, whose session cache all its sessions share) must
    // outlive the session. Nothing is connected until the first send().
    HttpsSession(boost::asio::any_io_executor executor, boost::asio::ssl::context& tls,
                 Endpoint endpoint, SessionSettings settings = {});
    ~HttpsSession();
    HttpsSession(const HttpsSession&) = delete;
    HttpsSession& operator=(const HttpsSession&) = delete;

    // Sends one request and reads its final reply (interim 1xx replies skipped) within
    // attempt_timeout. Never throws for a network failure: the exchange's `transport` says
    // how it ended, and `stops_run` when no retry can help (a refused certificate, no common
    // TLS version, no TLS on the port, a proxy that refuses or cannot be reached). A
    // kept-alive connection found closed before any byte of the request was written is
    // re-opened (resuming a TLS session) and the request sent once on the new one. If the
    // caller cancels it, the connection is dropped and the next send() starts on a new one.
    boost::asio::awaitable<HttpExchange> send(const HttpRequest& request);

    // Closes the connection gracefully (TLS close_notify, bounded by shutdown_timeout;
    // a peer that just drops the connection is fine). Never throws.
    boost::asio::awaitable<void> close();

    std::uint64_t connections_opened() const noexcept;  // TCP connections that got through
    std::uint64_t sessions_resumed() const noexcept;    // handshakes that resumed a session
    bool connected() const noexcept;
    // A connection is open, idle or in use (it may be closed by the peer unseen).
    bool open() const noexcept;
    // ... and it has answered a request.
    bool answering() const noexcept;

    struct Impl;

  private:
    std::unique_ptr<Impl> impl_;
};

}  // namespace rcbatch::engine
