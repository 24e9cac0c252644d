// HttpsSession's connection set-up: TCP (to the API host, or to the proxy and a CONNECT
// tunnel through it), then TLS with SNI and host-name verification against the API host,
// resuming a session from the context's cache when there is one.
#include "engine/net/https_session_impl.hpp"
#include "engine/net/proxy.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509_vfy.h>

#include <algorithm>

namespace rcbatch::engine {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = boost::beast::http;
namespace ssl = boost::asio::ssl;
using boost::system::error_code;
using namespace asio::experimental::awaitable_operators;

namespace {

bool is_ip_address(const std::string& name) {
    error_code ec;
    asio::ip::make_address(name, ec);
    return !ec;
}

// A proxy's reason phrase is untrusted text: printable ASCII only, and short.
std::string printable(std::string_view text) {
    std::string out;
    for (char c : text.substr(0, 80)) out += (c >= 0x20 && c < 0x7f) ? c : '?';
    return out;
}

std::string with_port(const std::string& host, std::uint16_t port) {
    return (host.find(':') != std::string::npos ? "[" + host + "]" : host) + ":" +
           std::to_string(port);
}

// The status of a reply header Beast refused ("HTTP/1.1 407 Proxy\x01Auth..." is a "bad
// value"), from its first line; 0 when it has none.
unsigned raw_status(const beast::flat_buffer& head) {
    const std::string_view text(static_cast<const char*>(head.data().data()), head.size());
    if (text.size() < 12 || !text.starts_with("HTTP/1.") || text[8] != ' ') return 0;
    unsigned status = 0;
    for (char c : text.substr(9, 3)) {
        if (c < '0' || c > '9') return 0;
        status = status * 10 + static_cast<unsigned>(c - '0');
    }
    return status;
}

}  // namespace

void HttpsSession::Impl::fail_proxy(HttpExchange& x, const std::string& what) const {
    const ProxySettings& p = *endpoint.proxy;
    x.stops_run = true;
    x.error = "proxy " + p.display() + (p.source.empty() ? "" : " (" + p.source + ")") + " " + what;
}

// Waits, when another connection to this endpoint is handshaking with nothing to resume, for
// its session (or its end), at most resume_wait. False when it failed in a way that stops
// the run (then `x` says so, and no connection is opened) or when the caller cancelled.
asio::awaitable<bool> HttpsSession::Impl::wait_for_first_handshake(Clock::time_point deadline,
                                                                   HttpExchange& x) {
    if (cache == nullptr || cache->has_session(cache_key)) co_return true;
    if (!cache->priming(cache_key)) {
        priming = cache->start_priming(cache_key);
        co_return true;
    }
    asio::steady_timer timer(executor, std::min(deadline, Clock::now() + settings.resume_wait));
    bool woken = false;
    std::string fatal;
    TlsSessionCache::Waiter waiter{[&](const std::string& f) {
        woken = true;
        fatal = f;
        timer.cancel();
    }};
    // Unregistered however this frame ends (destroyed unresumed when its io_context goes).
    struct Registration {
        TlsSessionCache& cache;
        const std::string& key;
        TlsSessionCache::Waiter* waiter;
        ~Registration() { cache.remove_waiter(key, waiter); }
    } registration{*cache, cache_key, &waiter};
    cache->add_waiter(cache_key, &waiter);
    auto [ec] = co_await timer.async_wait(tuple_awaitable);
    if (!woken && ec) {
        x.error = "cancelled before connecting";
        co_return false;
    }
    if (fatal.empty()) co_return true;
    x.error = fatal;
    x.stops_run = true;
    co_return false;
}

// Takes a slot of the context's HandshakeGate into `slot`, waiting for one (in turn) at most
// until the deadline. False when the deadline passed or the caller cancelled (`x` says which).
asio::awaitable<bool> HttpsSession::Impl::enter_gate(Clock::time_point deadline, HttpExchange& x,
                                                     GateSlot& slot) {
    if (gate == nullptr) co_return true;
    if (gate->try_enter()) {
        slot.gate = gate;
        co_return true;
    }
    asio::steady_timer timer(executor, deadline);
    HandshakeGate::Waiter waiter{[&] {
        slot.gate = gate;  // the slot is ours from now on, however this frame ends
        timer.cancel();
    }};
    struct Registration {
        HandshakeGate& gate;
        HandshakeGate::Waiter* waiter;
        const GateSlot& slot;
        ~Registration() {
            if (slot.gate == nullptr) gate.remove_waiter(waiter);
        }
    } registration{*gate, &waiter, slot};
    gate->add_waiter(&waiter);
    auto [ec] = co_await timer.async_wait(tuple_awaitable);
    if (slot.gate != nullptr) co_return true;
    x.error = ec ? std::string("cancelled before connecting")
                 : "connect: " + timeout_text() + " waiting for other connections to be set up";
    co_return false;
}

asio::awaitable<error_code> HttpsSession::Impl::open_tcp(Clock::time_point deadline,
                                                         HttpExchange& x) {
    const bool via_proxy = endpoint.proxy.has_value();
    const std::string& host = via_proxy ? endpoint.proxy->host : endpoint.host;
    const std::uint16_t port = via_proxy ? endpoint.proxy->port : endpoint.port;
    if (!resolved) {
        asio::ip::tcp::resolver resolver(executor);
        asio::steady_timer timer(executor, deadline);
        auto raced =
            co_await (resolver.async_resolve(host, std::to_string(port), tuple_awaitable) ||
                      timer.async_wait(tuple_awaitable));
        error_code ec = beast::error::timeout;
        if (raced.index() == 0) ec = std::get<0>(std::get<0>(raced));
        if (ec) {
            const std::string why = ec == beast::error::timeout ? timeout_text() : ec.message();
            if (via_proxy)
                fail_proxy(x, "cannot be resolved: " + why + "; check the proxy's host name");
            else
                x.error = "resolve " + host + ": " + why;
            co_return ec;
        }
        resolved = std::move(std::get<1>(std::get<0>(raced)));
    }
    stream = std::make_unique<Stream>(executor, tls.native_handle());
    auto& tcp = stream->tcp();
    tcp.expires_at(deadline);
    auto [ec, connected_to] = co_await tcp.async_connect(*resolved, tuple_awaitable);
    (void)connected_to;
    if (ec) {
        const std::string why = ec == beast::error::timeout ? timeout_text() : ec.message();
        if (via_proxy)
            fail_proxy(x,
                       "cannot be reached: " + why + "; check that the proxy runs and its address");
        else
            x.error = "connect " + with_port(host, port) + ": " + why;
        resolved.reset();  // resolve afresh next time: the address may have moved
        co_return ec;
    }
    ++opened;
    // Each request and reply is one write: Nagle has nothing to merge, only delays to add.
    error_code nodelay_ec;
    tcp.socket().set_option(asio::ip::tcp::no_delay(true), nodelay_ec);
    co_return error_code{};
}

// CONNECT api-host:port through the proxy; its reply is read within the attempt's deadline.
asio::awaitable<error_code> HttpsSession::Impl::open_tunnel(Clock::time_point deadline,
                                                            HttpExchange& x) {
    const std::string target = with_port(endpoint.host, endpoint.port);
    std::string request = "CONNECT " + target + " HTTP/1.1\r\nHost: " + target +
                          "\r\nUser-Agent: " + settings.user_agent + "\r\n";
    if (auto auth = proxy_authorization(*endpoint.proxy); !auth.empty())
        request += "Proxy-Authorization: " + auth + "\r\n";
    request += "Proxy-Connection: Keep-Alive\r\n\r\n";
    auto& tcp = stream->tcp();
    tcp.expires_at(deadline);
    auto [write_ec, written] =
        co_await asio::async_write(tcp, asio::buffer(request), tuple_awaitable);
    (void)written;
    http::response_parser<http::empty_body> parser;
    parser.skip(true);  // a reply to CONNECT has no body: the tunnel starts after the header
    beast::flat_buffer head;
    error_code ec = write_ec;
    if (!ec)
        std::tie(ec, std::ignore) =
            co_await http::async_read_header(tcp, head, parser, tuple_awaitable);
    // A refusal whose header Beast could not read is still a refusal: its status says why.
    const unsigned unreadable = ec && ec != beast::error::timeout ? raw_status(head) : 0;
    if (ec && unreadable / 100 == 2) {
        fail_proxy(x, "answered CONNECT " + target + " with a malformed reply (" + ec.message() +
                          "): not a usable tunnel");
        co_return ec;
    }
    if (ec && unreadable == 0) {
        const std::string why = ec == beast::error::timeout ? timeout_text() : ec.message();
        fail_proxy(x, "did not answer CONNECT " + target + ": " + why);
        co_return ec;
    }
    const unsigned status = ec ? unreadable : parser.get().result_int();
    if (status / 100 != 2) {
        const std::string reason =
            ec ? "(a malformed reply: " + ec.message() + ")" : printable(parser.get().reason());
        fail_proxy(x, "refused CONNECT " + target + ": " + std::to_string(status) + " " + reason +
                          "; check the proxy's address" +
                          (status == 407 || status == 401 ? " and credentials" : "") +
                          " and that it allows port " + std::to_string(endpoint.port));
        co_return asio::error::connection_refused;
    }
    if (head.size() != 0) {
        fail_proxy(x, "sent bytes after its CONNECT reply: not a usable tunnel");
        co_return asio::error::invalid_argument;
    }
    co_return error_code{};
}

// SNI, peer verification against the API host's name, and a cached session to resume.
void HttpsSession::Impl::prepare_tls(SSL* native) {
    const std::string& name = endpoint.name();
    if (is_ip_address(name))
        X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(native), name.c_str());
    else {
        SSL_set_tlsext_host_name(native, name.c_str());
        SSL_set1_host(native, name.c_str());
    }
    rejected = TlsFailureFacts{};
    SSL_set_verify(native, SSL_VERIFY_PEER, nullptr);
    stream->set_verify_hook([this](bool preverified, X509_STORE_CTX* store) {
        if (!preverified && rejected.verify_error == X509_V_OK) {
            rejected.verify_error = X509_STORE_CTX_get_error(store);
            rejected.verify_depth = X509_STORE_CTX_get_error_depth(store);
            rejected.verify_text = X509_verify_cert_error_string(rejected.verify_error);
            add_certificate_facts(X509_STORE_CTX_get_current_cert(store), rejected);
        }
        return preverified;
    });
    if (cache != nullptr) {
        TlsSessionCache::attach(native, &cache_key);
        cache->offer(cache_key, native);
    }
}

