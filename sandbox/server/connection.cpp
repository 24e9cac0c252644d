// One sandbox connection: TLS handshake, then HTTP/1.1 requests with keep-alive, each
// under a read deadline, each acted out with its fault (see faults.hpp); while the sandbox
// is blocked, an /api/ request closes the connection unanswered.
#include "sandbox/server/server_core.hpp"

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

#include <algorithm>
#include <optional>

namespace rcbatch::sandbox::detail {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using asio::as_tuple;
using asio::use_awaitable;

namespace {

using Response = http::response<http::string_body>;

// `date`: the Date header, or empty for none (the no-date fault).
Response make_response(const Reply& reply, unsigned version, bool keep_alive,
                       const std::string& date) {
    Response res{reply.status, version};
    res.set(http::field::server, "rcbatch-sandbox");
    if (!date.empty()) res.set(http::field::date, date);
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
        return plain_reply(http::status::request_header_fields_too_large,
                           "Request header too large");
    if (ec == http::error::body_limit)
        return plain_reply(http::status::payload_too_large, "Request body too large");
    if (ec.category() == make_error_code(http::error::end_of_stream).category() &&
        ec != http::error::end_of_stream && ec != http::error::partial_message)
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

// What an API request gets once its fault is acted out.
struct Acted {
    std::optional<Reply> reply;  // nullopt: close the connection with no reply
    bool truncate = false;       // send half the body, then close
    bool interim = false;        // "100 Continue" first
};

asio::awaitable<Acted> act_out(const std::shared_ptr<Core>& core, Connection& conn,
                               const Exchange& ex) {
    Acted out;
    if (!co_await pause(conn, ex.fault.delay) || core->stopping) co_return out;
    Service& svc = core->service;
    const FaultKind fault = ex.fault.kind;
    switch (fault) {
        case FaultKind::none:
        case FaultKind::huge_number:
            out.reply = svc.finish(ex);
            break;
        case FaultKind::interim_continue:
            out.interim = true;
            out.reply = svc.finish(ex);
            break;
        case FaultKind::truncate:
            out.truncate = true;
            out.reply = svc.finish(ex);
            break;
        case FaultKind::close_before:
            break;
        case FaultKind::close_after:
            svc.finish(ex);
            break;
        case FaultKind::apply_late: {
            Reply reply = svc.finish(ex);
            if (reply.status == http::status::ok)
                start_late_timer(core);  // accepted: reply lost
            else
                out.reply = std::move(reply);  // refused: answered
            break;
        }
        case FaultKind::stall: {
            Reply reply = svc.finish(ex);
            if (!co_await pause(conn, svc.options().faults.stall_time) || core->stopping)
                co_return out;
            out.reply = std::move(reply);
            break;
        }
        case FaultKind::decline:
            out.reply = svc.declined(ex);
            break;
        case FaultKind::not_action:
            out.reply = Reply{http::status::ok,
                              "application/json",
                              std::string(not_action_body(ex.fault.variant)),
                              {}};
            break;
        case FaultKind::too_many_requests:
        case FaultKind::unavailable:
        case FaultKind::bad_gateway:
        case FaultKind::server_error_html:
            out.reply = svc.fault_reply(fault, ex.echo);
            break;
    }
    co_return out;
}

// Counts a request (outside /_sandbox/) as in flight for its lifetime.
class InFlight {
  public:
    explicit InFlight(Stats& s) : s_(s) {
        ++s_.requests_in_flight;
        s_.max_requests_in_flight = std::max(s_.max_requests_in_flight, s_.requests_in_flight);
    }
    ~InFlight() { --s_.requests_in_flight; }
    InFlight(const InFlight&) = delete;
    InFlight& operator=(const InFlight&) = delete;

  private:
    Stats& s_;
};

void count_handshake(Stats& stats, Connection& conn) {
    ++stats.tls_handshakes;
    if (SSL_session_reused(conn.stream.native_handle()) == 1) ++stats.tls_sessions_resumed;
}

// Writes the reply (after "100 Continue" when asked); false when the connection must close.
asio::awaitable<bool> write_reply(Connection& conn, const Acted& acted, Response& res) {
    if (acted.interim) {
        static constexpr std::string_view interim = "HTTP/1.1 100 Continue\r\n\r\n";
        auto [ec, n] = co_await asio::async_write(
            conn.stream, asio::buffer(interim.data(), interim.size()), as_tuple(use_awaitable));
        if (ec) co_return false;
    }
    auto [ec, n] = co_await http::async_write(conn.stream, res, as_tuple(use_awaitable));
    co_return !ec && res.keep_alive();
}

// Answers a request Beast could not read (400, 413, 431) when it deserves an answer.
asio::awaitable<void> answer_read_error(Core& core, Connection& conn,
                                        boost::system::error_code ec) {
    auto reply = reply_to_read_error(ec);
    if (!reply || core.stopping) co_return;
    ++core.service.stats().requests;
    ++core.service.stats().bad_requests;
    auto res = make_response(*reply, 11, false, core.service.date_header());
    beast::get_lowest_layer(conn.stream).expires_after(core.service.options().write_timeout);
    co_await http::async_write(conn.stream, res, as_tuple(use_awaitable));
}

asio::awaitable<void> serve(const std::shared_ptr<Core>& core_ptr, Connection& conn) {
    Core& core = *core_ptr;
    const Options& opt = core.service.options();
    auto& tcp = beast::get_lowest_layer(conn.stream);

    tcp.expires_after(opt.handshake_timeout);
    auto [hec] = co_await conn.stream.async_handshake(asio::ssl::stream_base::server,
                                                      as_tuple(use_awaitable));
    if (hec) co_return;
    count_handshake(core.service.stats(), conn);

    beast::flat_buffer buffer;
    std::size_t served = 0;
    while (!core.stopping) {
        http::request_parser<http::string_body> parser;
        parser.header_limit(static_cast<std::uint32_t>(opt.max_header_bytes));
        parser.body_limit(opt.max_body_bytes);
        tcp.expires_after(opt.request_timeout);
        auto [rec, nread] =
            co_await http::async_read(conn.stream, buffer, parser, as_tuple(use_awaitable));
        if (rec) {
            co_await answer_read_error(core, conn, rec);
            co_return;
        }
        auto req = parser.release();
        ++served;
        Incoming in{req.method(), std::string(req.target()), std::move(req.body()),
                    std::string(req[http::field::content_type])};
        if (core.service.stats().blocked && in.target.starts_with("/api/")) {
            ++core.service.stats().blocked_requests;
            co_return;
        }
        if (conn.over_cap && in.target.starts_with("/api/")) {
            // A cap that reads the request, then closes: nothing processed, no reply.
            Stats& stats = core.service.stats();
            ++stats.drops;
            const std::size_t block_after = opt.faults.block_after;
            if (block_after != 0 && stats.drops >= block_after) stats.blocked = true;
            co_return;
        }
        std::optional<InFlight> flight;
        if (!in.target.starts_with("/_sandbox/")) flight.emplace(core.service.stats());
        Exchange ex = core.service.begin(in);

        Acted acted;
        if (!ex.api) {
            acted.reply = std::move(ex.reply);
        } else {
            tcp.expires_never();
            acted = co_await act_out(core_ptr, conn, ex);
        }
        if (!acted.reply) co_return;

        const bool keep_alive = req.keep_alive() && served < opt.keepalive_requests &&
                                !core.stopping && !acted.truncate;
        auto res =
            make_response(*acted.reply, req.version(), keep_alive, core.service.date_header());
        tcp.expires_after(opt.write_timeout);
        if (acted.truncate) {
            co_await write_truncated(conn, res);
            co_return;  // a plain TCP close, no TLS close_notify: the body is cut short
        }
        if (!co_await write_reply(conn, acted, res)) break;
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
        co_await serve(core, *conn);
    } catch (const std::exception&) {
        // A broken connection must not take the server down; it is closed below.
    }
    boost::system::error_code ignored;
    beast::get_lowest_layer(conn->stream).socket().close(ignored);
    core->connections.erase(id);
    core->service.stats().active_connections = core->connections.size();
}

}  // namespace rcbatch::sandbox::detail
