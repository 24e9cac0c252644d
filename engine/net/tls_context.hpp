#pragma once
// The client TLS context: peer verification on, TLS 1.2 minimum, the system's trusted
// CAs, plus an optional extra CA, one TLS session cache (tls_session_cache.hpp) and one
// handshake gate (handshake_gate.hpp). Made once at start-up and shared by every session of
// a run.

#include <boost/asio/ssl/context.hpp>

#include <cstddef>
#include <string>

namespace rcbatch::engine {

struct TlsSettings {
    std::string ca_file;    // a PEM file of extra CAs to trust (a profile's ca-file); empty: none
    std::string ca_pem;     // PEM text of extra CAs (the sandbox's); empty: none
    bool system_ca = true;  // also trust the system's default verify paths
    // Connections being set up (TCP, tunnel, TLS handshake) at once among the sessions made
    // with the context (handshake_gate.hpp); the others wait their turn.
    std::size_t connecting_at_once = 8;
};

// A client context with verify_peer and TLS >= 1.2; the sessions made with it share its TLS
// session cache and must run on one thread (the io_context's). Throws std::runtime_error with a
// one-line message naming the file when `ca_file` is missing, unreadable or holds no
// valid certificate, or when `ca_pem` is not valid PEM (both are start-up failures).
boost::asio::ssl::context make_client_tls_context(const TlsSettings& settings);

}  // namespace rcbatch::engine
