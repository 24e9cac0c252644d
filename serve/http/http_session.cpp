// One connection of the server: a TLS handshake when it has TLS, then HTTP/1.1 requests with
// keep-alive, each read under the request deadline and within the size limits, answered as
// request_rules.hpp decides or by the page handler, and written under the write deadline.
#include "engine/secret/redact.hpp"
#include "serve/http/redacted_pieces.hpp"
#include "serve/http/request_rules.hpp"
#include "serve/http/response_headers.hpp"
#include "serve/http/server_core.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/buffer_body.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/serializer.hpp>
#include <boost/beast/http/write.hpp>

#include <algorithm>
#include <iostream>
#include <limits>
#include <unistd.h>
#include <vector>

namespace rcbatch::serve::detail {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using asio::as_tuple;
using asio::use_awaitable;

namespace {

// What one read of a keep-alive connection's next request asks for.
constexpr std::size_t first_read_bytes = 4096;
// A file body is read this much at a time; a line longer than file_longest_line is cut.
constexpr std::size_t file_read_bytes = 64 * 1024;
constexpr std::size_t file_longest_line = 1024 * 1024;

std::string one_line(std::string text) {
    std::replace_if(
        text.begin(), text.end(), [](char c) { return c == '\n' || c == '\r'; }, ' ');
    return text;
}

// The handler's response; a fixed 500 and one line on stderr when it throws.
PageResponse call_handler(Core& core, const PageRequest& request) {
    std::string failure;
    try {
        return core.handler(request);
    } catch (const std::exception& e) {
        failure = e.what();
    } catch (...) {
        failure = "an unknown exception";
    }
    std::cerr << engine::redact(one_line("rcbatch serve: the page " + request.method + " " +
                                         std::string(path_of(request.target)) +
                                         " failed: " + failure))
              << std::endl;
    return handler_failed();
}

std::string_view buffered_text(const beast::flat_buffer& buffer) {
    const auto data = buffer.data();
    return {static_cast<const char*>(data.data()), data.size()};
}

// Writes `res` (its header only for a HEAD request); false when the write failed.
template <class Stream>
asio::awaitable<bool> write_response(Stream& stream, HttpResponse& res, bool head) {
    if (head) {
        http::response_serializer<http::string_body> serializer(res);
        auto [ec, n] =
            co_await http::async_write_header(stream, serializer, as_tuple(use_awaitable));
        co_return !ec;
    }
    auto [ec, n] = co_await http::async_write(stream, res, as_tuple(use_awaitable));
    co_return !ec;
}

// Writes `page`, whose body is its file, chunked, in pieces cut at line ends and redacted
// (redacted_pieces.hpp), each under the write deadline; false when a write or a read failed.
template <class Stream>
asio::awaitable<bool> write_file_response(Stream& stream, beast::tcp_stream& tcp,
                                          const PageResponse& page, unsigned version,
                                          bool keep_alive, bool head,
                                          std::chrono::steady_clock::duration deadline) {
    http::response<http::buffer_body> res;
    set_page_headers(res, page, version);
    res.keep_alive(keep_alive);
    res.chunked(true);
    res.body().data = nullptr;
    res.body().more = !head;
    http::response_serializer<http::buffer_body> serializer(res);
    tcp.expires_after(deadline);
    if (auto [ec, n] =
            co_await http::async_write_header(stream, serializer, as_tuple(use_awaitable));
        ec)
        co_return false;
    if (head) co_return true;
    RedactedPieces pieces(file_longest_line);
    std::vector<char> chunk(file_read_bytes);
    // Each piece with more = true; then no data and more = false: the chunked body's end.
    const auto send = [&](const std::string* piece) -> asio::awaitable<bool> {
        res.body().data = piece ? const_cast<char*>(piece->data()) : nullptr;
        res.body().size = piece ? piece->size() : 0;
        res.body().more = piece != nullptr;
        tcp.expires_after(deadline);
        auto [ec, n] = co_await http::async_write(stream, serializer, as_tuple(use_awaitable));
        co_return !ec || ec == http::error::need_buffer;
    };
    for (;;) {
        const ssize_t got = ::read(page.file->fd(), chunk.data(), chunk.size());
        if (got < 0) co_return false;  // the client sees the chunked body cut short
        const std::string piece =
            got == 0 ? pieces.finish()
                     : pieces.add(std::string_view(chunk.data(), static_cast<std::size_t>(got)));
        if (!piece.empty() && !co_await send(&piece)) co_return false;
        if (got == 0) break;
    }
    if (!co_await send(nullptr)) co_return false;
    co_return true;
}

// Serves requests until the connection is to close; the caller closes it.
template <class Stream>
asio::awaitable<void> serve_requests(Core& core, Connection& conn, Stream& stream) {
    const ServerLimits& limits = core.setup.limits;
    beast::tcp_stream& tcp = conn.tcp();
    const bool tls = conn.tls.has_value();
    beast::flat_buffer buffer;
    for (std::size_t served = 0; !core.stopping; ++served) {
        if (served > 0 && buffer.size() == 0) {
            if (core.draining) co_return;
            // Keep-alive: the next request's first bytes may take the idle deadline.
            tcp.expires_after(limits.idle_deadline);
            conn.idle = true;
            auto [ec, n] = co_await stream.async_read_some(buffer.prepare(first_read_bytes),
                                                           as_tuple(use_awaitable));
            conn.idle = false;
            if (ec || core.stopping) co_return;
            buffer.commit(n);
        }
        http::request_parser<http::string_body> parser;
        parser.header_limit(static_cast<std::uint32_t>(
            std::min<std::size_t>(limits.header_bytes, std::numeric_limits<std::uint32_t>::max())));
        parser.body_limit(limits.body_bytes);
        tcp.expires_after(limits.request_deadline);
        auto [rec, nread] =
            co_await http::async_read(stream, buffer, parser, as_tuple(use_awaitable));
        if (core.stopping) co_return;

        PageResponse response;
        bool close = false;
        bool head = false;
        unsigned version = 11;
        if (rec) {
            auto answer = answer_to_read_error(rec, buffered_text(buffer));
            if (!answer) co_return;
            response = std::move(answer->response);
            close = true;
            ++core.refused;
        } else {
            auto& req = parser.get();
            version = req.version();
            head = req.method() == http::verb::head;
            close =
                !req.keep_alive() || served + 1 >= limits.requests_per_connection || core.draining;
            const RequestFacts facts{req.method_string(),
                                     req.target(),
                                     req[http::field::authorization],
                                     req[http::field::cookie],
                                     req[http::field::content_type],
                                     req.body(),
                                     tls,
                                     req[http::field::host]};
            std::optional<ServerAnswer> answer;
            if (conn.over_cap)
                answer = answer_busy();
            else
                answer = answer_before_handler(facts, core.setup.token, limits.target_bytes);
            if (answer) {
                response = std::move(answer->response);
                close = close || answer->close;
                if (response.status >= 400 && response.status < 500) ++core.refused;
            } else {
                PageRequest request{
                    std::string(req.method_string()), std::string(req.target()), {}, tls};
                if (req.method() == http::verb::post) request.body = std::move(req.body());
                response = call_handler(core, request);
                if (core.stopping) co_return;
            }
        }
        if (response.file) {
            if (!co_await write_file_response(stream, tcp, response, version, !close, head,
                                              limits.write_deadline) ||
                close)
                co_return;
            continue;
        }
        HttpResponse res = to_http_response(response, version, !close);
        tcp.expires_after(limits.write_deadline);
        if (!co_await write_response(stream, res, head) || close) co_return;
    }
}

}  // namespace

asio::awaitable<void> serve_connection(std::shared_ptr<Core> core, std::shared_ptr<Connection> conn,
                                       std::uint64_t id) {
    const ServerLimits& limits = core->setup.limits;
    beast::tcp_stream& tcp = conn->tcp();
    try {
        if (conn->tls) {
            tcp.expires_after(limits.request_deadline);
            auto [ec] = co_await conn->tls->async_handshake(asio::ssl::stream_base::server,
                                                            as_tuple(use_awaitable));
            if (!ec) {
                co_await serve_requests(*core, *conn, *conn->tls);
                if (!core->stopping) {
                    tcp.expires_after(limits.write_deadline);
                    co_await conn->tls->async_shutdown(as_tuple(use_awaitable));
                }
            }
        } else {
            co_await serve_requests(*core, *conn, *conn->plain);
            boost::system::error_code ignored;
            tcp.socket().shutdown(asio::ip::tcp::socket::shutdown_send, ignored);
        }
    } catch (const std::exception&) {
        // A broken connection must not take the server down; it is closed below.
    }
    boost::system::error_code ignored;
    tcp.socket().close(ignored);
    if (conn->over_cap) --core->over_cap;
    core->connections.erase(id);
    if (core->draining && core->connections.empty()) core->grace.cancel();
}

}  // namespace rcbatch::serve::detail
