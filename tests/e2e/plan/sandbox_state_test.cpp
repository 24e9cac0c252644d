// Rehearsal that behaves like the real thing (issue #19): `rcbatch sandbox --state FILE` keeps
// its orders, actions and invoices across a kill -9 and a restart, so plan -> run -> run again
// (the README's walk-through) renews each order once; and a plan made against one embedded
// sandbox (--sandbox) is refused by another in one line, instead of a run of stale orders.

#include "tests/support/files.hpp"
#include "tests/support/run_binary.hpp"
#include "tests/support/sandbox_child.hpp"
#include "tests/support/sandbox_orders.hpp"
#include "tests/support/temp_dir.hpp"

#include <boost/json.hpp>

#include <doctest/doctest.h>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <optional>

namespace sandbox_state_test {

namespace fs = std::filesystem;
namespace json = boost::json;
using rcbatch::test::count_lines;
using rcbatch::test::run_rcbatch;
using rcbatch::test::SandboxChild;
using rcbatch::test::TempDir;

namespace {
constexpr std::uint64_t seed = 5;

std::vector<fs::path> run_folders(const fs::path& reports, const std::string& job) {
    std::vector<fs::path> found;
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(reports / job, ec))
        if (e.is_directory()) found.push_back(e.path());
    std::sort(found.begin(), found.end());
    return found;
}

// A renew of `ids` for a month, invoiced, through profile "sandbox".
fs::path renew_job(const fs::path& dir, const std::vector<std::int64_t>& ids) {
    const fs::path job = dir / "kept-renew.toml";
    std::ofstream out(job);
    out << "name = \"kept-renew\"\naction = \"backup.renew\"\nregion = \"us\"\n"
        << "profile = \"sandbox\"\n\n[targets]\norder-ids = [";
    for (std::size_t i = 0; i < ids.size(); ++i) out << (i ? ", " : "") << ids[i];
    out << "]\n\n[params]\nmonths = 1\ninvoice-option = \"KeepInvoice\"\nauto-renew = false\n"
        << "\n[run]\nconcurrency = 2\nrate = 0.0\ntimeout = \"5s\"\n";
    return job;
}

std::string end_time(const SandboxChild& sb, std::int64_t id) {
    const auto order = sb.admin("/_sandbox/order?order-id=" + std::to_string(id));
    return json::serialize(order.at("endtime"));
}
}  // namespace

TEST_SUITE("e2e: a sandbox that remembers") {
    TEST_CASE("sandbox --state: plan, run, kill -9, restart, run again: each order renewed once") {
        TempDir tmp{"rcbatch-e2e-state"};
        const fs::path state = tmp.path / "sandbox-state.json";
        const std::string ca = (tmp.path / "ca.pem").string();
        const auto ids = rcbatch::test::active_us_backups(3, seed);
        std::optional<SandboxChild> sb;
        sb.emplace(ca, std::vector<std::string>{"--seed", std::to_string(seed), "--state",
                                                state.string()});
        const std::uint16_t port = sb->port;
        const fs::path config = sb->write_profile(tmp.path / "profiles.toml");
        const fs::path reports = tmp.path / "reports";
        const fs::path job = renew_job(tmp.path, ids);
        const std::map<std::string, std::string> env{
            {"RCBATCH_API_KEY", sb->api_key}, {"RCBATCH_STATE_DIR", (tmp.path / "state").string()}};
        const auto rcbatch = [&](std::vector<std::string> args) {
            args.insert(args.end(), {job.string(), "--config", config.string(), "--report-dir",
                                     reports.string(), "--quiet"});
            return run_rcbatch(args, env);
        };

        auto plan = rcbatch({"plan"});
        CAPTURE(plan.err);
        REQUIRE(plan.exit_code == 0);
        auto run = rcbatch({"run", "--plan", run_folders(reports, "kept-renew").front().string()});
        CAPTURE(run.err);
        REQUIRE(run.exit_code == 0);
        std::map<std::int64_t, std::string> renewed_to;
        for (auto id : ids) renewed_to[id] = end_time(*sb, id);
        const auto actions = sb->admin("/_sandbox/actions").at("actions").as_array().size();
        const auto invoices = sb->admin("/_sandbox/invoices").at("invoices").as_array().size();
        CHECK(actions == 3);
        CHECK(invoices == 3);

        CHECK(sb->kill() == 128 + SIGKILL);  // nothing saved on the way out
        sb.emplace(ca, std::vector<std::string>{"--seed", std::to_string(seed), "--state",
                                                state.string(), "--port", std::to_string(port)});
        REQUIRE(sb->port == port);
        for (auto id : ids) CHECK(end_time(*sb, id) == renewed_to[id]);
        CHECK(sb->admin("/_sandbox/actions").at("actions").as_array().size() == actions);
        CHECK(sb->admin("/_sandbox/invoices").at("invoices").as_array().size() == invoices);

        auto again = rcbatch({"run"});
        CAPTURE(again.err);
        CHECK(again.exit_code == 0);
        CHECK(sb->counters("backup.renew").empty());  // nothing sent to the restarted sandbox
        for (auto id : ids) CHECK(end_time(*sb, id) == renewed_to[id]);
        CHECK(sb->admin("/_sandbox/actions").at("actions").as_array().size() == actions);
    }

    TEST_CASE("a plan of one embedded sandbox, run against another: one line, exit 2") {
        TempDir tmp{"rcbatch-e2e-state"};
        const auto ids = rcbatch::test::active_us_backups(2);
        const fs::path job = renew_job(tmp.path, ids);
        const fs::path reports = tmp.path / "reports";
        const std::map<std::string, std::string> env{
            {"RCBATCH_STATE_DIR", (tmp.path / "state").string()},
            {"RCBATCH_CONFIG", ""},
            {"HOME", "/nonexistent"}};
        auto plan =
            run_rcbatch({"plan", job.string(), "--sandbox", "--report-dir", reports.string()}, env);
        CAPTURE(plan.err);
        REQUIRE(plan.exit_code == 0);
        CHECK(plan.out.find("this plan cannot be run; run the job with: rcbatch run ") !=
              std::string::npos);
        const fs::path plan_dir = run_folders(reports, "kept-renew").front();
        auto run = run_rcbatch({"run", job.string(), "--sandbox", "--report-dir", reports.string(),
                                "--plan", plan_dir.string()},
                               env);
        CAPTURE(run.err);
        CHECK(run.exit_code == 2);
        CHECK(count_lines(run.err) == 1);
        CHECK(run.err.find(plan_dir.string() +
                           " is a plan made against an embedded sandbox (--sandbox)") !=
              std::string::npos);
        CHECK(run_folders(reports, "kept-renew").size() == 1);  // only the plan

        // One command that plans and runs keeps to its own sandbox: max-charge plans first.
        std::ofstream(job, std::ios::app) << "max-charge = 100000.0\n";
        auto both = run_rcbatch(
            {"run", job.string(), "--sandbox", "--report-dir", reports.string(), "--quiet"}, env);
        CAPTURE(both.err);
        CHECK(both.exit_code == 0);
    }
}

}  // namespace sandbox_state_test
