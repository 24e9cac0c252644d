#pragma once
// Runs the built rcbatch binary as a user would, for end-to-end tests.

#include <map>
#include <string>
#include <vector>

namespace rcbatch::test {

struct RunResult {
    int exit_code = -1;
    std::string out;  // standard output
    std::string err;  // standard error
};

// Runs rcbatch with `args` (no shell), with `env` added to the environment, and waits for it.
RunResult run_rcbatch(const std::vector<std::string>& args,
                      const std::map<std::string, std::string>& env = {});

}  // namespace rcbatch::test
