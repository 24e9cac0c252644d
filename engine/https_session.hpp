#pragma once
// One keep-alive HTTPS connection, owned by one worker: sends a request, reads the reply
// and says precisely how the transport ended (what decides whether a retry is safe).

#include "engine/http_request.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

namespace rcbatch::engine {

struct Endpoint {
    std::string host;         // where to connect: a host name or an address
    std::uint16_t port = 443;
    std::string server_name;  // SNI, certificate name check and Host header; empty: host
    const std::string& name() const noexcept { return server_name.empty() ? host : server_name; }
};

struct SessionSettings {
    std::chrono::milliseconds attempt_timeout{30'000};  // one attempt, connect to last byte
    std::chrono::milliseconds shutdown_timeout{2'000};  // graceful TLS close at the end
    std::size_t body_limit = 8 * 1024 * 1024;           // a longer reply is `truncated`
    std::string user_agent;                             // empty: "rcbatch/<version>"
};

class HttpsSession {
public:
    // `tls` must outlive the session. Nothing is connected until the first send().
    HttpsSession(boost::asio::any_io_executor executor, boost::asio::ssl::context& tls,
                 Endpoint endpoint, SessionSettings settings = {});
    ~HttpsSession();
    HttpsSession(const HttpsSession&) = delete;
    HttpsSession& operator=(const HttpsSession&) = delete;

    // Sends one request and reads its reply within attempt_timeout. Never throws for a
    // network failure: the exchange's `transport` says how it ended. A kept-alive connection
    // found closed before any byte of the request was written is re-opened (resuming the
    // TLS session) and the request sent once on the new one. If the caller cancels it, the
    // connection is dropped and the next send() starts on a new one.
    boost::asio::awaitable<HttpExchange> send(const HttpRequest& request);

    // Closes the connection gracefully (TLS close_notify, bounded by shutdown_timeout;
    // a peer that just drops the connection is fine). Never throws.
    boost::asio::awaitable<void> close();

    std::uint64_t connections_opened() const noexcept { return opened_; }
    std::uint64_t sessions_resumed() const noexcept { return resumed_; }
    bool connected() const noexcept { return usable_; }

private:
    using Stream = boost::beast::ssl_stream<boost::beast::tcp_stream>;
    using Clock = std::chrono::steady_clock;
    struct SessionFree {
        void operator()(void* session) const noexcept;
    };

    boost::asio::awaitable<boost::system::error_code> connect(Clock::time_point deadline,
                                                              std::string& what);
    bool peer_has_closed() noexcept;
    void drop() noexcept;
    void keep_tls_session() noexcept;
    void serialize(const HttpRequest& request);

    boost::asio::any_io_executor executor_;
    boost::asio::ssl::context& tls_;
    Endpoint endpoint_;
    SessionSettings settings_;
    std::unique_ptr<Stream> stream_;
    boost::beast::flat_buffer buffer_;
    std::string head_fields_;  // "Host: ...\r\nUser-Agent: ...\r\nAccept: ...\r\n", fixed
    std::string out_;          // the request being sent, reused: no allocation per request
    std::optional<boost::asio::ip::tcp::resolver::results_type> resolved_;
    std::unique_ptr<void, SessionFree> tls_session_;  // an SSL_SESSION to resume
    bool usable_ = false;         // connected, idle, and the last exchange ended cleanly
    bool certificate_rejected_ = false;  // the last handshake failed verification
    bool session_kept_ = false;   // this connection's TLS session is in tls_session_
    std::uint64_t opened_ = 0;
    std::uint64_t resumed_ = 0;
};

}  // namespace rcbatch::engine
