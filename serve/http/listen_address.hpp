#pragma once
// Where `rcbatch serve` listens: "127.0.0.1:8080", "[::1]:8080", "0.0.0.0:8080" or
// "localhost:8080" (127.0.0.1, never looked up). Pure: no socket, no DNS.

#include <boost/asio/ip/address.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace rcbatch::serve {

struct ListenAddress {
    boost::asio::ip::address address;
    unsigned short port = 0;  // 0: the system picks one when the server binds

    // Whether only this machine can connect (127.0.0.0/8 or ::1).
    bool loopback() const;
    // "127.0.0.1:8080", "[::1]:8080".
    std::string text() const;
};

// The address in `text` (HOST:PORT, an IPv6 host in brackets; port 0 to 65535). On failure
// returns nullopt and sets `error` to one line naming what is wrong.
std::optional<ListenAddress> parse_listen_address(std::string_view text, std::string& error);

}  // namespace rcbatch::serve
