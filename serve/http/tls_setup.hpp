#pragma once
// The TLS server context of `rcbatch serve --tls-cert --tls-key`.

#include "serve/http/http_server.hpp"

#include <boost/asio/ssl/context.hpp>

namespace rcbatch::serve {

// A TLS 1.2+ server context with the certificate chain and private key in `files` (PEM, each
// a regular file; the key must match the certificate). Throws std::runtime_error with one
// line naming the file at fault.
boost::asio::ssl::context make_tls_context(const TlsFiles& files);

}  // namespace rcbatch::serve
