#pragma once
// A real HTTP proxy for the proxy tests: Debian's tinyproxy (scripts/setup installs it) as a
// child process on a free 127.0.0.1 port, with its own config file, its log read back to
// count the CONNECT requests it received. The destructor stops it in every path.

#include "tests/support/child_process.hpp"

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace rcbatch::test {

struct TinyProxyConfig {
    std::vector<std::uint16_t> connect_ports;  // the ports CONNECT may reach (others: 403)
    std::string user, password;                // BasicAuth when user is set (else 407 never)
};

class TinyProxy {
  public:
    static constexpr const char* program = "/usr/bin/tinyproxy";

    // Writes DIR/tinyproxy.conf, starts `tinyproxy -d -c` on it and waits (bounded) until it
    // accepts connections. Throws std::runtime_error when it is missing or does not start.
    TinyProxy(const std::filesystem::path& dir, TinyProxyConfig config);
    ~TinyProxy();
    TinyProxy(const TinyProxy&) = delete;
    TinyProxy& operator=(const TinyProxy&) = delete;

    std::uint16_t port() const noexcept { return port_; }
    // http://[user:password@]127.0.0.1:PORT, with `user` and `password` as given here.
    std::string url(const std::string& user = {}, const std::string& password = {}) const;
    std::string log() const;
    // CONNECT requests in its log ("Request (file descriptor N): CONNECT host:port ...").
    std::size_t connects() const;

  private:
    // One start on a newly picked port: whether tinyproxy listens on it.
    bool start(const std::filesystem::path& dir, const TinyProxyConfig& config);

    std::filesystem::path log_;
    std::uint16_t port_ = 0;
    std::unique_ptr<ChildProcess> child_;
};

// A TCP port on 127.0.0.1 that nothing listens on (it was free a moment ago).
std::uint16_t free_loopback_port();

}  // namespace rcbatch::test
