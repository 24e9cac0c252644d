#include "serve/http/listen_address.hpp"

#include <charconv>

namespace rcbatch::serve {

namespace asio = boost::asio;

bool ListenAddress::loopback() const { return address.is_loopback(); }

std::string ListenAddress::text() const {
    const std::string host =
        address.is_v6() ? "[" + address.to_string() + "]" : address.to_string();
    return host + ":" + std::to_string(port);
}

std::optional<ListenAddress> parse_listen_address(std::string_view text, std::string& error) {
    const std::string shown = "'" + std::string(text.substr(0, 100)) + "'";
    const auto colon = text.rfind(':');
    if (colon == std::string_view::npos) {
        error = "listen address " + shown + " has no port: give HOST:PORT, e.g. 127.0.0.1:8080";
        return std::nullopt;
    }
    std::string_view host = text.substr(0, colon);
    const std::string_view port_text = text.substr(colon + 1);
    if (host.starts_with('[') != host.ends_with(']') ||
        (host.starts_with('[') && host.size() < 2)) {
        error = "listen address " + shown + " has an unclosed '[': write an IPv6 host as [::1]";
        return std::nullopt;
    }
    const bool bracketed = host.starts_with('[');
    if (bracketed) host = host.substr(1, host.size() - 2);
    unsigned port = 0;
    const auto [end, ec] =
        std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
    if (port_text.empty() || ec != std::errc() || end != port_text.data() + port_text.size() ||
        port > 65535) {
        error = "listen address " + shown + " has no valid port: give a number from 0 to 65535";
        return std::nullopt;
    }
    ListenAddress out;
    out.port = static_cast<unsigned short>(port);
    if (host == "localhost" && !bracketed) {
        out.address = asio::ip::address_v4::loopback();
        return out;
    }
    if (host.empty()) {
        error = "listen address " + shown +
                " has no host: give e.g. 127.0.0.1:" + std::string(port_text);
        return std::nullopt;
    }
    boost::system::error_code parse_ec;
    const auto address = asio::ip::make_address(std::string(host), parse_ec);
    if (parse_ec || address.is_v6() != bracketed) {
        error = bracketed || host.find(':') == std::string_view::npos
                    ? "listen address " + shown +
                          " has no valid IP address: give an IPv4 address, [IPv6] or localhost"
                    : "listen address " + shown + " has an IPv6 host without brackets: write [" +
                          std::string(host) + "]:" + std::string(port_text);
        return std::nullopt;
    }
    out.address = address;
    return out;
}

}  // namespace rcbatch::serve
