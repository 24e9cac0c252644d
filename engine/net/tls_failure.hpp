#pragma once
// Why a TLS handshake failed, in words a user can act on, and whether any retry could help.
// A certificate that fails verification, a server that offers no TLS version or cipher we
// accept, or a port that does not speak TLS at all fails the same way for every order: the
// run stops at the first attempt instead of retrying order by order.

#include <cstdint>
#include <string>
#include <vector>

struct x509_st;  // OpenSSL's X509

namespace rcbatch::engine {

enum class TlsFailure {
    other,              // anything else (reset, eof mid-handshake): transient, may be retried
    unknown_ca,         // the chain ends at a CA this machine does not trust
    host_mismatch,      // the certificate is for other names
    expired,            // a certificate of the chain expired
    not_yet_valid,      // a certificate of the chain is not valid yet
    certificate_other,  // any other verification failure
    protocol_mismatch,  // no TLS version (>= 1.2) or cipher in common
    not_tls,            // the peer does not speak TLS (e.g. plain HTTP on the port)
};

// What is known of a failed handshake, gathered from OpenSSL (see gather in https_connect).
struct TlsFailureFacts {
    std::string host;  // the name the client asked for (SNI, name check)
    std::uint16_t port = 443;
    int ssl_reason = 0;       // ERR_GET_REASON of an SSL-library error; 0 for any other error
    std::string error_text;   // the error's own message
    long verify_error = 0;    // X509_V_OK (0) unless the certificate was rejected
    int verify_depth = 0;     // which certificate of the chain: 0 is the server's own
    std::string verify_text;  // X509_verify_cert_error_string
    std::vector<std::string> certificate_names;  // DNS and IP names (else the CN) it holds
    std::string not_before;  // of the rejected certificate, "2025-01-31 12:00:00 UTC"
    std::string not_after;
};

struct TlsDiagnosis {
    TlsFailure kind = TlsFailure::other;
    bool stops_run = false;  // no retry can help: the run must stop
    std::string message;     // one line: "TLS handshake with HOST[:PORT]: cause; fix"
};

// Names the failure and its fix. Pure: no I/O, no clock.
TlsDiagnosis diagnose_tls_failure(const TlsFailureFacts& facts);

// Adds `cert`'s names and validity dates to `facts` (nothing when `cert` is null). Reads the
// certificate only.
void add_certificate_facts(const x509_st* cert, TlsFailureFacts& facts);

}  // namespace rcbatch::engine
