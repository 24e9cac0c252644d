#pragma once
// Where an HTTPS session connects and how: the API endpoint, the HTTP proxy on the way (when
// one is set), and the session's timeouts and limits. Plain types: no Asio, no OpenSSL.

#include "engine/defaults.hpp"

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>

namespace rcbatch::engine {

// An HTTP proxy the session tunnels through with CONNECT (see engine/net/proxy.hpp for how one
// is chosen). TLS runs end to end with the API host through the tunnel.
struct ProxySettings {
    std::string host;           // a name or an address; an IPv6 address without brackets
    std::uint16_t port = 1080;  // curl's default proxy port
    std::string user;           // percent-decoded; empty user and password: no authentication
    std::string password;       // a secret: sent only in Proxy-Authorization, never printed
    std::string source;  // where it was set, for messages: "the profile's proxy", "HTTPS_PROXY"

    bool has_credentials() const noexcept { return !user.empty() || !password.empty(); }
    // "http://host:port", or "http://user:***@host:port": how a proxy is named in any text.
    std::string display() const;
    // "host:port" as it goes on the wire ("[::1]:3128" for an IPv6 address).
    std::string authority() const;
};

struct Endpoint {
    Endpoint() = default;
    Endpoint(std::string host_, std::uint16_t port_, std::string server_name_ = {},
             std::optional<ProxySettings> proxy_ = {})
        : host(std::move(host_)),
          port(port_),
          server_name(std::move(server_name_)),
          proxy(std::move(proxy_)) {}

    std::string host;  // where to connect: a host name or an address
    std::uint16_t port = 443;
    std::string server_name;             // SNI, certificate name check and Host header; empty: host
    std::optional<ProxySettings> proxy;  // tunnel through this HTTP proxy; nullopt: direct

    const std::string& name() const noexcept { return server_name.empty() ? host : server_name; }
};

struct SessionSettings {
    std::chrono::milliseconds attempt_timeout = defaults::attempt_timeout;
    std::chrono::milliseconds shutdown_timeout{2'000};  // graceful TLS close at the end
    // A new connection with no TLS session to resume waits this long (within the attempt
    // timeout) for another connection to the same endpoint that is already handshaking, so
    // that it can resume that one's session instead of doing a full handshake of its own.
    std::chrono::milliseconds resume_wait{2'000};
    std::size_t body_limit = 8 * 1024 * 1024;  // a longer reply is `truncated`
    std::string user_agent;                    // empty: "rcbatch/<version>"
};

}  // namespace rcbatch::engine
