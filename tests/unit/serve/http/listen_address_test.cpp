#include "serve/http/listen_address.hpp"

#include <doctest/doctest.h>

namespace listen_address_test {

using rcbatch::serve::parse_listen_address;

TEST_SUITE("serve listen address") {
    TEST_CASE("IPv4, bracketed IPv6, any address and localhost") {
        struct Case {
            const char* text;
            const char* shown;
            unsigned short port;
            bool loopback;
        };
        for (const Case& c : {Case{"127.0.0.1:8080", "127.0.0.1:8080", 8080, true},
                              Case{"[::1]:8080", "[::1]:8080", 8080, true},
                              Case{"0.0.0.0:8080", "0.0.0.0:8080", 8080, false},
                              Case{"[::]:443", "[::]:443", 443, false},
                              Case{"localhost:8080", "127.0.0.1:8080", 8080, true},
                              Case{"127.0.0.1:0", "127.0.0.1:0", 0, true},
                              Case{"192.168.1.20:65535", "192.168.1.20:65535", 65535, false}}) {
            CAPTURE(c.text);
            std::string error;
            const auto address = parse_listen_address(c.text, error);
            REQUIRE(address);
            CHECK(error.empty());
            CHECK(address->port == c.port);
            CHECK(address->loopback() == c.loopback);
            CHECK(address->text() == c.shown);
        }
    }

    TEST_CASE("a wrong address is refused with one line naming what is wrong") {
        struct Case {
            const char* text;
            const char* says;
        };
        for (const Case& c :
             {Case{"127.0.0.1", "has no port"}, Case{"127.0.0.1:", "has no valid port"},
              Case{"127.0.0.1:65536", "has no valid port"},
              Case{"127.0.0.1:80x", "has no valid port"}, Case{"127.0.0.1:-1", "has no valid port"},
              Case{":8080", "has no host"}, Case{"[::1:8080", "unclosed '['"},
              Case{"::1:8080", "IPv6 host without brackets"},
              Case{"[127.0.0.1]:8080", "no valid IP address"},
              Case{"example.com:80", "no valid IP address"},
              Case{"[localhost]:80", "no valid IP address"},
              Case{"300.1.1.1:80", "no valid IP address"}}) {
            CAPTURE(c.text);
            std::string error;
            CHECK_FALSE(parse_listen_address(c.text, error));
            CHECK(error.find(c.says) != std::string::npos);
            CHECK(error.find(std::string("'") + c.text + "'") != std::string::npos);
            CHECK(error.find('\n') == std::string::npos);
        }
    }
}

}  // namespace listen_address_test
