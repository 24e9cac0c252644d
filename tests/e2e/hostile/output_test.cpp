// Output that cron, logs and monitoring can use: --quiet (a line per failed order and the
// summary line, nothing on success), --log-format json (every line one object with the run
// id, a summary event last), hints that can be pasted, and max-orders refused before the
// selection is written out.

#include "tests/e2e/hostile/hostile_fixture.hpp"
#include "tests/support/run_binary.hpp"
#include "tests/support/temp_dir.hpp"

#include <boost/json/parse.hpp>

#include <doctest/doctest.h>

namespace output_test {

namespace fs = std::filesystem;
namespace json = boost::json;
using rcbatch::test::lines_of;
using rcbatch::test::no_profiles;
using rcbatch::test::run_rcbatch;
using rcbatch::test::TempDir;

namespace {
constexpr std::int64_t missing_order = 99'999'999;
}  // namespace

TEST_SUITE("e2e: output") {
    TEST_CASE("--quiet: one line per failed order and the summary line; nothing when all is ok") {
        TempDir tmp{"rcbatch-e2e-output"};
        auto ids = rcbatch::test::active_us_backups(5);
        const fs::path reports = tmp.path / "reports";
        auto ok = run_rcbatch({"run", rcbatch::test::details_job(tmp.path, "fine", ids),
                               "--sandbox", "--quiet", "--report-dir", reports.string()},
                              no_profiles);
        CAPTURE(ok.err);
        CHECK(ok.exit_code == 0);
        CHECK(ok.out.empty());
        CHECK(ok.err.empty());

        ids.push_back(missing_order);
        auto bad = run_rcbatch({"run", rcbatch::test::details_job(tmp.path, "one-bad", ids),
                                "--sandbox", "--quiet", "--report-dir", reports.string()},
                               no_profiles);
        CAPTURE(bad.err);
        CHECK(bad.exit_code == 1);
        CHECK(bad.out.empty());
        const auto lines = lines_of(bad.err);
        REQUIRE(lines.size() == 2);
        CHECK(lines[0] == "order 99999999 api_error: No Entity found for Entityid: 99999999");
        CHECK(lines[1].rfind(
                  "rcbatch: one-bad (backup.details): 6 orders: ok 5, api_error 1; reports ", 0) ==
              0);
    }

    TEST_CASE("--log-format json: every stderr line one object with the run id, summary last") {
        TempDir tmp{"rcbatch-e2e-output"};
        auto ids = rcbatch::test::active_us_backups(8);
        ids.insert(ids.begin() + 3, missing_order);
        const fs::path reports = tmp.path / "reports";
        auto r =
            run_rcbatch({"run", rcbatch::test::details_job(tmp.path, "logged", ids), "--sandbox",
                         "--log-format", "json", "--report-dir", reports.string()},
                        no_profiles);
        CAPTURE(r.err);
        CHECK(r.exit_code == 1);
        const fs::path dir = rcbatch::test::only_run_folder(reports, "logged");
        REQUIRE(!dir.empty());
        const auto lines = lines_of(r.err);
        REQUIRE(lines.size() >= 3);
        int orders = 0, summaries = 0;
        for (const std::string& line : lines) {
            CAPTURE(line);
            CHECK(line.find("E0") == std::string::npos);
            boost::system::error_code ec;
            const json::value v = json::parse(line, ec);
            REQUIRE_FALSE(ec);
            const json::object& e = v.as_object();
            CHECK(e.at("run") == json::value(dir.filename().string()));
            orders += e.at("event") == "order";
            summaries += e.at("event") == "summary";
        }
        CHECK(orders == 1);
        CHECK(summaries == 1);
        const json::object last = json::parse(lines.back()).as_object();
        CHECK(last.at("event") == "summary");
        CHECK(last.at("exit_code") == 1);
        CHECK(last.at("orders") == ids.size());
    }

    TEST_CASE("the plan's hint is the command to paste, --sandbox and --report-dir kept") {
        // An embedded sandbox lives for one command: its plan is not offered to `run --plan`
        // (another sandbox refuses it), the job itself is.
        TempDir tmp{"rcbatch-e2e-output"};
        const auto ids = rcbatch::test::active_us_backups(3);
        const std::string job = rcbatch::test::details_job(tmp.path, "planned", ids);
        const fs::path reports = tmp.path / "reports";
        auto r =
            run_rcbatch({"plan", job, "--sandbox", "--report-dir", reports.string()}, no_profiles);
        CAPTURE(r.out);
        CAPTURE(r.err);
        CHECK(r.exit_code == 0);
        const fs::path dir = rcbatch::test::only_run_folder(reports, "planned");
        REQUIRE(!dir.empty());
        const std::string hint = "so this plan cannot be run; run the job with: rcbatch run " +
                                 job + " --sandbox --report-dir " + reports.string() + ")";
        CHECK(r.out.find(hint) != std::string::npos);
        auto run = run_rcbatch({"run", job, "--sandbox", "--report-dir", reports.string(), "--plan",
                                dir.string(), "--quiet"},
                               no_profiles);
        CAPTURE(run.err);
        CHECK(run.exit_code == 2);
        auto again = run_rcbatch(
            {"run", job, "--sandbox", "--report-dir", reports.string(), "--quiet"}, no_profiles);
        CAPTURE(again.err);
        CHECK(again.exit_code == 0);
    }

    TEST_CASE("max-orders: a long target list is refused before it is written out") {
        TempDir tmp{"rcbatch-e2e-output"};
        {
            std::ofstream ids(tmp.path / "ids.txt");
            for (int i = 1; i <= 5000; ++i) ids << 10'000'000 + i << '\n';
        }
        const fs::path job = tmp.path / "many.toml";
        std::ofstream(job) << "name = \"many\"\naction = \"backup.details\"\nregion = \"us\"\n"
                           << "[targets]\nfile = \"ids.txt\"\n[run]\nmax-orders = 10\n";
        const fs::path reports = tmp.path / "reports";
        auto r = run_rcbatch({"run", job.string(), "--sandbox", "--report-dir", reports.string()},
                             no_profiles);
        CAPTURE(r.err);
        CHECK(r.exit_code == 2);
        CHECK(
            r.err.find("the job names 5000 orders, more than max-orders = 10; nothing was sent") !=
            std::string::npos);
        const fs::path dir = rcbatch::test::only_run_folder(reports, "many");
        REQUIRE(!dir.empty());
        CHECK(rcbatch::test::count_lines(rcbatch::test::slurp(dir / "targets.jsonl")) <= 11);
    }
}

}  // namespace output_test
