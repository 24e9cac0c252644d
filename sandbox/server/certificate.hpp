#pragma once
// The sandbox's TLS identity: a private CA made at start-up and a server certificate it
// signs, so clients verify the sandbox like any real host (no "verification off").

#include "sandbox/server/tls_mode.hpp"

#include <string>

namespace rcbatch::sandbox {

struct Pki {
    std::string ca_pem;           // the CA certificate a client trusts
    std::string server_cert_pem;  // the server certificate, signed by the CA
    std::string server_key_pem;   // the server's private key (PKCS#8)
};

// A fresh private CA and a server certificate for "localhost" and IP 127.0.0.1 (SAN
// entries), signed by that CA, made with the OpenSSL 3 API (EC P-256 keys), valid from a day
// ago for a year. `mode` breaks it on purpose: wrong_host names only "wrong-host.invalid";
// expired ended a day ago; not_yet_valid starts in 30 days; unknown_ca is signed by a second
// CA whose certificate is not in `ca_pem`. Throws std::runtime_error naming the failed step.
Pki make_pki(TlsMode mode = TlsMode::normal);

}  // namespace rcbatch::sandbox
