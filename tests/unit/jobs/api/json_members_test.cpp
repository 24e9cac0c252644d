#include "jobs/api/json_members.hpp"

#include <doctest/doctest.h>

namespace json_members_test {

using rcbatch::jobs::repeated_member;

TEST_SUITE("json members") {
    TEST_CASE("a member given twice in one object is found; the same name in two objects is not") {
        CHECK(repeated_member(R"({"a":1,"b":2,"a":3})") == "a");
        CHECK(repeated_member(R"({"a":1,"b":{"a":2}})") == std::nullopt);
        CHECK(repeated_member(R"({"a":[{"x":1,"x":2}]})") == "x");
        CHECK(repeated_member(R"({"m\u006fnths":1,"months":2})") == "months");  // decoded
        CHECK(repeated_member(R"({"a":1,"A":2})") == std::nullopt);
        CHECK(repeated_member(R"({"a":1,"b":2,"b":3,"a":4})") == "b");  // the first found
    }

    TEST_CASE("text that is not JSON gives nothing (its parse says why)") {
        CHECK(repeated_member(R"({"a":1,"a":)") == std::nullopt);
        CHECK(repeated_member("") == std::nullopt);
        CHECK(repeated_member("[1,2,2]") == std::nullopt);
    }
}

}  // namespace json_members_test
