#pragma once
// Runs the built rcbatch binary as a user would, for end-to-end tests.

#include <map>
#include <string>
#include <vector>

namespace rcbatch::test {

struct RunResult {
    int exit_code = -1;
    std::string out;       // standard output
    std::string err;       // standard error
    long max_rss_kib = 0;  // rcbatch's own peak resident memory (tests/tools/peak_rss.cpp)
};

// Where a run's standard output and error go instead of being captured, e.g. "/dev/full".
struct OutputFiles {
    std::string out;  // empty: captured into RunResult::out
    std::string err;  // empty: captured into RunResult::err
};

// Runs rcbatch with `args` (no shell), with `env` added to the environment, and waits for it.
RunResult run_rcbatch(const std::vector<std::string>& args,
                      const std::map<std::string, std::string>& env = {},
                      const OutputFiles& files = {});

}  // namespace rcbatch::test
