#include "tests/support/tool.hpp"

#include "tests/support/child_process.hpp"

#include <doctest/doctest.h>

#include <cstdio>
#include <unistd.h>

namespace rcbatch::test {

void require_tool(const std::string& program, const std::string& package) {
    REQUIRE_MESSAGE(
        ::access(program.c_str(), X_OK) == 0,
        program << " is missing: install Debian's " << package << " (scripts/setup does)");
}

bool browser_missing(const std::string& program) {
    if (::access(program.c_str(), X_OK) == 0) return false;
    std::fprintf(stderr,
                 "browser test skipped: %s is missing (install Debian's chromium; scripts/setup "
                 "does)\n",
                 program.c_str());
    return true;
}

ToolResult run_tool(const std::string& program, const std::vector<std::string>& args,
                    const std::map<std::string, std::string>& env, std::chrono::seconds limit) {
    ChildProcess child(program, args, env);
    ToolResult result;
    const auto until = std::chrono::steady_clock::now() + limit;
    while (auto line = child.read_line(std::chrono::duration_cast<std::chrono::milliseconds>(
               until - std::chrono::steady_clock::now())))
        result.out += *line + "\n";
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        until - std::chrono::steady_clock::now());
    const auto code = child.wait(std::max(left, std::chrono::milliseconds(1000)));
    REQUIRE_MESSAGE(code.has_value(),
                    program << " did not finish within " << limit.count() << " s");
    result.out += child.rest_of_out();
    result.exit_code = *code;
    result.err = child.err();
    return result;
}

}  // namespace rcbatch::test
