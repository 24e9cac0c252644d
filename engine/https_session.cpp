#include "engine/https_session.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>

#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <sys/socket.h>

#include <cerrno>

#ifndef RCBATCH_VERSION
#define RCBATCH_VERSION "0"
#endif

namespace rcbatch::engine {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = boost::beast::http;
namespace ssl = boost::asio::ssl;
using boost::system::error_code;
using namespace asio::experimental::awaitable_operators;

namespace {

constexpr auto tuple_awaitable = asio::as_tuple(asio::use_awaitable);

bool is_ip_address(const std::string& name) {
    error_code ec;
    asio::ip::make_address(name, ec);
    return !ec;
}

// The TLS error text plus, for a certificate that failed verification, OpenSSL's reason.
std::string tls_error_text(const error_code& ec, SSL* ssl) {
    std::string text = ec.message();
    const long verify = SSL_get_verify_result(ssl);
    if (verify != X509_V_OK) {
        text += " (";
        text += X509_verify_cert_error_string(verify);
        text += ")";
    }
    return text;
}

std::string timeout_text(std::chrono::milliseconds timeout) {
    return "attempt timeout (" + std::to_string(timeout.count()) + " ms) passed";
}

}  // namespace

void HttpsSession::SessionFree::operator()(void* session) const noexcept {
    SSL_SESSION_free(static_cast<SSL_SESSION*>(session));
}

HttpsSession::HttpsSession(asio::any_io_executor executor, ssl::context& tls, Endpoint endpoint,
                           SessionSettings settings)
    : executor_(std::move(executor)),
      tls_(tls),
      endpoint_(std::move(endpoint)),
      settings_(std::move(settings)) {
    if (settings_.user_agent.empty()) settings_.user_agent = std::string("rcbatch/") + RCBATCH_VERSION;
    head_fields_ = "Host: " + (endpoint_.port == 443 ? endpoint_.name()
                                                     : endpoint_.name() + ":" + std::to_string(endpoint_.port)) +
                   "\r\nUser-Agent: " + settings_.user_agent +
                   "\r\nAccept: application/json, text/plain, */*\r\n";
}

// The request as Beast's serializer would write it for these fields (HTTP/1.1, keep-alive
// implied; Content-Length as prepare_payload sets it), built into one reused buffer so the
// whole request leaves in one TLS record and one sendmsg, with no allocation once warm.
void HttpsSession::serialize(const HttpRequest& request) {
    const std::string_view method = http::to_string(request.method);
    const bool has_body = !request.body.empty() || request.method == http::verb::post;
    if (out_.capacity() > 64 * 1024) std::string().swap(out_);  // after a large body
    out_.clear();
    out_.append(method.data(), method.size());
    out_ += ' ';
    out_ += request.target;
    out_ += " HTTP/1.1\r\n";
    out_ += head_fields_;
    if (has_body) out_ += "Content-Type: application/x-www-form-urlencoded\r\n";
    if (has_body || request.method == http::verb::options || request.method == http::verb::put) {
        out_ += "Content-Length: ";
        out_ += std::to_string(request.body.size());
        out_ += "\r\n";
    }
    out_ += "\r\n";
    if (has_body) out_ += request.body;
}

HttpsSession::~HttpsSession() { drop(); }

void HttpsSession::drop() noexcept {
    usable_ = false;
    session_kept_ = false;
    buffer_.clear();
    if (!stream_) return;
    error_code ignored;
    beast::get_lowest_layer(*stream_).socket().close(ignored);
    stream_.reset();
}

// The peer closed an idle kept-alive connection (FIN, or a close_notify/other bytes
// waiting where no reply is due): a non-blocking peek at the socket tells.
bool HttpsSession::peer_has_closed() noexcept {
    if (!stream_ || buffer_.size() != 0) return true;
    auto& socket = beast::get_lowest_layer(*stream_).socket();
    if (!socket.is_open()) return true;
    char byte;
    const auto n = ::recv(socket.native_handle(), &byte, 1, MSG_PEEK | MSG_DONTWAIT);
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return false;
    return true;  // 0: end of stream; > 0: unexpected bytes; < 0: an error
}

// Keeps a copy of this connection's TLS session (after a whole reply, so a TLS 1.3 ticket
// has been read). A copy, because OpenSSL marks the live one not resumable when the
// connection is later freed without a close_notify — the usual end of a kept-alive one.
void HttpsSession::keep_tls_session() noexcept {
    if (session_kept_ || !stream_) return;
    SSL_SESSION* live = SSL_get_session(stream_->native_handle());
    if (live == nullptr || SSL_SESSION_is_resumable(live) != 1) return;
    SSL_SESSION* copy = SSL_SESSION_dup(live);
    if (copy == nullptr) return;
    tls_session_.reset(copy);
    session_kept_ = true;
}

asio::awaitable<error_code> HttpsSession::connect(Clock::time_point deadline, std::string& what) {
    drop();
    if (!resolved_) {
        asio::ip::tcp::resolver resolver(executor_);
        asio::steady_timer timer(executor_, deadline);
        auto raced = co_await (resolver.async_resolve(endpoint_.host, std::to_string(endpoint_.port),
                                                      tuple_awaitable) ||
                               timer.async_wait(tuple_awaitable));
        if (raced.index() == 1) {
            what = "resolve " + endpoint_.host + ": " + timeout_text(settings_.attempt_timeout);
            co_return beast::error::timeout;
        }
        auto [ec, results] = std::get<0>(std::move(raced));
        if (ec) {
            what = "resolve " + endpoint_.host + ": " + ec.message();
            co_return ec;
        }
        resolved_ = std::move(results);
    }

    stream_ = std::make_unique<Stream>(executor_, tls_);
    SSL* native = stream_->native_handle();
    // Asio sets SSL_MODE_RELEASE_BUFFERS: OpenSSL then frees its ~17 KB read and write
    // buffers whenever they empty and allocates them again for the next record, i.e. two
    // large malloc/free pairs per request (and glibc consolidating its bins on each free).
    // A kept-alive connection keeps them instead; requests fit in one small record.
    SSL_clear_mode(native, SSL_MODE_RELEASE_BUFFERS);
    const std::string& name = endpoint_.name();
    if (!is_ip_address(name) && SSL_set_tlsext_host_name(native, name.c_str()) != 1) {
        what = "TLS: cannot set the server name " + name;
        co_return asio::error::invalid_argument;
    }
    stream_->set_verify_mode(ssl::verify_peer);
    stream_->set_verify_callback(ssl::host_name_verification(name));
    if (tls_session_) SSL_set_session(native, static_cast<SSL_SESSION*>(tls_session_.get()));

    auto& tcp = beast::get_lowest_layer(*stream_);
    tcp.expires_at(deadline);
    auto [connect_ec, connected_to] = co_await tcp.async_connect(*resolved_, tuple_awaitable);
    if (connect_ec) {
        what = "connect " + endpoint_.host + ":" + std::to_string(endpoint_.port) + ": " +
               (connect_ec == beast::error::timeout ? timeout_text(settings_.attempt_timeout)
                                                    : connect_ec.message());
        resolved_.reset();  // resolve afresh next time: the address may have moved
        co_return connect_ec;
    }
    ++opened_;
    // Each request and reply is one write: Nagle has nothing to merge, only delays to add.
    error_code nodelay_ec;
    tcp.socket().set_option(asio::ip::tcp::no_delay(true), nodelay_ec);

    tcp.expires_at(deadline);
    auto [handshake_ec] = co_await stream_->async_handshake(ssl::stream_base::client, tuple_awaitable);
    if (handshake_ec) {
        what = "TLS handshake with " + name + ": " +
               (handshake_ec == beast::error::timeout ? timeout_text(settings_.attempt_timeout)
                                                      : tls_error_text(handshake_ec, native));
        certificate_rejected_ = SSL_get_verify_result(native) != X509_V_OK;
        co_return handshake_ec;
    }
    if (SSL_session_reused(native) == 1) ++resumed_;
    co_return error_code{};
}

asio::awaitable<HttpExchange> HttpsSession::send(const HttpRequest& request) {
    const auto started = Clock::now();
    const auto deadline = started + settings_.attempt_timeout;
    HttpExchange x;
    x.transport = Transport::not_sent;
    auto finish = [&] {
        x.elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started);
        return x;
    };

