#include "config/duration.hpp"

#include <doctest/doctest.h>

namespace duration_test {

using namespace rcbatch::config;
using namespace std::chrono_literals;

TEST_SUITE("duration") {
    TEST_CASE("parses a whole number and a unit") {
        struct Row {
            const char* text;
            std::chrono::milliseconds want;
        };
        for (const Row& row : {Row{"500ms", 500ms}, Row{"30s", 30s}, Row{"5m", 5min}, Row{"2h", 2h},
                               Row{"30d", 720h}, Row{"0s", 0ms}}) {
            CAPTURE(row.text);
            REQUIRE(parse_duration(row.text).has_value());
            CHECK(*parse_duration(row.text) == row.want);
        }
    }

    TEST_CASE("rejects anything else") {
        for (const char* text : {"", "30", "s", "-5s", "1.5s", "30 s", "30sec", "5w", "ms5",
                                 "99999999999999999999d", "9223372036854775807d"}) {
            CAPTURE(text);
            CHECK_FALSE(parse_duration(text).has_value());
        }
    }

    TEST_CASE("formats the shortest exact form") {
        CHECK(format_duration(1500ms) == "1500ms");
        CHECK(format_duration(90s) == "90s");
        CHECK(format_duration(24h) == "1d");
        CHECK(format_duration(0ms) == "0ms");
    }
}

}  // namespace duration_test
