#pragma once
// Internal to the sandbox server: its TLS context for a TLS mode, and the plain-HTTP
// "server" of TLS mode plain-http.

#include "sandbox/server/certificate.hpp"
#include "sandbox/server/tls_mode.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ssl/context.hpp>

#include <cstdint>
#include <memory>

namespace rcbatch::sandbox::detail {

struct Core;
struct Connection;

// The server context: `pki`'s certificate, TLS 1.2 minimum, a session id context (so clients
// resume); for TlsMode::tls1_0 TLS 1.0-1.1 only, at OpenSSL security level 0 (which Debian's
// default level would refuse). Throws std::runtime_error when OpenSSL refuses a setting.
boost::asio::ssl::context make_server_tls(const Pki& pki, TlsMode mode);

// TlsMode::plain_http: reads what the client sends (a TLS ClientHello, usually), answers a
// plain HTTP/1.1 400 and closes; never throws. Counts no request.
boost::asio::awaitable<void> serve_plain_http(std::shared_ptr<Core> core,
                                              std::shared_ptr<Connection> conn, std::uint64_t id);

}  // namespace rcbatch::sandbox::detail
