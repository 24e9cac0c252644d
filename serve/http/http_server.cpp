#include "serve/http/http_server.hpp"

#include "engine/secret/redact.hpp"
#include "serve/http/server_core.hpp"
#include "serve/http/tls_setup.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <stdexcept>

namespace rcbatch::serve {

namespace asio = boost::asio;
using asio::ip::tcp;

namespace detail {

namespace {

// Connections over the limit that are still answered 503; past these, one is closed at once.
constexpr std::size_t max_over_cap = 16;

tcp::acceptor listen_on(asio::io_context& ioc, const ListenAddress& listen) {
    tcp::acceptor acceptor(ioc);
    const tcp::endpoint endpoint(listen.address, listen.port);
    boost::system::error_code ec;
    acceptor.open(endpoint.protocol(), ec);
    if (!ec) acceptor.set_option(asio::socket_base::reuse_address(true), ec);
    if (!ec) acceptor.bind(endpoint, ec);
    if (!ec) acceptor.listen(asio::socket_base::max_listen_connections, ec);
    if (ec) throw std::runtime_error("cannot listen on " + listen.text() + ": " + ec.message());
    return acceptor;
}

asio::awaitable<void> accept_loop(std::shared_ptr<Core> core) {
    const ServerLimits& limits = core->setup.limits;
    for (;;) {
        auto [ec, socket] =
            co_await core->acceptor.async_accept(asio::as_tuple(asio::use_awaitable));
        if (core->draining || ec == asio::error::operation_aborted) co_return;
        if (ec) {
            // Out of descriptors and the like: do not spin; the open connections go on.
            core->accept_pause.expires_after(limits.accept_pause);
            co_await core->accept_pause.async_wait(asio::as_tuple(asio::use_awaitable));
            if (core->draining) co_return;
            continue;
        }
        const bool over_cap = core->connections.size() - core->over_cap >= limits.connections;
        if (over_cap && core->over_cap >= max_over_cap) {
            boost::system::error_code ignored;
            socket.close(ignored);
            continue;
        }
        boost::system::error_code ignored;  // each response is one write: no Nagle wait
        socket.set_option(tcp::no_delay(true), ignored);
        auto conn = core->tls ? std::make_shared<Connection>(std::move(socket), *core->tls)
                              : std::make_shared<Connection>(std::move(socket));
        conn->over_cap = over_cap;
        if (over_cap) ++core->over_cap;
        const std::uint64_t id = ++core->next_id;
        core->connections.emplace(id, conn);
        asio::co_spawn(core->ioc, serve_connection(core, std::move(conn), id), asio::detached);
    }
}

}  // namespace

void cut_connections(Core& core) {
    core.stopping = true;
    core.grace.cancel();
    const auto connections = core.connections;  // closing lets sessions unregister themselves
    for (const auto& [id, conn] : connections) conn->tcp().close();
}

Core::Core(asio::io_context& ioc_, ServerSetup setup_, PageHandler handler_)
    : ioc(ioc_),
      setup(std::move(setup_)),
      handler(std::move(handler_)),
      acceptor(ioc_),
      accept_pause(ioc_),
      grace(ioc_) {
    if (setup.tls) tls.emplace(make_tls_context(*setup.tls));
    acceptor = listen_on(ioc, setup.listen);
}

}  // namespace detail

HttpServer::HttpServer(asio::io_context& ioc, ServerSetup setup, PageHandler handler) {
    // The token never reaches a log line (the handler's failures are printed through redact).
    if (setup.token) engine::register_secret(*setup.token);
    core_ = std::make_shared<detail::Core>(ioc, std::move(setup), std::move(handler));
    asio::co_spawn(ioc, detail::accept_loop(core_), asio::detached);
}

HttpServer::~HttpServer() { stop(); }

unsigned short HttpServer::port() const {
    boost::system::error_code ec;
    return core_->acceptor.local_endpoint(ec).port();
}

void HttpServer::stop(std::chrono::milliseconds grace) {
    if (!core_ || core_->stopping) return;
    detail::Core& core = *core_;
    const bool drain = grace.count() > 0 && !core.draining;
    core.draining = true;
    boost::system::error_code ignored;
    core.acceptor.close(ignored);
    core.accept_pause.cancel();
    if (!drain) {
        detail::cut_connections(core);
        return;
    }
    const auto connections = core.connections;  // closing lets sessions unregister themselves
    for (const auto& [id, conn] : connections)
        if (conn->idle) conn->tcp().close();
    // The last connection to end cancels the timer (serve_connection), so the io_context
    // runs out of work as soon as the answers begun are sent.
    core.grace.expires_after(grace);
    core.grace.async_wait([core = core_](const boost::system::error_code& ec) {
        if (!ec) detail::cut_connections(*core);
    });
    if (core.connections.empty()) core.grace.cancel();
}

std::uint64_t HttpServer::refused() const { return core_->refused; }

}  // namespace rcbatch::serve
