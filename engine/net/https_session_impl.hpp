#pragma once
// Internal to engine/net/https_session.cpp and https_connect.cpp: the state of one HttpsSession.
// Nothing outside engine/ includes it.

#include "engine/net/handshake_gate.hpp"
#include "engine/net/https_session.hpp"
#include "engine/net/tls_failure.hpp"
#include "engine/net/tls_session_cache.hpp"
#include "engine/net/tls_stream.hpp"
#include "engine/net/tuple_awaitable.hpp"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>

#include <chrono>
#include <optional>
#include <string>

namespace rcbatch::engine {

struct HttpsSession::Impl {
    using Stream = TlsStream;
    using Parser = boost::beast::http::response_parser<boost::beast::http::string_body>;
    using Clock = std::chrono::steady_clock;
    using error_code = boost::system::error_code;

    Impl(boost::asio::any_io_executor executor, boost::asio::ssl::context& tls, Endpoint endpoint,
         SessionSettings settings);
    ~Impl();

    // https_connect.cpp: a new connection (through the proxy when set) with TLS up, within
    // `deadline`. On failure sets x.error (and x.stops_run) and returns the error.
    boost::asio::awaitable<error_code> connect(Clock::time_point deadline, HttpExchange& x);
    // https_session.cpp: reads the final reply into `x` (interim 1xx replies skipped).
    boost::asio::awaitable<void> read_reply(Clock::time_point deadline, HttpExchange& x);
    // https_session.cpp: reads one message into `parser`, by way of `buffer`, as Beast's
    // http::async_read does (an end of stream before any byte is http::error::end_of_stream).
    boost::asio::awaitable<error_code> read_message(Parser& parser, Clock::time_point deadline);
    void describe_read_failure(HttpExchange& x, const error_code& ec, bool got_some) const;

    boost::asio::awaitable<bool> wait_for_first_handshake(Clock::time_point deadline,
                                                          HttpExchange& x);
    // A slot of the context's HandshakeGate, given back when it goes.
    struct GateSlot {
        HandshakeGate* gate = nullptr;
        GateSlot() = default;
        GateSlot(const GateSlot&) = delete;
        GateSlot& operator=(const GateSlot&) = delete;
        ~GateSlot() {
            if (gate != nullptr) gate->leave();
        }
    };
    boost::asio::awaitable<bool> enter_gate(Clock::time_point deadline, HttpExchange& x,
                                            GateSlot& slot);
    boost::asio::awaitable<error_code> open_tcp(Clock::time_point deadline, HttpExchange& x);
    boost::asio::awaitable<error_code> open_tunnel(Clock::time_point deadline, HttpExchange& x);
    boost::asio::awaitable<error_code> handshake(Clock::time_point deadline, HttpExchange& x);
    void prepare_tls(SSL* native);
    // The first connection to this endpoint is done (its session stored, or none will come):
    // the connections waiting for it go on, sharing `fatal` when it stops the run.
    // `exchanged`: it completed an exchange (a server that gave no session by then gives none).
    void end_priming(const std::string& fatal = {}, bool exchanged = false) noexcept;
    std::string timeout_text() const;
    void fail_proxy(HttpExchange& x, const std::string& what) const;

    bool peer_has_closed() noexcept;
    void drop() noexcept;
    void serialize(const HttpRequest& request);

    boost::asio::any_io_executor executor;
    boost::asio::ssl::context& tls;
    Endpoint endpoint;
    SessionSettings settings;
    SSL_CTX* context_ref = nullptr;    // a reference to tls's context, which holds the cache
    TlsSessionCache* cache = nullptr;  // the context's; null: no resumption
    HandshakeGate* gate = nullptr;     // the context's; null: no limit
    std::string cache_key;             // this endpoint (and proxy) in the cache
    std::unique_ptr<Stream> stream;
    boost::beast::flat_buffer buffer;
    std::string head_fields;  // "Host: ...\r\nUser-Agent: ...\r\nAccept: ...\r\n", fixed
    std::string out;          // the request being sent, reused: no allocation per request
    std::optional<boost::asio::ip::tcp::resolver::results_type> resolved;
    TlsFailureFacts rejected;  // what the verify callback saw of a rejected certificate
    bool answered = false;     // the open connection has answered a request
    bool usable = false;       // connected, idle, and the last exchange ended cleanly
    bool priming = false;      // this connection is the endpoint's first, others wait for it
    std::uint64_t opened = 0;
    std::uint64_t resumed = 0;
};

}  // namespace rcbatch::engine
