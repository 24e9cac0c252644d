// A plan is bound to what it was made from: `run --plan` refuses, sending nothing, when the
// job's parameters or the account changed since (issue: a plan of months = 1 charged 60).

#include "tests/support/run_binary.hpp"
#include "tests/support/sandbox_child.hpp"
#include "tests/support/temp_dir.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

namespace drift_test {

namespace fs = std::filesystem;
using rcbatch::test::run_rcbatch;
using rcbatch::test::SandboxChild;
using rcbatch::test::TempDir;

namespace {
void write_job(const fs::path& file, int months, const std::string& ids) {
    std::ofstream(file)
        << "name = \"drift\"\naction = \"backup.renew\"\nregion = \"us\"\n\n[targets]\norder-ids = "
           "["
        << ids << "]\n\n[params]\nmonths = " << months
        << "\ninvoice-option = \"NoInvoice\"\nauto-renew = false\n\n[run]\nrate = 0.0\n";
}

fs::path newest_folder(const fs::path& dir) {
    std::vector<fs::path> found;
    for (const auto& e : fs::directory_iterator(dir)) found.push_back(e.path());
    REQUIRE(!found.empty());
    return *std::max_element(found.begin(), found.end());
}
}  // namespace

TEST_SUITE("e2e: plan drift") {
    TEST_CASE("run --plan refuses a changed parameter and a changed account; 0 changes sent") {
        TempDir tmp{"rcbatch-e2e-drift"};
        SandboxChild sb((tmp.path / "ca.pem").string(), {});
        const fs::path config = tmp.path / "profiles.toml";
        sb.write_profile(config, "a", "test");
        // The same sandbox as a second, live, profile: another account for the ledger.
        std::ofstream(config, std::ios::app)
            << "\n[profiles.b]\nenvironment = \"live\"\nauth-userid = " << sb.userid
            << "\nendpoint = \"" << sb.url << "\"\nca-file = \"" << sb.ca_file << "\"\n";
        const fs::path job = tmp.path / "drift.toml";
        const std::string ids = "60235789, 60235879";
        write_job(job, 1, ids);
        const std::map<std::string, std::string> env{{"RCBATCH_API_KEY", sb.api_key}};
        const std::string reports = (tmp.path / "reports").string();

        auto plan = run_rcbatch({"plan", job.string(), "--config", config.string(), "--profile",
                                 "a", "--report-dir", reports, "--quiet"},
                                env);
        CAPTURE(plan.err);
        REQUIRE(plan.exit_code == 0);
        const fs::path plan_dir = newest_folder(fs::path(reports) / "drift");
        const auto requests_after_plan = sb.api_requests();

        write_job(job, 60, ids);
        auto months = run_rcbatch({"run", job.string(), "--plan", plan_dir.string(), "--config",
                                   config.string(), "--profile", "a", "--report-dir", reports},
                                  env);
        CAPTURE(months.err);
        CHECK(months.exit_code == 2);
        CHECK(months.err.find("months: plan 1, job 60") != std::string::npos);
        CHECK(months.err.find("nothing was sent") != std::string::npos);

        write_job(job, 1, ids);
        auto account =
            run_rcbatch({"run", job.string(), "--plan", plan_dir.string(), "--config",
                         config.string(), "--profile", "b", "--live", "--report-dir", reports},
                        env);
        CAPTURE(account.err);
        CHECK(account.exit_code == 2);
        CHECK(account.err.find("account: plan test/") != std::string::npos);
        CHECK(account.err.find(", now live/") != std::string::npos);

        CHECK(sb.api_requests() == requests_after_plan);
        for (const auto& [id, counts] : sb.counters("backup.renew")) CHECK(counts.first == 0);

        auto same =
            run_rcbatch({"run", job.string(), "--plan", plan_dir.string(), "--config",
                         config.string(), "--profile", "a", "--report-dir", reports, "--quiet"},
                        env);
        CAPTURE(same.err);
        CHECK(same.exit_code != 2);
    }
}

}  // namespace drift_test
