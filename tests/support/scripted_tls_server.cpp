#include "tests/support/scripted_tls_server.hpp"

#include "sandbox/server/certificate.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/buffer.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

#include <openssl/ssl.h>

#include <sstream>

namespace rcbatch::test {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = boost::beast::http;
namespace ssl = boost::asio::ssl;
using tcp = asio::ip::tcp;
using Stream = beast::ssl_stream<beast::tcp_stream>;

namespace {
constexpr auto tuple_awaitable = asio::as_tuple(asio::use_awaitable);
}

struct ScriptedTlsServer::State {
    explicit State(asio::io_context& ioc)
        : pki(sandbox::make_pki()),
          tls(ssl::context::tls_server),
          acceptor(ioc, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)),
          stop_signal(ioc, asio::steady_timer::time_point::max()) {
        tls.use_certificate_chain(asio::buffer(pki.server_cert_pem));
        tls.use_private_key(asio::buffer(pki.server_key_pem), ssl::context::pem);
    }

    Step next_step(const SeenRequest& request) {
        if (!steps.empty()) {
            Step s = std::move(steps.front());
            steps.pop_front();
            return s;
        }
        if (responder) return responder(request);
        return Step::ok();
    }

    sandbox::Pki pki;
    ssl::context tls;
    tcp::acceptor acceptor;
    asio::steady_timer stop_signal;  // never expires; cancelled by stop()
    bool stopped = false;
    std::deque<Step> steps;
    std::function<Step(const SeenRequest&)> responder;
    std::vector<SeenRequest> seen;
    std::vector<std::weak_ptr<Stream>> streams;
    std::uint64_t accepted = 0;
    std::uint64_t closed = 0;
    std::uint64_t resumed = 0;
};

