#include "engine/text/colour.hpp"

#include <doctest/doctest.h>

#include <string>

namespace colour_test {

using namespace rcbatch::engine;

namespace {
const std::string green = "\x1b[32m", red = "\x1b[31m", yellow = "\x1b[33m", reset = "\x1b[0m";
}

TEST_SUITE("colour") {
    TEST_CASE("wanted on a terminal unless NO_COLOR is set and not empty") {
        struct Case {
            bool tty;
            const char* no_color;
            bool wanted;
        };
        for (const Case& c :
             {Case{true, nullptr, true}, Case{true, "", true}, Case{true, "1", false},
              Case{false, nullptr, false}, Case{false, "", false}}) {
            CAPTURE(c.tty);
            CAPTURE((c.no_color ? c.no_color : "(unset)"));
            CHECK(colour_wanted(c.tty, c.no_color) == c.wanted);
        }
    }

    TEST_CASE("counts of a summary are painted by outcome; zeros and other words are not") {
        struct Case {
            std::string in, out;
        };
        const Case cases[] = {
            {"  orders     8   ok 6   api_error 2\n", "  orders     8   " + green + "ok 6" + reset +
                                                          "   " + red + "api_error 2" + reset +
                                                          "\n"},
            {"ok 0  failed 0  retrying 0", "ok 0  failed 0  retrying 0"},
            {"failed 3  retrying 1",
             red + "failed 3" + reset + "  " + yellow + "retrying 1" + reset},
            {"unknown 12", yellow + "unknown 12" + reset},
            {"looks ok 5x", "looks ok 5x"},  // not a count
            {"booked 5", "booked 5"},        // "ok" inside a word
            {"  api_error  seq 2  order 9", "  " + red + "api_error" + reset + "  seq 2  order 9"},
            {"the api_error came", "the api_error came"},  // an outcome word inside a sentence
        };
        for (const Case& c : cases) {
            CAPTURE(c.in);
            CHECK(colour_outcomes(c.in) == c.out);
        }
    }

    TEST_CASE(
        "the bar's filled part is green, the rest of the line is unchanged apart from counts") {
        const std::string bar =
            "[####......] 40/100  40%  ok 38  failed 2  retrying 0  4.00/s  ETA 15s";
        const std::string painted = colour_bar(bar);
        CHECK(painted.starts_with("[" + green + "####" + reset + "......] 40/100  40%  " + green +
                                  "ok 38" + reset));
        CHECK(painted.find(red + "failed 2" + reset) != std::string::npos);
        CHECK(painted.find("retrying 0  4.00/s  ETA 15s") != std::string::npos);
        CHECK(colour_bar("[..........] 0/10") == "[..........] 0/10");
        CHECK(colour_outcomes_if(false, "ok 3") == "ok 3");
    }
}

}  // namespace colour_test
