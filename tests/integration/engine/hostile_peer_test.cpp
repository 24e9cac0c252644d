// Peers that misbehave on purpose (issue #20): a proxy whose 407 carries a control character,
// a server that accepts and never speaks TLS. The messages must still name the status, the
// host and the port.

#include "engine/net/https_session.hpp"
#include "engine/net/tls_context.hpp"
#include "tests/integration/engine/run_async.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/streambuf.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include <doctest/doctest.h>

#include <memory>
#include <string>

namespace hostile_peer_test {

using namespace rcbatch::engine;
using rcbatch::test::run_async;
using namespace std::chrono_literals;
namespace asio = boost::asio;
using tcp = asio::ip::tcp;

namespace {

HttpRequest get() {
    HttpRequest r;
    r.method = rcbatch::engine::HttpMethod::get;
    r.target = "/api/x.json";
    return r;
}

// Accepts one connection; answers its first request header with `reply` (none: stays silent
// until `hold` ends), then closes it.
asio::awaitable<void> serve_once(tcp::acceptor& acceptor, std::string reply,
                                 std::chrono::milliseconds hold) {
    auto [ec, socket] = co_await acceptor.async_accept(asio::as_tuple(asio::use_awaitable));
    if (ec) co_return;
    if (!reply.empty()) {
        asio::streambuf head;
        co_await asio::async_read_until(socket, head, "\r\n\r\n",
                                        asio::as_tuple(asio::use_awaitable));
        co_await asio::async_write(socket, asio::buffer(reply),
                                   asio::as_tuple(asio::use_awaitable));
    }
    asio::steady_timer wait(socket.get_executor(), hold);
    co_await wait.async_wait(asio::as_tuple(asio::use_awaitable));
}

struct Peer {
    asio::io_context ioc;
    tcp::acceptor acceptor{ioc, {asio::ip::make_address("127.0.0.1"), 0}};
    asio::ssl::context tls =
        make_client_tls_context({.ca_file = {}, .ca_pem = {}, .system_ca = false});
    std::uint16_t port() const { return acceptor.local_endpoint().port(); }

    // One GET to 127.0.0.1:`api_port` (through this peer as a proxy when `via_proxy`), the
    // peer answering `reply`.
    HttpExchange exchange(std::uint16_t api_port, bool via_proxy, std::string reply) {
        Endpoint endpoint{"127.0.0.1", api_port, ""};
        if (via_proxy)
            endpoint.proxy = ProxySettings{"127.0.0.1", port(), "", "", "the test's proxy"};
        SessionSettings settings;
        settings.attempt_timeout = 300ms;
        HttpExchange x;
        run_async(ioc, [&]() -> asio::awaitable<void> {
            asio::co_spawn(ioc, serve_once(acceptor, std::move(reply), 2s), asio::detached);
            HttpsSession session(ioc.get_executor(), tls, endpoint, settings);
            x = co_await session.send(get());
            acceptor.close();
        });
        return x;
    }
};

}  // namespace

TEST_SUITE("hostile peers") {
    TEST_CASE("a proxy's 407 with a control character is still a 407 that asks for credentials") {
        Peer proxy;
        const HttpExchange x =
            proxy.exchange(8443, true,
                           "HTTP/1.1 407 Proxy\x01"
                           "Authentication Required\r\nProxy-Authenticate: Basic\r\n\r\n");
        CAPTURE(x.error);
        CHECK(x.stops_run);
        CHECK(x.error.find("refused CONNECT 127.0.0.1:8443: 407 (a malformed reply: ") !=
              std::string::npos);
        CHECK(x.error.find("check the proxy's address and credentials") != std::string::npos);
        CHECK(x.error.find('\x01') == std::string::npos);
    }

    TEST_CASE("a server that never answers the TLS handshake is named with its port") {
        Peer silent;
        const std::uint16_t port = silent.port();
        const HttpExchange x = silent.exchange(port, false, "");
        CAPTURE(x.error);
        CHECK(x.error.rfind("TLS handshake with 127.0.0.1:" + std::to_string(port) + ": ", 0) == 0);
    }
}

}  // namespace hostile_peer_test
