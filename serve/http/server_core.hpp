#pragma once
// Internal to the server (http_server.cpp, http_session.cpp): the state its coroutines share.

#include "serve/http/http_server.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/tcp_stream.hpp>

#include <cstdint>
#include <map>
#include <memory>
#include <optional>

namespace rcbatch::serve::detail {

// One accepted connection, plain or TLS.
struct Connection {
    explicit Connection(boost::asio::ip::tcp::socket socket) : plain(std::move(socket)) {}
    Connection(boost::asio::ip::tcp::socket socket, boost::asio::ssl::context& context)
        : tls(std::in_place, std::move(socket), context) {}

    boost::beast::tcp_stream& tcp() { return tls ? tls->next_layer() : *plain; }

    std::optional<boost::beast::tcp_stream> plain;
    std::optional<boost::asio::ssl::stream<boost::beast::tcp_stream>> tls;
    bool over_cap = false;  // accepted over the limit: its request is answered 503
    bool idle = false;      // kept alive, waiting for the next request's first bytes
};

struct Core {
    Core(boost::asio::io_context& ioc, ServerSetup setup, PageHandler handler);

    boost::asio::io_context& ioc;
    ServerSetup setup;
    PageHandler handler;
    std::optional<boost::asio::ssl::context> tls;
    boost::asio::ip::tcp::acceptor acceptor;
    boost::asio::steady_timer accept_pause;
    boost::asio::steady_timer grace;                                   // a graceful stop's limit
    std::map<std::uint64_t, std::shared_ptr<Connection>> connections;  // the over-cap ones too
    std::size_t over_cap = 0;                                          // of `connections`
    std::uint64_t next_id = 0;
    std::uint64_t refused = 0;
    bool draining = false;  // stopping with grace: no new request; the ones begun are answered
    bool stopping = false;  // every connection is cut
};

// Closes every connection now (a stop without grace, or its grace over).
void cut_connections(Core& core);

// Serves one accepted connection until it closes, then unregisters it; never throws.
boost::asio::awaitable<void> serve_connection(std::shared_ptr<Core> core,
                                              std::shared_ptr<Connection> conn, std::uint64_t id);

}  // namespace rcbatch::serve::detail