asio::awaitable<error_code> HttpsSession::Impl::handshake(Clock::time_point deadline,
                                                          HttpExchange& x) {
    SSL* native = stream->native_handle();
    prepare_tls(native);
    const error_code ec = co_await stream->handshake(deadline);
    if (!ec) {
        if (SSL_session_reused(native) == 1) ++resumed;
        co_return ec;
    }
    if (ec == beast::error::timeout) {
        x.error = "TLS handshake with " + with_port(endpoint.name(), endpoint.port) + ": " +
                  timeout_text();
        co_return ec;
    }
    TlsFailureFacts facts = rejected;
    facts.host = endpoint.name();
    facts.port = endpoint.port;
    facts.error_text = ec.message();
    if (ec.category() == asio::error::get_ssl_category() &&
        ERR_GET_LIB(static_cast<unsigned long>(ec.value())) == ERR_LIB_SSL)
        facts.ssl_reason = ERR_GET_REASON(static_cast<unsigned long>(ec.value()));
    if (facts.verify_error == X509_V_OK) facts.verify_error = SSL_get_verify_result(native);
    if (facts.verify_error != X509_V_OK && facts.verify_text.empty())
        facts.verify_text = X509_verify_cert_error_string(facts.verify_error);
    const TlsDiagnosis diagnosis = diagnose_tls_failure(facts);
    x.error = diagnosis.message;
    x.stops_run = diagnosis.stops_run;
    co_return ec;
}

asio::awaitable<error_code> HttpsSession::Impl::connect(Clock::time_point deadline,
                                                        HttpExchange& x) {
    drop();
    if (!co_await wait_for_first_handshake(deadline, x)) co_return asio::error::operation_aborted;
    GateSlot slot;  // held until the handshake ends, whichever way
    if (!co_await enter_gate(deadline, x, slot)) co_return asio::error::operation_aborted;
    error_code ec = co_await open_tcp(deadline, x);
    if (!ec && endpoint.proxy) ec = co_await open_tunnel(deadline, x);
    if (!ec) ec = co_await handshake(deadline, x);
    // A failure ends this connection's priming at once; a success ends it with the first
    // whole reply (read_reply), when a TLS 1.3 ticket has arrived.
    if (ec) end_priming(x.stops_run ? x.error : std::string());
    co_return ec;
}

}  // namespace rcbatch::engine
