#include "engine/net/tls_stream.hpp"

#include "engine/net/tuple_awaitable.hpp"

#include <boost/asio/error.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/beast/core/error.hpp>

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509_vfy.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <stdexcept>
#include <sys/socket.h>

namespace rcbatch::engine {

namespace asio = boost::asio;
using boost::system::error_code;

// What the BIO needs of its stream: the socket, and where to leave the errno of a send or recv
// that failed (OpenSSL itself keeps only "a system call failed").
struct TlsStream::Io {
    boost::beast::tcp_stream* tcp = nullptr;
    int failed_errno = 0;
};

// The deadline timer's verdict on the wait it guards, shared with the timer's handler, which
// can run after a later wait has started (the generation tells) or after the stream is gone.
struct TlsStream::Watch {
    asio::ip::tcp::socket* socket = nullptr;  // null once the stream is gone
    std::uint64_t generation = 0;             // of the wait being guarded
    std::uint64_t expired = 0;                // the generation whose deadline passed
};

namespace {

int tls_socket_write(BIO* bio, const char* data, int size) {
    auto* io = static_cast<TlsStream::Io*>(BIO_get_data(bio));
    BIO_clear_retry_flags(bio);
    const auto n = ::send(io->tcp->socket().native_handle(), data, static_cast<std::size_t>(size),
                          MSG_NOSIGNAL);
    if (n >= 0) return static_cast<int>(n);
    if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)
        BIO_set_retry_write(bio);
    else
        io->failed_errno = errno;
    return -1;
}

int tls_socket_read(BIO* bio, char* data, int size) {
    auto* io = static_cast<TlsStream::Io*>(BIO_get_data(bio));
    BIO_clear_retry_flags(bio);
    const auto n =
        ::recv(io->tcp->socket().native_handle(), data, static_cast<std::size_t>(size), 0);
    if (n >= 0) return static_cast<int>(n);  // 0: the peer closed its side
    if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)
        BIO_set_retry_read(bio);
    else
        io->failed_errno = errno;
    return -1;
}

long tls_socket_ctrl(BIO*, int command, long, void*) {
    return command == BIO_CTRL_FLUSH || command == BIO_CTRL_DUP ? 1 : 0;
}

int tls_socket_create(BIO* bio) {
    BIO_set_init(bio, 1);
    return 1;
}

// Made once, never freed: every connection's BIO refers to it.
BIO_METHOD* tls_socket_method() {
    static BIO_METHOD* method = [] {
        BIO_METHOD* m = BIO_meth_new(BIO_get_new_index() | BIO_TYPE_SOURCE_SINK, "rcbatch socket");
        if (m == nullptr || BIO_meth_set_write(m, tls_socket_write) != 1 ||
            BIO_meth_set_read(m, tls_socket_read) != 1 ||
            BIO_meth_set_ctrl(m, tls_socket_ctrl) != 1 ||
            BIO_meth_set_create(m, tls_socket_create) != 1)
            throw std::runtime_error("cannot set up OpenSSL's socket I/O");
        return m;
    }();
    return method;
}

int tls_verify(int preverified, X509_STORE_CTX* store) {
    auto* ssl =
        static_cast<SSL*>(X509_STORE_CTX_get_ex_data(store, SSL_get_ex_data_X509_STORE_CTX_idx()));
    auto* hook =
        ssl != nullptr ? static_cast<TlsStream::VerifyHook*>(SSL_get_app_data(ssl)) : nullptr;
    if (hook == nullptr || !*hook) return preverified;
    return (*hook)(preverified != 0, store) ? 1 : 0;
}

}  // namespace

TlsStream::TlsStream(asio::any_io_executor executor, SSL_CTX* context)
    : tcp_(executor),
      timer_(executor),
      watch_(std::make_shared<Watch>()),
      io_(std::make_unique<Io>()) {
    io_->tcp = &tcp_;
    watch_->socket = &tcp_.socket();
    ssl_ = SSL_new(context);
    BIO* bio = ssl_ != nullptr ? BIO_new(tls_socket_method()) : nullptr;
    if (bio == nullptr) {
        SSL_free(ssl_);
        throw std::runtime_error("cannot make a TLS connection: OpenSSL is out of memory");
    }
    BIO_set_data(bio, io_.get());
    SSL_set_bio(ssl_, bio, bio);  // the connection owns it
    SSL_set_connect_state(ssl_);
    // Partial writes: write() goes on from where a full socket left it. Released buffers:
    // OpenSSL frees its ~17 KiB read and write buffers whenever they empty, i.e. while the
    // connection waits for a reply or sits idle, at the price of a malloc and free each.
    SSL_set_mode(ssl_, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER |
                           SSL_MODE_RELEASE_BUFFERS);
    // One recv takes a whole reply (its records) instead of a header and a body a record.
    SSL_set_read_ahead(ssl_, 1);
}

TlsStream::~TlsStream() {
    watch_->socket = nullptr;
    SSL_free(ssl_);
}

