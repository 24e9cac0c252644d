#pragma once
// Internal to the sandbox server: the state its coroutines share (server.cpp, connection.cpp).

#include "sandbox/api/service.hpp"
#include "sandbox/server/certificate.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/tcp_stream.hpp>

#include <openssl/ssl.h>

#include <cstdint>
#include <map>
#include <memory>

namespace rcbatch::sandbox::detail {

struct Connection {
    Connection(boost::asio::ip::tcp::socket socket, boost::asio::ssl::context& tls)
        : stream(std::move(socket), tls), timer(stream.get_executor()) {
        // Keep OpenSSL's record buffers for the connection's life: Asio's default
        // (SSL_MODE_RELEASE_BUFFERS) frees and re-allocates ~17 KB twice per request.
        SSL_clear_mode(stream.native_handle(), SSL_MODE_RELEASE_BUFFERS);
    }
    boost::asio::ssl::stream<boost::beast::tcp_stream> stream;
    boost::asio::steady_timer timer;  // latency and stall waits; cancelled by stop()
    bool over_cap = false;  // accepted over cap-after-read: its first request is not answered
};

struct Core {
    Core(boost::asio::io_context& ioc, Options options);

    boost::asio::io_context& ioc;
    Pki pki;
    boost::asio::ssl::context tls;
    Service service;
    boost::asio::ip::tcp::acceptor acceptor;
    std::map<std::uint64_t, std::shared_ptr<Connection>> connections;
    std::uint64_t next_connection_id = 0;
    bool stopping = false;
    boost::asio::steady_timer late_timer;  // the next apply-late change's due time
    bool late_running = false;
};

// Serves one accepted connection until it closes; never throws.
boost::asio::awaitable<void> serve_connection(std::shared_ptr<Core> core,
                                              std::shared_ptr<Connection> conn, std::uint64_t id);

// Makes sure held (apply-late) changes take effect when due: starts the timer loop, or
// wakes it to look at the new earliest due time.
void start_late_timer(const std::shared_ptr<Core>& core);

}  // namespace rcbatch::sandbox::detail
