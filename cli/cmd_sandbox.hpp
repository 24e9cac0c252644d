#pragma once
// `rcbatch sandbox`: the API simulator standalone, until SIGINT/SIGTERM.

#include <string>
#include <vector>

namespace rcbatch::cli {

// `args` are the words after `sandbox`. Prints RCBATCH_SANDBOX_URL / _USERID / _API_KEY /
// _CA lines for `eval`, serves until SIGINT or SIGTERM, returns 0. Bad arguments: a one-line
// message on stderr, 2. The server cannot start (port in use, CA not writable): 1.
int run_sandbox_command(const std::vector<std::string>& args);

}  // namespace rcbatch::cli
