#include "sandbox/server/server.hpp"

#include "engine/store/atomic_file.hpp"
#include "sandbox/server/server_core.hpp"
#include "sandbox/server/tls_setup.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <algorithm>
#include <fstream>
#include <stdexcept>

namespace rcbatch::sandbox {

namespace asio = boost::asio;
using asio::ip::tcp;

namespace detail {

namespace {

tcp::acceptor bind_loopback(asio::io_context& ioc, std::uint16_t port) {
    tcp::acceptor acceptor(ioc);
    const tcp::endpoint endpoint(asio::ip::address_v4::loopback(), port);
    acceptor.open(endpoint.protocol());
    acceptor.set_option(asio::socket_base::reuse_address(true));
    acceptor.bind(endpoint);
    acceptor.listen(asio::socket_base::max_listen_connections);
    return acceptor;
}

// Counts the connection and closes it at once, before any TLS, when the fault spec's
// accept-total or conn-cap (a drop, which may block the sandbox) or max_connections says so;
// true when it may be served.
bool admit(Core& core, tcp::socket& socket) {
    Stats& stats = core.service.stats();
    const FaultSpec& spec = core.service.options().faults;
    ++stats.connections;
    boost::system::error_code ec;
    const auto peer = socket.remote_endpoint(ec);
    ++stats.peers[ec ? std::string("unknown") : peer.address().to_string()];
    const std::size_t open = core.connections.size();
    if (spec.accept_total != 0 && stats.admitted >= spec.accept_total) {
        ++stats.refused_over_total;
    } else if (spec.conn_cap != 0 && open >= spec.conn_cap) {
        ++stats.drops;
        if (spec.block_after != 0 && stats.drops >= spec.block_after) stats.blocked = true;
    } else if (open >= core.service.options().max_connections) {
        ++stats.connections_rejected;
    } else {
        ++stats.admitted;
        return true;
    }
    boost::system::error_code ignored;
    socket.set_option(asio::socket_base::linger(true, 0), ignored);
    socket.close(ignored);
    return false;
}

asio::awaitable<void> run_late_timer(std::shared_ptr<Core> core) {
    while (!core->stopping) {
        const auto due = core->service.next_due();
        if (!due) break;
        core->late_timer.expires_at(*due);
        co_await core->late_timer.async_wait(asio::as_tuple(asio::use_awaitable));
        if (core->stopping) break;
        core->service.settle_due(std::chrono::steady_clock::now());
    }
    core->late_running = false;
}

asio::awaitable<void> accept_loop(std::shared_ptr<Core> core) {
    for (;;) {
        auto [ec, socket] =
            co_await core->acceptor.async_accept(asio::as_tuple(asio::use_awaitable));
        if (core->stopping || ec == asio::error::operation_aborted) co_return;
        if (ec) {
            // Out of descriptors and the like: wait a little, keep serving the others.
            asio::steady_timer pause(core->ioc, std::chrono::milliseconds(50));
            co_await pause.async_wait(asio::as_tuple(asio::use_awaitable));
            continue;
        }
        if (!admit(*core, socket)) continue;
        boost::system::error_code nodelay_ec;  // each reply is one write: no Nagle wait
        socket.set_option(tcp::no_delay(true), nodelay_ec);
        const std::uint64_t id = ++core->next_connection_id;
        auto conn = std::make_shared<Connection>(std::move(socket), core->tls);
        const std::size_t cap = core->service.options().faults.cap_after_read;
        conn->over_cap = cap != 0 && core->connections.size() >= cap;
        core->connections.emplace(id, conn);
        Stats& stats = core->service.stats();
        stats.active_connections = core->connections.size();
        stats.max_open_connections = std::max(stats.max_open_connections, stats.active_connections);
        if (core->service.options().tls_mode == TlsMode::plain_http)
            asio::co_spawn(core->ioc, serve_plain_http(core, std::move(conn), id), asio::detached);
        else
            asio::co_spawn(core->ioc, serve_connection(core, std::move(conn), id), asio::detached);
    }
}

}  // namespace

Core::Core(asio::io_context& ioc_, Options options)
    : ioc(ioc_),
      pki(make_pki(options.tls_mode)),
      tls(make_server_tls(pki, options.tls_mode)),
      service(std::move(options)),
      acceptor(bind_loopback(ioc_, service.options().port)),
      late_timer(ioc_) {}

void start_late_timer(const std::shared_ptr<Core>& core) {
    if (core->stopping) return;
    if (core->late_running) {
        core->late_timer.cancel();  // the loop looks at the earliest due time again
        return;
    }
    core->late_running = true;
    asio::co_spawn(core->ioc, run_late_timer(core), asio::detached);
}

}  // namespace detail

Server::Server(asio::io_context& ioc, Options options)
    : core_(std::make_shared<detail::Core>(ioc, std::move(options))) {
    asio::co_spawn(ioc, detail::accept_loop(core_), asio::detached);
}

Server::~Server() { stop(); }

std::uint16_t Server::port() const { return core_->acceptor.local_endpoint().port(); }

std::string Server::url() const { return "https://127.0.0.1:" + std::to_string(port()); }

const std::string& Server::ca_pem() const { return core_->pki.ca_pem; }

void Server::write_ca(const std::string& path) const {
    // Through the one atomic-file primitive: never written through a link or over a device.
    try {
        engine::write_file_atomically(path, core_->pki.ca_pem, 0644,
                                      engine::Durability::process_crash);
    } catch (const engine::FileError& e) {
        throw std::runtime_error("sandbox: cannot write the CA certificate: " +
                                 std::string(e.what()));
    }
}

const std::string& Server::userid() const { return core_->service.credentials().userid; }
const std::string& Server::api_key() const { return core_->service.credentials().api_key; }

void Server::stop() {
    if (!core_ || core_->stopping) return;
    core_->stopping = true;
    boost::system::error_code ignored;
    core_->acceptor.close(ignored);
    core_->late_timer.cancel();
    auto connections = core_->connections;  // closing lets sessions unregister themselves
    for (auto& [id, conn] : connections) {
        conn->timer.cancel();
        boost::beast::get_lowest_layer(conn->stream).close();
    }
}

Service& Server::service() { return core_->service; }
Counter Server::counter(std::uint64_t order_id, std::string_view action) const {
    return core_->service.counter(order_id, action);
}
const Order* Server::order(std::uint64_t id) const { return core_->service.order(id); }
const Stats& Server::stats() const { return core_->service.stats(); }
void Server::reset() { core_->service.reset(); }

}  // namespace rcbatch::sandbox
