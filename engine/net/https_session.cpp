#include "engine/net/https_session.hpp"

#include "engine/net/https_session_impl.hpp"

#include <boost/asio/error.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/core/read_size.hpp>
#include <boost/beast/http/error.hpp>

#include <cerrno>
#include <sys/socket.h>

#ifndef RCBATCH_VERSION
#define RCBATCH_VERSION "0"
#endif

namespace rcbatch::engine {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = boost::beast::http;
using boost::system::error_code;

namespace {

// Interim (1xx) replies one request may bring before its final reply; more is a broken server.
constexpr int max_interim_replies = 8;

// The most one read asks of the connection (Beast's http::async_read asks the same).
constexpr std::size_t read_chunk = 64 * 1024;

// The endpoint as the session cache tells endpoints apart: a session is never offered to
// another host, port, server name or proxy.
std::string cache_key_of(const Endpoint& e) {
    return e.host + "\n" + std::to_string(e.port) + "\n" + e.name() + "\n" +
           (e.proxy ? e.proxy->authority() + "\n" + e.proxy->user : std::string());
}

}  // namespace

HttpsSession::Impl::Impl(asio::any_io_executor executor_, asio::ssl::context& tls_,
                         Endpoint endpoint_, SessionSettings settings_)
    : executor(std::move(executor_)),
      tls(tls_),
      endpoint(std::move(endpoint_)),
      settings(std::move(settings_)),
      cache(TlsSessionCache::of(tls.native_handle())),
      gate(HandshakeGate::of(tls.native_handle())),
      cache_key(cache_key_of(endpoint)) {
    // The context's session cache must outlive this session, even a session whose frame is
    // destroyed after its owner freed the context: hold a reference to the context.
    SSL_CTX_up_ref(tls.native_handle());
    context_ref = tls.native_handle();
    if (settings.user_agent.empty())
        settings.user_agent = std::string("rcbatch/") + RCBATCH_VERSION;
    head_fields = "Host: " +
                  (endpoint.port == 443 ? endpoint.name()
                                        : endpoint.name() + ":" + std::to_string(endpoint.port)) +
                  "\r\nUser-Agent: " + settings.user_agent +
                  "\r\nAccept: application/json, text/plain, */*\r\n";
}

HttpsSession::Impl::~Impl() {
    drop();
    SSL_CTX_free(context_ref);
}

std::string HttpsSession::Impl::timeout_text() const {
    return "attempt timeout (" + std::to_string(settings.attempt_timeout.count()) + " ms) passed";
}

// The request as Beast's serializer would write it for these fields (HTTP/1.1, keep-alive
// implied; Content-Length as prepare_payload sets it), built into one reused buffer so the
// whole request leaves in one TLS record and one sendmsg, with no allocation once warm.
void HttpsSession::Impl::serialize(const HttpRequest& request) {
    const bool post = request.method == HttpMethod::post;
    const std::string_view method = post ? "POST" : "GET";
    const bool has_body = !request.body.empty() || post;
    if (out.capacity() > 64 * 1024) std::string().swap(out);  // after a large body
    out.clear();
    out.append(method.data(), method.size());
    out += ' ';
    out += request.target;
    out += " HTTP/1.1\r\n";
    out += head_fields;
    if (has_body) out += "Content-Type: application/x-www-form-urlencoded\r\n";
    if (has_body) {
        out += "Content-Length: ";
        out += std::to_string(request.body.size());
        out += "\r\n";
    }
    out += "\r\n";
    if (has_body) out += request.body;
}

void HttpsSession::Impl::end_priming(const std::string& fatal, bool exchanged) noexcept {
    if (!priming) return;
    priming = false;
    if (cache != nullptr) cache->end_priming(cache_key, fatal, exchanged);
}

void HttpsSession::Impl::drop() noexcept {
    end_priming();
    usable = false;
    answered = false;
    buffer.clear();
    if (!stream) return;
    error_code ignored;
    stream->tcp().socket().close(ignored);
    stream.reset();
}

// The peer closed an idle kept-alive connection (FIN, or a close_notify/other bytes
// waiting where no reply is due): a non-blocking peek at the socket tells.
bool HttpsSession::Impl::peer_has_closed() noexcept {
    if (!stream || buffer.size() != 0 || stream->has_pending()) return true;
    auto& socket = stream->tcp().socket();
    if (!socket.is_open()) return true;
    char byte;
    const auto n = ::recv(socket.native_handle(), &byte, 1, MSG_PEEK | MSG_DONTWAIT);
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return false;
    return true;  // 0: end of stream; > 0: unexpected bytes; < 0: an error
}

// How a read that failed ended, in the terms of Transport.
void HttpsSession::Impl::describe_read_failure(HttpExchange& x, const error_code& ec,
                                               bool got_some) const {
    if (ec == beast::error::timeout) {
        x.transport = Transport::timeout_after_send;
        x.error = "read: " + timeout_text();
    } else if (!got_some) {
        x.transport = Transport::closed_before_reply;
        x.error = "connection closed before a reply: " + ec.message();
    } else {
        x.transport = Transport::truncated;
        x.error = ec == http::error::body_limit
                      ? "reply longer than the body limit (" + std::to_string(settings.body_limit) +
                            " bytes)"
                      : "reply cut short: " + ec.message();
    }
}

asio::awaitable<error_code> HttpsSession::Impl::read_message(Parser& parser,
                                                             Clock::time_point deadline) {
    parser.eager(true);
    for (;;) {
        if (buffer.size() != 0) {
            error_code ec;
            const std::size_t used = parser.put(buffer.data(), ec);
            buffer.consume(used);
            if (ec && ec != http::error::need_more) co_return ec;
            if (parser.is_done()) co_return error_code{};
            if (!ec && used != 0) continue;
        }
        const std::size_t room = beast::read_size(buffer, read_chunk);
        if (room == 0) co_return http::error::buffer_overflow;
        auto [ec, got] = co_await stream->read_some(buffer.prepare(room), deadline);
        if (ec == asio::error::eof) {
            if (!parser.got_some()) co_return http::error::end_of_stream;
            error_code end;
            parser.put_eof(end);  // a body that ends with the connection
            co_return end;
        }
        if (ec) co_return ec;
        buffer.commit(got);
    }
}

// Reads replies until the final one: a 1xx (100 Continue, 103 Early Hints) is skipped, a 101
// (a protocol switch nobody asked for) is an error. All within the attempt's deadline.
asio::awaitable<void> HttpsSession::Impl::read_reply(Clock::time_point deadline, HttpExchange& x) {
    std::optional<Parser> parser;
    error_code read_ec;
    bool interim_seen = false;
    for (int interim = 0;; ++interim) {
        parser.emplace();
        parser->body_limit(settings.body_limit);
        read_ec = co_await read_message(*parser, deadline);
        const unsigned status = parser->is_header_done() ? parser->get().result_int() : 0;
        if (read_ec || status / 100 != 1) break;
        interim_seen = true;
        if (status == 101 || interim == max_interim_replies) {
            drop();
            x.transport = Transport::truncated;
            x.error = status == 101 ? "the server switched protocols (101) instead of replying"
                                    : "too many interim (1xx) replies";
            co_return;
        }
    }
    const bool got_some =
        interim_seen || parser->got_some() || buffer.size() != 0 || parser->is_header_done();
    if (parser->is_header_done()) {
        const auto& head = parser->get();
        x.status = static_cast<int>(head.result_int());
        if (auto it = head.find(http::field::retry_after); it != head.end())
            x.retry_after = std::string(it->value());
        if (auto it = head.find(http::field::content_type); it != head.end())
            x.content_type = std::string(it->value());
        if (auto it = head.find(http::field::date); it != head.end())
            x.date = std::string(it->value());
    }
    if (read_ec) {
        drop();
        describe_read_failure(x, read_ec, got_some);
        x.body = std::move(parser->get().body());
        co_return;
    }
    auto response = parser->release();
    x.transport = Transport::complete;
    x.body = std::move(response.body());
    end_priming({}, true);  // a TLS 1.3 ticket, if the server sends any, has been read by now
    if (response.keep_alive() && buffer.size() == 0) {
        usable = true;
        answered = true;
    } else {
        drop();
    }
}

HttpsSession::HttpsSession(asio::any_io_executor executor, asio::ssl::context& tls,
                           Endpoint endpoint, SessionSettings settings)
    : impl_(std::make_unique<Impl>(std::move(executor), tls, std::move(endpoint),
                                   std::move(settings))) {}

HttpsSession::~HttpsSession() = default;

std::uint64_t HttpsSession::connections_opened() const noexcept { return impl_->opened; }
std::uint64_t HttpsSession::sessions_resumed() const noexcept { return impl_->resumed; }
bool HttpsSession::connected() const noexcept { return impl_->usable; }

bool HttpsSession::open() const noexcept { return impl_->stream != nullptr; }

bool HttpsSession::answering() const noexcept { return impl_->stream && impl_->answered; }

asio::awaitable<HttpExchange> HttpsSession::send(const HttpRequest& request) {
    Impl& s = *impl_;
    const auto started = Impl::Clock::now();
    const auto deadline = started + s.settings.attempt_timeout;
    HttpExchange x;
    x.transport = Transport::not_sent;
    auto finish = [&] {
        x.elapsed =
            std::chrono::duration_cast<std::chrono::milliseconds>(Impl::Clock::now() - started);
        return x;
    };

    s.serialize(request);

    // A connection left mid-exchange (cancelled, failed) cannot be trusted: start afresh.
    bool reused = s.usable && !s.peer_has_closed();
    if (!reused) s.drop();
    s.usable = false;  // set again only when this exchange ends cleanly

    for (int round = 0;; ++round) {
        if (!s.stream && co_await s.connect(deadline, x)) {
            s.drop();
            co_return finish();
        }
        const error_code write_ec = co_await s.stream->write(asio::buffer(s.out), deadline);
        if (!write_ec) break;
        // The request did not leave whole (the last bytes never reached the kernel), so
        // the server cannot hold all of it: nothing can have been processed.
        s.drop();
        if (write_ec != beast::error::timeout && reused && round == 0) {
            reused = false;  // the kept-alive connection was dead: send once on a new one
            continue;
        }
        x.transport = Transport::not_sent;
        x.error =
            "write: " + (write_ec == beast::error::timeout ? s.timeout_text() : write_ec.message());
        co_return finish();
    }

    x.fresh_connection = !reused;
    co_await s.read_reply(deadline, x);
    co_return finish();
}

asio::awaitable<void> HttpsSession::close() {
    Impl& s = *impl_;
    if (!s.stream) co_return;
    if (s.usable && !s.peer_has_closed()) {
        s.usable = false;
        // eof, stream_truncated or a timeout all mean "closed": nothing to act on.
        (void)co_await s.stream->shutdown(Impl::Clock::now() + s.settings.shutdown_timeout);
    }
    s.drop();
}

}  // namespace rcbatch::engine
