#pragma once
// The HTTP(S) server core of `rcbatch serve`: accepts on one address, reads each request under
// a deadline and within size limits, answers what the server itself decides
// (request_rules.hpp: bad requests, the token, the login page) and passes the rest to a page
// handler. Every response carries the security headers (response_headers.hpp).

#include "serve/http/listen_address.hpp"
#include "serve/http/page.hpp"

#include <boost/asio/io_context.hpp>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>

namespace rcbatch::serve {

struct ServerLimits {
    std::size_t header_bytes = 8 * 1024;  // the request line and headers
    std::size_t target_bytes = 2 * 1024;
    std::size_t body_bytes = 4 * 1024;
    // Reading one request, its headers and body (and a TLS handshake).
    std::chrono::steady_clock::duration request_deadline = std::chrono::seconds(10);
    std::chrono::steady_clock::duration write_deadline = std::chrono::seconds(30);
    // A keep-alive connection's wait for its next request.
    std::chrono::steady_clock::duration idle_deadline = std::chrono::seconds(30);
    // The wait before accepting again after an accept failed (out of descriptors).
    std::chrono::steady_clock::duration accept_pause = std::chrono::milliseconds(100);
    std::size_t connections = 64;  // open at once; one more is answered 503 and closed
    std::size_t requests_per_connection = 1000;
};

struct TlsFiles {
    std::filesystem::path cert;  // PEM: the certificate, then its chain
    std::filesystem::path key;   // PEM: its private key
};

struct ServerSetup {
    ListenAddress listen;
    std::optional<std::string> token;  // when set, every page needs it (login_page.hpp)
    std::optional<TlsFiles> tls;       // HTTPS (TLS 1.2 or later) when set, plain HTTP otherwise
    ServerLimits limits;
};

namespace detail {
struct Core;
}

// Serves on the io_context it is given, which the caller runs on one thread; the handler is
// called on that thread.
class HttpServer {
  public:
    // Binds and listens at once. Throws std::runtime_error with one line: "cannot listen on
    // 127.0.0.1:80: Permission denied", or a certificate or key file that cannot be used,
    // naming the file.
    HttpServer(boost::asio::io_context& ioc, ServerSetup setup, PageHandler handler);
    ~HttpServer();
    HttpServer(const HttpServer&) = delete;
    HttpServer& operator=(const HttpServer&) = delete;

    // The bound port (the one the system picked for port 0).
    unsigned short port() const;
    // Stops accepting and closes every connection; the coroutines end as the io_context runs.
    // With a `grace` (SIGTERM from systemd, a first Ctrl-C): idle connections close at once,
    // a request being read or answered (a file download) is finished, its response saying
    // "Connection: close", and only what is left after `grace` is cut. Call again, with no
    // grace, to cut at once.
    void stop(std::chrono::milliseconds grace = std::chrono::milliseconds(0));
    // Requests the server answered 4xx itself (unreadable, too long, no token, ...).
    std::uint64_t refused() const;

  private:
    std::shared_ptr<detail::Core> core_;
};

}  // namespace rcbatch::serve
