// Colour as a person at a terminal sees it: `rcbatch run` under a pseudo-terminal (util-linux's
// script(1)) paints its bar and summary; with NO_COLOR set, or without a terminal, it does not.

#include "tests/support/run_binary.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/tool.hpp"

#include <doctest/doctest.h>

#include <string>

namespace colour_test {

using rcbatch::test::run_tool;
using rcbatch::test::TempDir;

TEST_SUITE("e2e: colour") {
    TEST_CASE("on a terminal the outcomes are coloured, unless NO_COLOR is set") {
        const std::string script = "/usr/bin/script";
        rcbatch::test::require_tool(script, "bsdutils");
        TempDir tmp{"rcbatch-e2e-colour"};
        const std::string command =
            std::string(RCBATCH_BINARY) + " run " + RCBATCH_SOURCE_DIR +
            "/jobs/examples/renew-expiring-backups.toml --sandbox --report-dir " +
            tmp.path.string();
        auto coloured = run_tool(script, {"-qec", command, "/dev/null"}, {{"NO_COLOR", ""}});
        CAPTURE(coloured.out);
        CHECK(coloured.exit_code == 0);
        CHECK(coloured.out.find("\x1b[32mok ") != std::string::npos);  // the summary's count
        CHECK(coloured.out.find("[\x1b[32m#") != std::string::npos);   // the bar's filled part

        auto plain = run_tool(script, {"-qec", command, "/dev/null"}, {{"NO_COLOR", "1"}});
        CHECK(plain.exit_code == 0);
        CHECK(plain.out.find("\x1b[3") == std::string::npos);

        auto piped = rcbatch::test::run_rcbatch(
            {"run", std::string(RCBATCH_SOURCE_DIR) + "/jobs/examples/renew-expiring-backups.toml",
             "--sandbox", "--report-dir", tmp.path.string()});
        CHECK(piped.exit_code == 0);
        CHECK(piped.err.find("\x1b[") == std::string::npos);
    }
}

}  // namespace colour_test
