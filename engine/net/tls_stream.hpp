#pragma once
// TLS over one TCP connection, with OpenSSL reading and writing the socket itself. Asio's
// ssl::stream puts a BIO pair and two record-sized copy buffers between OpenSSL and the socket
// (~68 KiB a connection, most of it touched); here there are none, and OpenSSL's own record
// buffers are released whenever they empty (SSL_MODE_RELEASE_BUFFERS), so an idle or waiting
// connection holds no record buffer at all. Each operation is one coroutine that waits on the
// socket when OpenSSL would block, within a deadline. Internal to engine/net.
//
// Errors are values, named as Asio's ssl::stream names them: the peer's close_notify is
// asio::error::eof, a close without it ssl::error::stream_truncated, an OpenSSL failure an
// error in Asio's SSL category, a socket failure its system error, the deadline passing
// beast::error::timeout. A caller's cancellation ends the operation with operation_aborted;
// the stream cannot be trusted after any error.

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/buffer.hpp>
#include <boost/asio/socket_base.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/system/error_code.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <tuple>

struct ssl_st;
struct ssl_ctx_st;
struct x509_store_ctx_st;

namespace rcbatch::engine {

class TlsStream {
  public:
    using Clock = std::chrono::steady_clock;
    using error_code = boost::system::error_code;
    // Sees each certificate OpenSSL has checked, with OpenSSL's verdict; returns the verdict
    // that stands (as SSL_set_verify's callback).
    using VerifyHook = std::function<bool(bool preverified, x509_store_ctx_st* store)>;

    // A client stream on `context` (peer verification as the context sets it). The TCP side
    // is connected by the caller, through tcp(). Throws std::runtime_error when OpenSSL
    // cannot make the connection's state (out of memory).
    TlsStream(boost::asio::any_io_executor executor, ssl_ctx_st* context);
    ~TlsStream();
    TlsStream(const TlsStream&) = delete;
    TlsStream& operator=(const TlsStream&) = delete;

    boost::beast::tcp_stream& tcp() noexcept { return tcp_; }
    ssl_st* native_handle() const noexcept { return ssl_; }
    // Replaces the context's certificate check for this connection (before handshake()).
    void set_verify_hook(VerifyHook hook);

    // The client's handshake.
    boost::asio::awaitable<error_code> handshake(Clock::time_point deadline);
    // Writes all of `data` (nothing is left half-sent unless an error comes back).
    boost::asio::awaitable<error_code> write(boost::asio::const_buffer data,
                                             Clock::time_point deadline);
    // Reads what is there, at least one byte, at most `into`'s size.
    boost::asio::awaitable<std::tuple<error_code, std::size_t>> read_some(
        boost::asio::mutable_buffer into, Clock::time_point deadline);
    // Sends close_notify and waits for the peer's.
    boost::asio::awaitable<error_code> shutdown(Clock::time_point deadline);

    // Bytes OpenSSL has taken from the socket and not handed out yet (decrypted or not).
    bool has_pending() const noexcept;

    // Internal to the BIO that moves OpenSSL's bytes (tls_stream.cpp).
    struct Io;

  private:
    struct Watch;
    boost::asio::awaitable<error_code> wait(boost::asio::socket_base::wait_type what,
                                            Clock::time_point deadline);
    // Repeats one OpenSSL call (`call()` returns its result) until it is done or fails,
    // waiting on the socket whenever it wants to read or write.
    template <class Call>
    boost::asio::awaitable<std::tuple<error_code, int>> drive(const Call& call,
                                                              Clock::time_point deadline);
    error_code failure(int ssl_error) const;

    boost::beast::tcp_stream tcp_;
    boost::asio::steady_timer timer_;
    std::shared_ptr<Watch> watch_;
    std::unique_ptr<Io> io_;
    ssl_st* ssl_ = nullptr;
    VerifyHook verify_;
};

}  // namespace rcbatch::engine