namespace {

using State = ScriptedTlsServer::State;

asio::awaitable<void> pause(State& st, std::chrono::milliseconds d) {
    asio::steady_timer timer(st.acceptor.get_executor(), d);
    co_await timer.async_wait(tuple_awaitable);
}

asio::awaitable<void> graceful_close(Stream& stream) {
    beast::get_lowest_layer(stream).expires_after(std::chrono::seconds(2));
    co_await stream.async_shutdown(tuple_awaitable);
    beast::get_lowest_layer(stream).close();
}

// Serves one connection; returns when it is closed.
asio::awaitable<void> serve_steps(std::shared_ptr<State> st, std::shared_ptr<Stream> stream,
                                  std::uint64_t id) {
    auto& tcp_layer = beast::get_lowest_layer(*stream);
    tcp_layer.expires_after(std::chrono::seconds(10));
    auto [hs_ec] = co_await stream->async_handshake(ssl::stream_base::server, tuple_awaitable);
    if (hs_ec) co_return;
    if (SSL_session_reused(stream->native_handle()) == 1) ++st->resumed;
    beast::flat_buffer buffer;
    for (;;) {
        tcp_layer.expires_never();
        http::request<http::string_body> req;
        auto [read_ec, n] = co_await http::async_read(*stream, buffer, req, tuple_awaitable);
        if (read_ec || st->stopped) co_return;
        SeenRequest seen{std::string(req.method_string()),
                         std::string(req.target()),
                         std::string(req[http::field::host]),
                         std::string(req[http::field::user_agent]),
                         std::string(req[http::field::content_type]),
                         req.body(),
                         id};
        st->seen.push_back(seen);
        Step step = st->next_step(seen);
        if (step.delay.count() > 0) co_await pause(*st, step.delay);
        if (st->stopped) co_return;
        switch (step.kind) {
            case Step::Kind::reply:
            case Step::Kind::close_idle: {
                http::response<http::string_body> res{static_cast<http::status>(step.status), 11};
                res.set(http::field::content_type, "application/json");
                if (!step.retry_after.empty()) res.set(http::field::retry_after, step.retry_after);
                res.body() = step.body;
                res.keep_alive(!step.close);
                res.prepare_payload();
                tcp_layer.expires_after(std::chrono::seconds(10));
                if (!step.interim.empty()) {
                    auto [interim_ec, iw] = co_await asio::async_write(
                        *stream, asio::buffer(step.interim), tuple_awaitable);
                    if (interim_ec) co_return;
                }
                if (!step.trailing.empty()) {
                    // Two records, one after the other, with no wait between them.
                    std::ostringstream reply;
                    reply << res;
                    const std::string text = reply.str();
                    beast::error_code sync_ec;
                    asio::write(*stream, asio::buffer(text), sync_ec);
                    if (!sync_ec) asio::write(*stream, asio::buffer(step.trailing), sync_ec);
                    if (sync_ec) co_return;
                } else {
                    auto [write_ec, w] = co_await http::async_write(*stream, res, tuple_awaitable);
                    if (write_ec) co_return;
                }
                if (step.close || step.kind == Step::Kind::close_idle) {
                    co_await graceful_close(*stream);
                    co_return;
                }
                break;
            }
            case Step::Kind::drop:
                co_return;
            case Step::Kind::stall:
                if (!st->stopped) co_await st->stop_signal.async_wait(tuple_awaitable);
                co_return;
            case Step::Kind::truncated: {
                const std::string partial =
                    "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: "
                    "100\r\n\r\n"
                    "{\"status\":";
                tcp_layer.expires_after(std::chrono::seconds(10));
                co_await asio::async_write(*stream, asio::buffer(partial), tuple_awaitable);
                co_return;
            }
        }
    }
}

asio::awaitable<void> serve(std::shared_ptr<State> st, tcp::socket socket, std::uint64_t id) {
    auto stream = std::make_shared<Stream>(std::move(socket), st->tls);
    st->streams.push_back(stream);
    try {
        co_await serve_steps(st, stream, id);
    } catch (const std::exception&) {
        // a cancelled or broken connection: closed below like any other
    }
    beast::error_code ignored;
    beast::get_lowest_layer(*stream).socket().close(ignored);
    ++st->closed;
}

asio::awaitable<void> accept_loop(std::shared_ptr<State> st) {
    for (;;) {
        auto [ec, socket] = co_await st->acceptor.async_accept(tuple_awaitable);
        if (ec || st->stopped) co_return;
        const std::uint64_t id = ++st->accepted;
        asio::co_spawn(st->acceptor.get_executor(), serve(st, std::move(socket), id),
                       asio::detached);
    }
}

}  // namespace

ScriptedTlsServer::ScriptedTlsServer(asio::io_context& ioc) : state_(std::make_shared<State>(ioc)) {
    asio::co_spawn(ioc, accept_loop(state_), asio::detached);
}

ScriptedTlsServer::~ScriptedTlsServer() { stop(); }

std::uint16_t ScriptedTlsServer::port() const noexcept {
    return state_->acceptor.local_endpoint().port();
}
const std::string& ScriptedTlsServer::ca_pem() const noexcept { return state_->pki.ca_pem; }

void ScriptedTlsServer::script(std::vector<Step> steps) {
    for (auto& s : steps) state_->steps.push_back(std::move(s));
}

void ScriptedTlsServer::respond_with(std::function<Step(const SeenRequest&)> responder) {
    state_->responder = std::move(responder);
}

const std::vector<SeenRequest>& ScriptedTlsServer::requests() const noexcept {
    return state_->seen;
}
std::uint64_t ScriptedTlsServer::connections_accepted() const noexcept { return state_->accepted; }
std::uint64_t ScriptedTlsServer::connections_closed() const noexcept { return state_->closed; }
std::uint64_t ScriptedTlsServer::handshakes_resumed() const noexcept { return state_->resumed; }

void ScriptedTlsServer::stop() {
    if (state_->stopped) return;
    state_->stopped = true;
    beast::error_code ignored;
    state_->acceptor.close(ignored);
    state_->stop_signal.cancel();
    for (auto& weak : state_->streams)
        if (auto stream = weak.lock()) beast::get_lowest_layer(*stream).socket().close(ignored);
}

}  // namespace rcbatch::test