void TlsStream::set_verify_hook(VerifyHook hook) {
    verify_ = std::move(hook);
    SSL_set_app_data(ssl_, &verify_);
    SSL_set_verify(ssl_, SSL_get_verify_mode(ssl_), tls_verify);
}

bool TlsStream::has_pending() const noexcept { return SSL_has_pending(ssl_) == 1; }

// Waits until the socket is ready for `what`, or the deadline passes (a timer cancels the
// wait), or the caller cancels.
asio::awaitable<error_code> TlsStream::wait(asio::socket_base::wait_type what,
                                            Clock::time_point deadline) {
    if (Clock::now() >= deadline) co_return boost::beast::error::timeout;
    const std::uint64_t generation = ++watch_->generation;
    // However this frame ends, the timer stops guarding it.
    struct Disarm {
        Watch& watch;
        asio::steady_timer& timer;
        ~Disarm() {
            ++watch.generation;  // a verdict already on its way is void
            timer.cancel();
        }
    } disarm{*watch_, timer_};
    timer_.expires_at(deadline);
    timer_.async_wait([watch = watch_, generation](const error_code& ec) {
        if (ec || watch->generation != generation || watch->socket == nullptr) return;
        watch->expired = generation;
        error_code ignored;
        watch->socket->cancel(ignored);
    });
    auto [ec] = co_await tcp_.socket().async_wait(what, tuple_awaitable);
    if (watch_->expired == generation) co_return boost::beast::error::timeout;
    co_return ec;
}

template <class Call>
asio::awaitable<std::tuple<error_code, int>> TlsStream::drive(const Call& call,
                                                              Clock::time_point deadline) {
    for (;;) {
        ERR_clear_error();
        io_->failed_errno = 0;
        const int result = call();
        if (result > 0) co_return std::tuple{error_code{}, result};
        const int why = SSL_get_error(ssl_, result);
        if (why != SSL_ERROR_WANT_READ && why != SSL_ERROR_WANT_WRITE)
            co_return std::tuple{failure(why), result};
        const auto what = why == SSL_ERROR_WANT_READ ? asio::socket_base::wait_read
                                                     : asio::socket_base::wait_write;
        if (error_code ec = co_await wait(what, deadline)) co_return std::tuple{ec, result};
    }
}

// The error of an OpenSSL call that failed with `ssl_error`, named as Asio's ssl::stream
// names it.
error_code TlsStream::failure(int ssl_error) const {
    if (ssl_error == SSL_ERROR_ZERO_RETURN) return asio::error::eof;
    if (io_->failed_errno != 0) return {io_->failed_errno, boost::system::system_category()};
    const unsigned long first = ERR_get_error();
    if (first != 0) {
        if (ERR_GET_LIB(first) == ERR_LIB_SSL &&
            ERR_GET_REASON(first) == SSL_R_UNEXPECTED_EOF_WHILE_READING)
            return asio::ssl::error::stream_truncated;
        return {static_cast<int>(first), asio::error::get_ssl_category()};
    }
    // A system call "failed" with nothing to say: the peer closed without close_notify.
    if (ssl_error == SSL_ERROR_SYSCALL) return asio::ssl::error::stream_truncated;
    return asio::ssl::error::unspecified_system_error;
}

asio::awaitable<error_code> TlsStream::handshake(Clock::time_point deadline) {
    error_code ec;
    tcp_.socket().non_blocking(true, ec);
    if (ec) co_return ec;
    auto [failed, result] = co_await drive([this] { return SSL_connect(ssl_); }, deadline);
    (void)result;
    co_return failed;
}

asio::awaitable<error_code> TlsStream::write(asio::const_buffer data, Clock::time_point deadline) {
    const char* next = static_cast<const char*>(data.data());
    std::size_t left = data.size();
    while (left != 0) {
        const int size = static_cast<int>(std::min<std::size_t>(left, INT_MAX));
        auto [ec, written] =
            co_await drive([this, next, size] { return SSL_write(ssl_, next, size); }, deadline);
        if (ec) co_return ec;
        next += written;
        left -= static_cast<std::size_t>(written);
    }
    co_return error_code{};
}

asio::awaitable<std::tuple<error_code, std::size_t>> TlsStream::read_some(
    asio::mutable_buffer into, Clock::time_point deadline) {
    if (into.size() == 0) co_return std::tuple{error_code{}, std::size_t{0}};
    const int size = static_cast<int>(std::min<std::size_t>(into.size(), INT_MAX));
    void* at = into.data();
    auto [ec, got] =
        co_await drive([this, at, size] { return SSL_read(ssl_, at, size); }, deadline);
    co_return std::tuple{ec, ec ? std::size_t{0} : static_cast<std::size_t>(got)};
}

asio::awaitable<error_code> TlsStream::shutdown(Clock::time_point deadline) {
    // The first call sends close_notify (0: sent); the next ones read until the peer's comes.
    auto [ec, result] = co_await drive(
        [this] {
            const int sent = SSL_shutdown(ssl_);
            return sent == 0 ? SSL_shutdown(ssl_) : sent;
        },
        deadline);
    (void)result;
    co_return ec;
}

}  // namespace rcbatch::engine
