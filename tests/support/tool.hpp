#pragma once
// Debian tools the end-to-end tests drive (chromium, xmllint, python3, cpack, dpkg-deb, man),
// run without a shell. A missing tool fails the test with the package to install — never a
// silent skip: scripts/setup installs them all. The one exception is the browser
// (tests/e2e/browser): without it those cases are skipped, loudly (browser_missing()).

#include <chrono>
#include <map>
#include <string>
#include <vector>

namespace rcbatch::test {

struct ToolResult {
    int exit_code = -1;
    std::string out;  // all of its standard output
    std::string err;  // all of its standard error
};

// Fails the test (REQUIRE) unless `program` (an absolute path) is executable, naming the
// Debian package that brings it.
void require_tool(const std::string& program, const std::string& package);

// Whether the browser `program` is missing; when it is, says so on standard error ("browser
// test skipped: ..."), which ctest reads to show the program as skipped (tests/CMakeLists.txt).
// For doctest::skip() on the browser's cases.
bool browser_missing(const std::string& program);

// Runs `program` with `args` and `env` added to the environment, reading its standard output
// to the end; fails the test when it does not exit within `limit`.
ToolResult run_tool(const std::string& program, const std::vector<std::string>& args,
                    const std::map<std::string, std::string>& env = {},
                    std::chrono::seconds limit = std::chrono::seconds(180));

}  // namespace rcbatch::test
