// The server's clock from the replies' Date headers (issue #19, case 3): an estimate of how far
// this machine's clock is off, so an action's time on the server can be set against an intent.
#include "engine/net/server_clock.hpp"

#include <doctest/doctest.h>

namespace server_clock_test {

using rcbatch::engine::ServerClock;
using namespace std::chrono;

namespace {
system_clock::time_point at(std::int64_t unix_seconds, int ms = 0) {
    return system_clock::time_point(seconds(unix_seconds) + milliseconds(ms));
}
}  // namespace

TEST_SUITE("server clock") {
    TEST_CASE("unknown until a reply carries a readable Date") {
        ServerClock clock;
        CHECK_FALSE(clock.known());
        CHECK_FALSE(clock.unix_at(at(1'800'000'000)).has_value());
        CHECK(clock.unix_or_local(at(1'800'000'000)) == 1'800'000'000);
        clock.observe("", at(1'800'000'000));
        clock.observe("yesterday", at(1'800'000'000));
        CHECK_FALSE(clock.known());
        CHECK(clock.readings() == 0);
    }

    TEST_CASE("a server an hour ahead: local times are moved onto its clock") {
        ServerClock clock;
        const std::int64_t eight = 1'800'000'000 - 1'800'000'000 % 86400 + 8 * 3600;
        // 08:00:00 on the server (the second's middle: 08:00:00.5), 07:00:00 on this machine.
        clock.observe("Fri, 15 Jan 2027 08:00:00 GMT", at(eight - 3600));
        REQUIRE(clock.known());
        CHECK(*clock.offset() == milliseconds(3'600'500));
        CHECK(*clock.unix_at(at(eight - 3600 + 10)) == eight + 10);
        CHECK(clock.unix_or_local(at(eight - 3600 + 10)) == eight + 10);
    }

    TEST_CASE("the latest reading wins: a clock stepped during the run is followed") {
        ServerClock clock;
        clock.observe("Sun, 06 Nov 1994 08:49:37 GMT", at(784111777 - 60));
        CHECK(*clock.unix_at(at(784111777 - 60)) == 784111777);
        clock.observe("Sun, 06 Nov 1994 08:49:37 GMT", at(784111777));
        CHECK(*clock.unix_at(at(784111777)) == 784111777);
        CHECK(clock.readings() == 2);
    }
}

}  // namespace server_clock_test
