// Output that could not be written is a failure (issue #20): with stdout on a full disk
// (/dev/full) every command exits non-zero and says so on stderr; a run whose stderr is lost
// still runs every order and writes its files, and its exit code says the output was lost.

#include "tests/e2e/hostile/hostile_fixture.hpp"
#include "tests/support/run_binary.hpp"
#include "tests/support/temp_dir.hpp"

#include <doctest/doctest.h>

namespace lost_output_test {

namespace fs = std::filesystem;
using rcbatch::test::OutputFiles;
using rcbatch::test::run_rcbatch;
using rcbatch::test::TempDir;

TEST_SUITE("e2e: lost output") {
    TEST_CASE("every command with stdout on /dev/full exits 1 and says its output is incomplete") {
        TempDir tmp{"rcbatch-e2e-lost"};
        const auto env = rcbatch::test::no_profiles_state(tmp.path);
        const auto ids = rcbatch::test::active_us_backups(2);
        const std::string job = rcbatch::test::details_job(tmp.path, "lost", ids);
        const fs::path reports = tmp.path / "reports";
        auto run = run_rcbatch(
            {"run", job, "--sandbox", "--quiet", "--report-dir", reports.string()}, env);
        REQUIRE(run.exit_code == 0);
        const std::string folder = rcbatch::test::only_run_folder(reports, "lost").string();
        REQUIRE_FALSE(folder.empty());

        const std::vector<std::vector<std::string>> commands{
            {"report", folder},
            {"report", folder, "--json"},
            {"runs"},
            {"runs", "--json"},
            {"history", std::to_string(ids[0]), "--json"},
            {"validate", job},
            {"actions"},
            {"actions", "backup.renew"},
            {"--help"},
            {"run", "--help"},
            {"--version"},
            {"plan", job, "--sandbox", "--report-dir", reports.string()},
        };
        for (const auto& args : commands) {
            auto good = run_rcbatch(args, env);
            auto full = run_rcbatch(args, env, OutputFiles{"/dev/full", ""});
            CAPTURE(args[0]);
            CAPTURE(args.size());
            CAPTURE(full.err);
            CHECK(good.exit_code == 0);
            CHECK_FALSE(good.out.empty());
            CHECK(full.exit_code == 1);
            CHECK(full.err.find(": cannot write to stdout") != std::string::npos);
            CHECK(full.err.find("; its output is incomplete\n") != std::string::npos);
        }
    }

    TEST_CASE("a run whose stderr is lost runs every order and writes its files, then exits 1") {
        TempDir tmp{"rcbatch-e2e-lost"};
        const auto env = rcbatch::test::no_profiles_state(tmp.path);
        const auto ids = rcbatch::test::active_us_backups(4);
        const fs::path reports = tmp.path / "reports";
        // Not --quiet: the summary goes to stderr, which is full.
        auto r = run_rcbatch({"run", rcbatch::test::details_job(tmp.path, "mute", ids), "--sandbox",
                              "--report-dir", reports.string()},
                             env, OutputFiles{"", "/dev/full"});
        CHECK(r.exit_code == 1);
        const fs::path folder = rcbatch::test::only_run_folder(reports, "mute");
        REQUIRE_FALSE(folder.empty());
        const std::string records = rcbatch::test::slurp(folder / "results.jsonl");
        CHECK(rcbatch::test::lines_of(records).size() == ids.size());
        CHECK(rcbatch::test::slurp(folder / "summary.json").find("\"stop_reason\":\"none\"") !=
              std::string::npos);

        // The same run with its output kept: 0.
        auto kept = run_rcbatch({"run", rcbatch::test::details_job(tmp.path, "heard", ids),
                                 "--sandbox", "--report-dir", reports.string()},
                                env);
        CHECK(kept.exit_code == 0);
    }
}

}  // namespace lost_output_test
