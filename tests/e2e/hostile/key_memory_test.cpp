// The key in memory (issue #20): whatever `ulimit -c` the caller set, an rcbatch process
// dumps no core (a crash wrote a 19 MB core holding the key 14 times).

#include "tests/support/child_process.hpp"

#include <doctest/doctest.h>

#include <fstream>
#include <sstream>
#include <string>
#include <sys/resource.h>

namespace key_memory_test {

using rcbatch::test::ChildProcess;

namespace {
// The "Max core file size" line of /proc/PID/limits.
std::string core_limit_of(pid_t pid) {
    std::ifstream limits("/proc/" + std::to_string(pid) + "/limits");
    for (std::string line; std::getline(limits, line);)
        if (line.rfind("Max core file size", 0) == 0) return line;
    return {};
}
}  // namespace

TEST_SUITE("e2e: the key in memory") {
    TEST_CASE("with ulimit -c unlimited, a running rcbatch still has a core limit of 0") {
        rlimit before{};
        REQUIRE(::getrlimit(RLIMIT_CORE, &before) == 0);
        rlimit raised = before;
        raised.rlim_cur = raised.rlim_max;  // as `ulimit -c unlimited` (up to the hard limit)
        REQUIRE(::setrlimit(RLIMIT_CORE, &raised) == 0);
        {
            ChildProcess sandbox(rcbatch::test::rcbatch_binary(), {"sandbox", "--port", "0"});
            ::setrlimit(RLIMIT_CORE, &before);  // the test runner itself as it was
            REQUIRE(sandbox.read_line(std::chrono::seconds(20)).has_value());  // it is running
            std::istringstream line(core_limit_of(sandbox.pid()));
            std::string max, core, file, size, soft, hard;
            line >> max >> core >> file >> size >> soft >> hard;
            CAPTURE(line.str());
            CHECK(soft == "0");
            CHECK(hard == "0");
        }
    }
}

}  // namespace key_memory_test
