#pragma once
// Everything the sandbox server can be told, with its defaults.

#include "sandbox/api/faults.hpp"
#include "sandbox/data/seed_data.hpp"
#include "sandbox/server/tls_mode.hpp"

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>

namespace rcbatch::sandbox {

struct Options {
    std::uint16_t port = 0;  // 0: a free port; the server binds 127.0.0.1 only
    std::uint64_t seed = 1;
    SeedSizes sizes;
    std::int64_t now = 0;  // Unix seconds the seed data is relative to; 0: the clock at start
    FaultSpec faults;      // includes latency and the denied auth-userid (deny-user)
    TlsMode tls_mode = TlsMode::normal;  // a TLS failure on purpose (tls_mode.hpp)

    std::size_t keepalive_requests = 100;  // then the reply says Connection: close
    std::size_t max_connections = 64;      // simultaneous; excess ones are closed at once
    std::size_t max_header_bytes = 8 * 1024;
    std::size_t max_body_bytes = 64 * 1024;
    std::chrono::milliseconds handshake_timeout{std::chrono::seconds(10)};
    std::chrono::milliseconds request_timeout{
        std::chrono::seconds(15)};  // idle + reading one request
    std::chrono::milliseconds write_timeout{std::chrono::seconds(15)};

    // --state FILE: the data is loaded from it at start (when it exists) and saved to it after
    // every change, before the change is answered (Service::save_state). Empty: none.
    std::filesystem::path state_file;

    // Empty: derived from the seed (see credentials()).
    std::string userid;
    std::string api_key;
};

struct Credentials {
    std::string userid;  // the reseller's auth-userid
    std::string api_key;
    std::string other_userid;  // the reseller owning the orders "you are not allowed" to touch
};

// The options' credentials, with empty ones derived from the seed (six-digit user ids,
// a 32-character key).
Credentials credentials(const Options& options);

}  // namespace rcbatch::sandbox
