#include "tests/support/sandbox_client.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/json/parse.hpp>
#include <boost/url/url.hpp>

#include <openssl/ssl.h>

namespace rcbatch::test {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using asio::as_tuple;
using asio::use_awaitable;
using asio::ip::tcp;

std::string make_target(const std::string& path, const QueryParams& params) {
    boost::urls::url u;
    u.set_path(path);
    for (const auto& [k, v] : params) u.params().append({k, v});
    return std::string(u.buffer());
}

std::string make_form(const QueryParams& params) {
    boost::urls::url u;
    for (const auto& [k, v] : params) u.params().append({k, v});
    return std::string(u.encoded_query());
}

boost::json::value ClientReply::json() const { return boost::json::parse(body); }

SandboxClient::SandboxClient(asio::io_context& ioc, std::uint16_t port, const std::string& ca_pem,
                             std::string host)
    : ioc_(ioc), port_(port), host_(std::move(host)), tls_(asio::ssl::context::tls_client) {
    SSL_CTX_set_min_proto_version(tls_.native_handle(), TLS1_2_VERSION);
    if (!ca_pem.empty()) tls_.add_certificate_authority(asio::buffer(ca_pem));
    tls_.set_verify_mode(asio::ssl::verify_peer);
    // Lets TLS 1.3 tickets land in the connection's session, which reuse_sessions() keeps.
    SSL_CTX_set_session_cache_mode(tls_.native_handle(),
                                   SSL_SESS_CACHE_CLIENT | SSL_SESS_CACHE_NO_INTERNAL_STORE);
}

SandboxClient::~SandboxClient() {
    close();
    if (session_ != nullptr) SSL_SESSION_free(session_);
}

asio::awaitable<boost::system::error_code> SandboxClient::connect(
    std::chrono::milliseconds timeout) {
    close();
    ++connects_;
    auto stream = std::make_unique<asio::ssl::stream<beast::tcp_stream>>(ioc_, tls_);
    stream->set_verify_callback(asio::ssl::host_name_verification(host_));
    SSL_set_tlsext_host_name(stream->native_handle(), host_.c_str());
    if (reuse_sessions_ && session_ != nullptr) SSL_set_session(stream->native_handle(), session_);
    auto& lowest = beast::get_lowest_layer(*stream);
    lowest.expires_after(timeout);
    auto [cec] = co_await lowest.async_connect(
        tcp::endpoint(asio::ip::address_v4::loopback(), port_), as_tuple(use_awaitable));
    if (cec) co_return cec;
    lowest.expires_after(timeout);
    auto [hec] =
        co_await stream->async_handshake(asio::ssl::stream_base::client, as_tuple(use_awaitable));
    if (hec) co_return hec;
    stream_ = std::move(stream);
    co_return boost::system::error_code{};
}

void SandboxClient::close() {
    if (stream_ && reuse_sessions_) {
        // Freed without a close_notify, OpenSSL would mark the session not resumable.
        SSL_set_shutdown(stream_->native_handle(), SSL_SENT_SHUTDOWN | SSL_RECEIVED_SHUTDOWN);
        if (SSL_SESSION* s = SSL_get1_session(stream_->native_handle())) {
            if (session_ != nullptr) SSL_SESSION_free(session_);
            session_ = s;
        }
    }
    if (stream_) {
        boost::system::error_code ignored;
        beast::get_lowest_layer(*stream_).socket().close(ignored);
        stream_.reset();
    }
}

asio::awaitable<ClientReply> SandboxClient::request(http::verb method, std::string target,
                                                    std::string body,
                                                    std::chrono::milliseconds timeout) {
    ClientReply reply;
    if (!stream_) {
        reply.ec = co_await connect(timeout);
        if (reply.ec) co_return reply;
    }
    http::request<http::string_body> req{method, target, 11};
    req.set(http::field::host, host_ + ":" + std::to_string(port_));
    req.set(http::field::user_agent, "rcbatch-sandbox-test");
    if (!body.empty()) req.set(http::field::content_type, "application/x-www-form-urlencoded");
    req.body() = std::move(body);
    req.keep_alive(true);
    req.prepare_payload();

    auto& lowest = beast::get_lowest_layer(*stream_);
    lowest.expires_after(timeout);
    auto [wec, written] = co_await http::async_write(*stream_, req, as_tuple(use_awaitable));
    if (wec) {
        reply.ec = wec;
        close();
        co_return reply;
    }
    beast::flat_buffer buffer;
    http::response_parser<http::string_body> parser;
    parser.body_limit(64 * 1024 * 1024);
    lowest.expires_after(timeout);
    auto [rec, nread] =
        co_await http::async_read(*stream_, buffer, parser, as_tuple(use_awaitable));
    reply.ec = rec;
    if (parser.is_header_done()) {
        auto& res = parser.get();
        reply.header_read = true;
        reply.status = static_cast<int>(res.result_int());
        reply.body = res.body();
        reply.content_type = std::string(res[http::field::content_type]);
        reply.retry_after = std::string(res[http::field::retry_after]);
        reply.keep_alive = !rec && res.keep_alive();
    }
    if (!reply.keep_alive) close();
    co_return reply;
}

asio::awaitable<std::string> SandboxClient::raw_tls(std::string bytes,
                                                    std::chrono::milliseconds timeout) {
    if (!stream_) {
        if (co_await connect(timeout)) co_return std::string{};
    }
    auto& lowest = beast::get_lowest_layer(*stream_);
    lowest.expires_after(timeout);
    co_await asio::async_write(*stream_, asio::buffer(bytes), as_tuple(use_awaitable));
    std::string got;
    co_await asio::async_read(*stream_, asio::dynamic_buffer(got), as_tuple(use_awaitable));
    close();
    co_return got;
}

asio::awaitable<std::string> raw_tcp(std::uint16_t port, std::string bytes,
                                     std::chrono::milliseconds timeout) {
    beast::tcp_stream stream(co_await asio::this_coro::executor);
    stream.expires_after(timeout);
    auto [cec] = co_await stream.async_connect(
        tcp::endpoint(asio::ip::address_v4::loopback(), port), as_tuple(use_awaitable));
    if (cec) co_return std::string{};
    co_await asio::async_write(stream, asio::buffer(bytes), as_tuple(use_awaitable));
    std::string got;
    co_await asio::async_read(stream, asio::dynamic_buffer(got), as_tuple(use_awaitable));
    co_return got;
}

}  // namespace rcbatch::test