    serialize(request);

    // A connection left mid-exchange (cancelled, failed) cannot be trusted: start afresh.
    bool reused = usable_ && !peer_has_closed();
    if (!reused) drop();
    usable_ = false;  // set again only when this exchange ends cleanly

    for (int round = 0;; ++round) {
        if (!stream_) {
            certificate_rejected_ = false;
            auto ec = co_await connect(deadline, x.error);
            if (ec) {
                x.certificate_rejected = certificate_rejected_;
                drop();
                co_return finish();
            }
        }
        auto& tcp = beast::get_lowest_layer(*stream_);
        tcp.expires_at(deadline);
        auto [write_ec, written] = co_await asio::async_write(*stream_, asio::buffer(out_), tuple_awaitable);
        if (!write_ec) break;
        // The request did not leave whole (the last bytes never reached the kernel), so
        // the server cannot hold all of it: nothing can have been processed.
        drop();
        if (write_ec != beast::error::timeout && reused && round == 0) {
            reused = false;  // the kept-alive connection was dead: send once on a new one
            continue;
        }
        x.transport = Transport::not_sent;
        x.error = "write: " + (write_ec == beast::error::timeout ? timeout_text(settings_.attempt_timeout)
                                                                 : write_ec.message());
        (void)written;
        co_return finish();
    }

