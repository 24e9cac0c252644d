#pragma once
// A small HTTPS client for the sandbox tests: Beast over OpenSSL with peer verification,
// host-name check and SNI, one keep-alive connection, a deadline on every step. It also
// sends raw bytes (garbage instead of HTTP or TLS) for the malformed-input tests.

#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/verb.hpp>
#include <boost/json/value.hpp>
#include <boost/system/error_code.hpp>

#include <openssl/ssl.h>

#include <chrono>
#include <exception>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace rcbatch::test {

using QueryParams = std::vector<std::pair<std::string, std::string>>;

// "path?k=v&..." with keys and values percent-encoded.
std::string make_target(const std::string& path, const QueryParams& params);
// "k=v&..." percent-encoded, for a form body.
std::string make_form(const QueryParams& params);

struct ClientReply {
    boost::system::error_code ec;  // the transport's error; status/body may still be partial
    bool header_read = false;
    int status = 0;
    std::string body;
    std::string content_type;
    std::string retry_after;
    bool keep_alive = false;  // the server kept the connection open
    bool ok() const { return !ec && header_read; }
    boost::json::value json() const;  // parses body; throws on bad JSON
};

class SandboxClient {
  public:
    // Trusts `ca_pem` only (none when empty), verifies the peer and `host`.
    SandboxClient(boost::asio::io_context& ioc, std::uint16_t port, const std::string& ca_pem,
                  std::string host = "localhost");
    ~SandboxClient();
    SandboxClient(const SandboxClient&) = delete;
    SandboxClient& operator=(const SandboxClient&) = delete;

    // When on, close() keeps the connection's TLS session and the next connect() offers it
    // for resumption.
    void reuse_sessions(bool on) { reuse_sessions_ = on; }

    // Connects and completes the TLS handshake; the error when either failed.
    boost::asio::awaitable<boost::system::error_code> connect(std::chrono::milliseconds timeout);
    // One request over the kept connection (connecting first when there is none).
    boost::asio::awaitable<ClientReply> request(
        boost::beast::http::verb method, std::string target, std::string body = {},
        std::chrono::milliseconds timeout = std::chrono::seconds(5));
    // Writes `bytes` over the TLS connection (connecting first) and reads until the server
    // closes or the timeout passes; what came back.
    boost::asio::awaitable<std::string> raw_tls(std::string bytes,
                                                std::chrono::milliseconds timeout);
    void close();
    bool connected() const { return stream_ != nullptr; }
    int connects() const { return connects_; }

  private:
    boost::asio::io_context& ioc_;
    std::uint16_t port_;
    std::string host_;
    boost::asio::ssl::context tls_;
    std::unique_ptr<boost::asio::ssl::stream<boost::beast::tcp_stream>> stream_;
    int connects_ = 0;
    bool reuse_sessions_ = false;
    SSL_SESSION* session_ = nullptr;  // owned; kept by close() when reuse_sessions_
};

// Plain TCP: writes `bytes`, reads until close or timeout, returns what came back.
boost::asio::awaitable<std::string> raw_tcp(std::uint16_t port, std::string bytes,
                                            std::chrono::milliseconds timeout);

// Runs `aw` on `ioc` (which also runs the sandbox) until it completes or `deadline` passes;
// returns its value; throws std::runtime_error when the deadline passed.
template <class T>
T run_until_done(boost::asio::io_context& ioc, boost::asio::awaitable<T> aw,
                 std::chrono::milliseconds deadline = std::chrono::seconds(30)) {
    struct Slot {
        std::optional<T> value;
        std::exception_ptr error;
        bool done = false;
    };
    auto slot = std::make_shared<Slot>();
    boost::asio::co_spawn(ioc, std::move(aw), [slot, &ioc](std::exception_ptr e, T v) {
        slot->error = e;
        if (!e) slot->value.emplace(std::move(v));
        slot->done = true;
        ioc.stop();
    });
    ioc.restart();
    ioc.run_for(deadline);
    if (!slot->done) throw std::runtime_error("test deadline passed");
    if (slot->error) std::rethrow_exception(slot->error);
    return std::move(*slot->value);
}

}  // namespace rcbatch::test
