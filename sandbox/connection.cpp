// One sandbox connection: TLS handshake, then HTTP/1.1 requests with keep-alive, each
// under a read deadline, each acted out with its fault (see faults.hpp).
#include "sandbox/server_core.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/serializer.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>

namespace rcbatch::sandbox::detail {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using asio::as_tuple;
using asio::use_awaitable;

namespace {

using Response = http::response<http::string_body>;

Response make_response(const Reply& reply, unsigned version, bool keep_alive) {
    Response res{reply.status, version};
    res.set(http::field::server, "rcbatch-sandbox");
    res.set(http::field::content_type, reply.content_type);
    for (const auto& [name, value] : reply.headers) res.set(name, value);
    res.body() = reply.body;
    res.keep_alive(keep_alive);
    res.prepare_payload();
    return res;
}

// Waits `d` on the connection's timer; false when stop() cancelled it.
asio::awaitable<bool> pause(Connection& conn, std::chrono::milliseconds d) {
    if (d.count() <= 0) co_return true;
    conn.timer.expires_after(d);
    auto [ec] = co_await conn.timer.async_wait(as_tuple(use_awaitable));
    co_return !ec;
}

// The reply to a request Beast could not read, or nullopt to just close (EOF, timeout,
// a reset, TLS trouble).
std::optional<Reply> reply_to_read_error(const boost::system::error_code& ec) {
    if (ec == http::error::header_limit)
        return plain_reply(http::status::request_header_fields_too_large, "Request header too large");
    if (ec == http::error::body_limit)
        return plain_reply(http::status::payload_too_large, "Request body too large");
    if (ec.category() == make_error_code(http::error::end_of_stream).category() &&
        ec != http::error::end_of_stream &&
        ec != http::error::partial_message)
        return plain_reply(http::status::bad_request, "Bad request");
    return std::nullopt;
}

// Sends the reply's header and only half its body, then the caller closes: a truncated body.
asio::awaitable<void> write_truncated(Connection& conn, Response& res) {
    http::response_serializer<http::string_body> sr(res);
    auto [ec, n] = co_await http::async_write_header(conn.stream, sr, as_tuple(use_awaitable));
    if (ec) co_return;
    const auto& body = res.body();
    co_await asio::async_write(conn.stream, asio::buffer(body.data(), body.size() / 2),
                               as_tuple(use_awaitable));
}

asio::awaitable<void> serve(Core& core, Connection& conn) {
    const Options& opt = core.service.options();
    auto& tcp = beast::get_lowest_layer(conn.stream);

    tcp.expires_after(opt.handshake_timeout);
    auto [hec] = co_await conn.stream.async_handshake(asio::ssl::stream_base::server,
                                                      as_tuple(use_awaitable));
    if (hec) co_return;

    beast::flat_buffer buffer;
    std::size_t served = 0;
    while (!core.stopping) {
        http::request_parser<http::string_body> parser;
        parser.header_limit(static_cast<std::uint32_t>(opt.max_header_bytes));
        parser.body_limit(opt.max_body_bytes);
        tcp.expires_after(opt.request_timeout);
        auto [rec, nread] = co_await http::async_read(conn.stream, buffer, parser, as_tuple(use_awaitable));
        if (rec) {
            if (auto reply = reply_to_read_error(rec); reply && !core.stopping) {
                ++core.service.stats().requests;
                ++core.service.stats().bad_requests;
                auto res = make_response(*reply, 11, false);
                tcp.expires_after(opt.write_timeout);
                co_await http::async_write(conn.stream, res, as_tuple(use_awaitable));
            }
            co_return;
        }
        auto req = parser.release();
        ++served;
        Incoming in{req.method(), std::string(req.target()), std::move(req.body()),
                    std::string(req[http::field::content_type])};
        Exchange ex = core.service.begin(in);

        Reply reply;
        FaultKind fault = FaultKind::none;
        if (!ex.api) {
            reply = std::move(ex.reply);
        } else {
            fault = ex.fault.kind;
            tcp.expires_never();
            if (!co_await pause(conn, ex.fault.delay) || core.stopping) co_return;
            switch (fault) {
                case FaultKind::none:
                case FaultKind::truncate:
                    reply = core.service.finish(ex);
                    break;
                case FaultKind::close_before:
                    co_return;
                case FaultKind::close_after:
                    core.service.finish(ex);
                    co_return;
                case FaultKind::stall:
                    reply = core.service.finish(ex);
                    if (!co_await pause(conn, opt.faults.stall_time) || core.stopping) co_return;
                    break;
                case FaultKind::too_many_requests:
                case FaultKind::unavailable:
                case FaultKind::bad_gateway:
                case FaultKind::server_error_html:
                    reply = core.service.fault_reply(fault);
                    break;
            }
        }

        const bool keep_alive = req.keep_alive() && served < opt.keepalive_requests &&
                                !core.stopping && fault != FaultKind::truncate;
        auto res = make_response(reply, req.version(), keep_alive);
        tcp.expires_after(opt.write_timeout);
        if (fault == FaultKind::truncate) {
            co_await write_truncated(conn, res);
            co_return;  // a plain TCP close, no TLS close_notify: the body is cut short
        }
        auto [wec, nwritten] = co_await http::async_write(conn.stream, res, as_tuple(use_awaitable));
        if (wec || !keep_alive) break;
    }
    if (!core.stopping) {
        tcp.expires_after(opt.write_timeout);
        co_await conn.stream.async_shutdown(as_tuple(use_awaitable));
    }
}

}  // namespace

asio::awaitable<void> serve_connection(std::shared_ptr<Core> core, std::shared_ptr<Connection> conn,
                                       std::uint64_t id) {
    try {
        co_await serve(*core, *conn);
    } catch (const std::exception&) {
        // A broken connection must not take the server down; it is closed below.
    }
    boost::system::error_code ignored;
    beast::get_lowest_layer(conn->stream).socket().close(ignored);
    core->connections.erase(id);
    core->service.stats().active_connections = core->connections.size();
}

}  // namespace rcbatch::sandbox::detail