    http::response_parser<http::string_body> parser;
    parser.body_limit(settings_.body_limit);
    auto& tcp = beast::get_lowest_layer(*stream_);
    tcp.expires_at(deadline);
    auto [read_ec, read_bytes] = co_await http::async_read(*stream_, buffer_, parser, tuple_awaitable);
    (void)read_bytes;
    const bool got_some = parser.got_some() || buffer_.size() != 0 || parser.is_header_done();
    if (parser.is_header_done()) {
        const auto& head = parser.get();
        x.status = static_cast<int>(head.result_int());
        if (auto it = head.find(http::field::retry_after); it != head.end())
            x.retry_after = std::string(it->value());
        if (auto it = head.find(http::field::content_type); it != head.end())
            x.content_type = std::string(it->value());
    }
    if (read_ec) {
        drop();
        if (read_ec == beast::error::timeout) {
            x.transport = Transport::timeout_after_send;
            x.error = "read: " + timeout_text(settings_.attempt_timeout);
        } else if (!got_some) {
            x.transport = Transport::closed_before_reply;
            x.error = "connection closed before a reply: " + read_ec.message();
        } else {
            x.transport = Transport::truncated;
            x.error = read_ec == http::error::body_limit
                          ? "reply longer than the body limit (" +
                                std::to_string(settings_.body_limit) + " bytes)"
                          : "reply cut short: " + read_ec.message();
        }
        x.body = std::move(parser.get().body());
        co_return finish();
    }

    auto response = parser.release();
    x.transport = Transport::complete;
    x.body = std::move(response.body());
    keep_tls_session();
    if (response.keep_alive() && buffer_.size() == 0)
        usable_ = true;
    else
        drop();
    co_return finish();
}

asio::awaitable<void> HttpsSession::close() {
    if (!stream_) co_return;
    if (usable_ && !peer_has_closed()) {
        usable_ = false;
        beast::get_lowest_layer(*stream_).expires_after(settings_.shutdown_timeout);
        // eof, stream_truncated or a timeout all mean "closed": nothing to act on.
        auto [ec] = co_await stream_->async_shutdown(tuple_awaitable);
        (void)ec;
    }
    drop();
}

}  // namespace rcbatch::engine
