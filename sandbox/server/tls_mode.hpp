#pragma once
// How the sandbox's TLS can be broken on purpose, so that the client's handling of each TLS
// failure can be tested end to end (`rcbatch sandbox --tls-mode MODE`, Options::tls_mode).

#include <optional>
#include <string_view>

namespace rcbatch::sandbox {

enum class TlsMode {
    normal,         // a valid certificate for localhost and 127.0.0.1, from the published CA
    wrong_host,     // a valid certificate, but for another name (wrong-host.invalid)
    expired,        // a certificate whose validity ended yesterday
    not_yet_valid,  // a certificate valid only from 30 days on
    unknown_ca,     // a certificate from a CA other than the published one
    tls1_0,         // the server speaks only TLS 1.0 and 1.1 (below the client's minimum)
    plain_http,     // no TLS at all: whatever arrives gets a plain HTTP/1.1 400 reply
};

// "normal", "wrong-host", "expired", "not-yet-valid", "unknown-ca", "tls1.0", "plain-http".
std::string_view to_string(TlsMode mode) noexcept;
// The inverse of to_string; nullopt for any other text.
std::optional<TlsMode> parse_tls_mode(std::string_view text) noexcept;
// Every mode's name, separated by ", " (for help and errors).
std::string_view tls_mode_names() noexcept;

}  // namespace rcbatch::sandbox
