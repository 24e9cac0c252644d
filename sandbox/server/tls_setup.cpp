#include "sandbox/server/tls_setup.hpp"

#include "sandbox/server/server_core.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/buffer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include <openssl/ssl.h>

#include <array>
#include <stdexcept>
#include <string>

namespace rcbatch::sandbox {

namespace {
struct Named {
    TlsMode mode;
    std::string_view name;
};
constexpr std::array<Named, 7> modes{{
    {TlsMode::normal, "normal"},
    {TlsMode::wrong_host, "wrong-host"},
    {TlsMode::expired, "expired"},
    {TlsMode::not_yet_valid, "not-yet-valid"},
    {TlsMode::unknown_ca, "unknown-ca"},
    {TlsMode::tls1_0, "tls1.0"},
    {TlsMode::plain_http, "plain-http"},
}};
}  // namespace

std::string_view to_string(TlsMode mode) noexcept {
    for (const auto& m : modes)
        if (m.mode == mode) return m.name;
    return "normal";
}

std::optional<TlsMode> parse_tls_mode(std::string_view text) noexcept {
    for (const auto& m : modes)
        if (m.name == text) return m.mode;
    return std::nullopt;
}

std::string_view tls_mode_names() noexcept {
    return "normal, wrong-host, expired, not-yet-valid, unknown-ca, tls1.0, plain-http";
}

namespace detail {

namespace asio = boost::asio;

asio::ssl::context make_server_tls(const Pki& pki, TlsMode mode) {
    asio::ssl::context tls(asio::ssl::context::tls_server);
    tls.set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_sslv2 |
                    asio::ssl::context::no_sslv3 | asio::ssl::context::single_dh_use);
    SSL_CTX* native = tls.native_handle();
    if (mode == TlsMode::tls1_0) {
        // Debian's OpenSSL refuses TLS < 1.2 below security level 0.
        if (SSL_CTX_set_min_proto_version(native, TLS1_VERSION) != 1 ||
            SSL_CTX_set_max_proto_version(native, TLS1_1_VERSION) != 1 ||
            SSL_CTX_set_cipher_list(native, "DEFAULT:@SECLEVEL=0") != 1)
            throw std::runtime_error("sandbox: cannot set up TLS 1.0/1.1 only");
    } else if (SSL_CTX_set_min_proto_version(native, TLS1_2_VERSION) != 1) {
        throw std::runtime_error("sandbox: cannot require TLS 1.2");
    }
    static const unsigned char session_context[] = "rcbatch-sandbox";
    SSL_CTX_set_session_id_context(native, session_context, sizeof session_context - 1);
    tls.use_certificate_chain(asio::buffer(pki.server_cert_pem));
    tls.use_private_key(asio::buffer(pki.server_key_pem), asio::ssl::context::pem);
    return tls;
}

asio::awaitable<void> serve_plain_http(std::shared_ptr<Core> core, std::shared_ptr<Connection> conn,
                                       std::uint64_t id) {
    static const std::string body = "This port speaks plain HTTP, not TLS.\n";
    static const std::string reply =
        "HTTP/1.1 400 Bad Request\r\nServer: rcbatch-sandbox\r\n"
        "Content-Type: text/plain\r\nContent-Length: " +
        std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n" + body;
    auto& tcp = boost::beast::get_lowest_layer(conn->stream);
    try {
        std::array<char, 4096> bytes{};
        tcp.expires_after(core->service.options().handshake_timeout);
        auto [read_ec, n] =
            co_await tcp.async_read_some(asio::buffer(bytes), asio::as_tuple(asio::use_awaitable));
        if (!read_ec && n > 0 && !core->stopping) {
            tcp.expires_after(core->service.options().write_timeout);
            co_await asio::async_write(tcp, asio::buffer(reply),
                                       asio::as_tuple(asio::use_awaitable));
        }
    } catch (const std::exception&) {
        // closed below like any other
    }
    boost::system::error_code ignored;
    tcp.socket().shutdown(asio::ip::tcp::socket::shutdown_send, ignored);
    tcp.socket().close(ignored);
    core->connections.erase(id);
    core->service.stats().active_connections = core->connections.size();
}

}  // namespace detail

}  // namespace rcbatch::sandbox
