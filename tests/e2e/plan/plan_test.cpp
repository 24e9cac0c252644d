// `rcbatch plan` and the guards as a user meets them: the renew example previewed against
// --sandbox; a live profile pointing at a `rcbatch sandbox` child process, where a changing
// run without --live stops before any request and plan is allowed; `run --plan` with the
// wrong folder; min-interval across two cron-like runs of the resend example.

#include "sandbox/api/service.hpp"
#include "tests/support/files.hpp"
#include "tests/support/run_binary.hpp"
#include "tests/support/sandbox_child.hpp"
#include "tests/support/temp_dir.hpp"

#include <boost/json.hpp>

#include <doctest/doctest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <unistd.h>

namespace plan_test {

namespace fs = std::filesystem;
namespace json = boost::json;
using namespace std::chrono_literals;
using rcbatch::test::run_rcbatch;
using rcbatch::test::SandboxChild;

using rcbatch::test::count_lines;
using rcbatch::test::slurp;
using rcbatch::test::TempDir;

namespace {

std::string source(const std::string& relative) {
    return std::string(RCBATCH_SOURCE_DIR) + "/" + relative;
}

std::vector<json::object> read_jsonl(const fs::path& path) {
    std::vector<json::object> out;
    std::istringstream lines(slurp(path));
    std::string line;
    while (std::getline(lines, line)) out.push_back(json::parse(line).as_object());
    return out;
}

std::int64_t unix_now() {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

// The run folders under <reports>/<job>/, oldest first (their names are UTC times).
std::vector<fs::path> run_folders(const fs::path& reports, const std::string& job) {
    std::vector<fs::path> found;
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(reports / job, ec))
        if (e.is_directory()) found.push_back(e.path());  // not the job's .lock
    std::sort(found.begin(), found.end());
    return found;
}

fs::path only_run_folder(const fs::path& reports, const std::string& job) {
    auto all = run_folders(reports, job);
    REQUIRE_MESSAGE(all.size() == 1, "run folders of " << job << ": " << all.size());
    return all.front();
}

// Every file of a folder, by name.
std::map<std::string, std::string> files_of(const fs::path& dir) {
    std::map<std::string, std::string> files;
    for (const auto& e : fs::directory_iterator(dir))
        files[e.path().filename().string()] = slurp(e.path());
    return files;
}

void check_no_key(const std::string& key, const std::map<std::string, std::string>& files,
                  const std::vector<std::string>& printed) {
    REQUIRE(key.size() >= 16);
    for (const auto& [name, text] : files) CHECK_MESSAGE(text.find(key) == std::string::npos, name);
    for (const auto& text : printed) CHECK(text.find(key) == std::string::npos);
}

// The sandbox a seed makes, with its data relative to now (ids and statuses do not depend
// on the clock; end times are relative to it).
rcbatch::sandbox::Service seeded(std::uint64_t seed) {
    rcbatch::sandbox::Options o;
    o.seed = seed;
    o.now = unix_now();
    return rcbatch::sandbox::Service(o);
}

}  // namespace

TEST_SUITE("e2e: plan") {
    TEST_CASE("rcbatch plan of the renew example against --sandbox: a table, plan files, dry_run") {
        TempDir tmp{"rcbatch-e2e-plan"};
        const std::string job = source("jobs/examples/renew-expiring-backups.toml");
        auto r = run_rcbatch({"plan", job, "--sandbox", "--report-dir", tmp.path.string()});
        CAPTURE(r.err);
        CAPTURE(r.out);
        REQUIRE(r.exit_code == 0);

        // What the example selects: Active US orders ending within 30 days (the default sandbox).
        auto service = seeded(rcbatch::sandbox::Options{}.seed);
        std::set<std::string> expected;
        for (const auto& [id, o] : service.data().orders)
            if (o.reseller_id == service.credentials().userid &&
                o.kind == rcbatch::sandbox::OrderKind::backup && o.region == "us" &&
                o.status == "Active" && o.end_time <= service.options().now + 30 * 86400)
                expected.insert(std::to_string(id));
        REQUIRE(expected.size() > 10);

        CHECK(r.out.find("ORDER") != std::string::npos);
        CHECK(r.out.find("renew 12 months: endtime ") != std::string::npos);
        CHECK(r.out.find("api-key=***") != std::string::npos);
        CHECK(r.out.find("totals:  would run " + std::to_string(expected.size()) + "\n") !=
              std::string::npos);

        const fs::path dir = only_run_folder(tmp.path, "renew-expiring-backups");
        CHECK(r.out.find("plan: " + dir.string()) != std::string::npos);
        const auto files = files_of(dir);
        for (const char* name : {"plan.jsonl", "plan.csv", "targets.jsonl", "summary.json"})
            CHECK_MESSAGE(files.contains(name), name);
        CHECK(!files.contains("results.jsonl"));
        const auto summary = json::parse(files.at("summary.json")).as_object();
        CHECK(summary.at("dry_run").as_bool());
        CHECK(summary.at("environment").as_string() == "sandbox");
        CHECK(summary.at("orders").to_number<std::size_t>() == expected.size());

        std::set<std::string> targeted, planned;
        for (const auto& t : read_jsonl(dir / "targets.jsonl"))
            targeted.insert(std::string(t.at("id").as_string()));
        const auto records = read_jsonl(dir / "plan.jsonl");
        for (const auto& p : records) {
            planned.insert(std::string(p.at("order").as_string()));
            CHECK(p.at("outcome").as_string() == "ok");
            CHECK(
                std::string(p.at("message").as_string()).starts_with("renew 12 months: endtime "));
        }
        CHECK(records.size() == expected.size());
        CHECK(targeted == expected);
        CHECK(planned == expected);
        check_no_key(rcbatch::sandbox::credentials(rcbatch::sandbox::Options{}).api_key, files,
                     {r.out, r.err});
    }

    TEST_CASE(
        "a live profile: run without --live stops before any request; plan is allowed; --live "
        "runs") {
        TempDir tmp{"rcbatch-e2e-plan"};
        const std::uint64_t seed = 3;
        SandboxChild sb((tmp.path / "ca.pem").string(), {"--seed", std::to_string(seed)});
        auto service = seeded(seed);
        std::vector<std::string> ids;
        for (const auto& [id, o] : service.data().orders)
            if (o.reseller_id == service.credentials().userid &&
                o.kind == rcbatch::sandbox::OrderKind::backup && o.region == "us" &&
                o.status == "Active" && ids.size() < 5)
                ids.push_back(std::to_string(id));
        REQUIRE(ids.size() == 5);

        const fs::path config = sb.write_profile(tmp.path / "profiles.toml", "prod", "live");
        const fs::path job = tmp.path / "live-renew.toml";
        {
            std::ofstream out(job);
            out << "name = \"live-renew\"\naction = \"backup.renew\"\nregion = \"us\"\nprofile = "
                   "\"prod\"\n\n"
                << "[targets]\norder-ids = [";
            for (std::size_t i = 0; i < ids.size(); ++i) out << (i ? ", " : "") << ids[i];
            out << "]\n\n[params]\nmonths = 1\ninvoice-option = \"NoInvoice\"\nauto-renew = "
                   "false\n\n"
                << "[run]\nconcurrency = 2\nrate = 0.0\ntimeout = \"5s\"\n"
                << "retry = { attempts = 3, base = \"10ms\", max = \"100ms\" }\n";
        }
        const fs::path reports = tmp.path / "reports";
        const std::map<std::string, std::string> env{{"RCBATCH_API_KEY", sb.api_key}};
        const std::vector<std::string> base{job.string(), "--config", config.string(),
                                            "--report-dir", reports.string()};
        const auto with = [&](std::string command, std::vector<std::string> extra) {
            std::vector<std::string> args{std::move(command)};
            args.insert(args.end(), base.begin(), base.end());
            args.insert(args.end(), extra.begin(), extra.end());
            return args;
        };

        auto refused = run_rcbatch(with("run", {}), env);
        CAPTURE(refused.err);
        CHECK(refused.exit_code == 2);
        CHECK(count_lines(refused.err) == 1);
        CHECK(refused.err.find("--live") != std::string::npos);
        CHECK(refused.err.find("live") != std::string::npos);
        CHECK(run_folders(reports, "live-renew").empty());
        CHECK(sb.api_requests() == 0);

        auto plan = run_rcbatch(with("plan", {}), env);
        CAPTURE(plan.err);
        CHECK(plan.exit_code == 0);
        CHECK(plan.out.find("totals:  would run 5\n") != std::string::npos);
        CHECK(sb.counters("backup.renew").empty());
        // The preflight's reads: one batched search of the five orders, no details call.
        CHECK(sb.counters("backup.search").size() == 1);
        CHECK(sb.counters("backup.details").empty());
        const fs::path plan_dir = only_run_folder(reports, "live-renew");

        auto plan_run = run_rcbatch(with("run", {"--plan", plan_dir.string()}), env);
        CHECK(plan_run.exit_code == 2);  // running a plan changes orders too
        CHECK(plan_run.err.find("--live") != std::string::npos);
        CHECK(sb.counters("backup.renew").empty());

        auto live = run_rcbatch(with("run", {"--live", "--quiet"}), env);
        CAPTURE(live.err);
        CHECK(live.exit_code == 0);
        auto renews = sb.counters("backup.renew");
        CHECK(renews.size() == ids.size());
        for (const auto& id : ids)
            CHECK(renews[id] == std::pair<std::uint64_t, std::uint64_t>{1, 1});

        // The plan again, now that every order was renewed: all stale, none renewed twice.
        auto stale =
            run_rcbatch(with("run", {"--plan", plan_dir.string(), "--live", "--quiet"}), env);
        CAPTURE(stale.err);
        CHECK(stale.exit_code == 0);
        for (const auto& [id, c] : sb.counters("backup.renew")) CHECK(c.first == 1);
        const auto folders = run_folders(reports, "live-renew");
        REQUIRE(folders.size() == 3);
        std::size_t stale_records = 0;
        for (const auto& f : folders)
            if (fs::exists(f / "results.jsonl") &&
                json::parse(slurp(f / "summary.json")).as_object().contains("plan"))
                for (const auto& rec : read_jsonl(f / "results.jsonl")) {
                    CHECK(rec.at("outcome").as_string() == "skipped");
                    CHECK(std::string(rec.at("message").as_string())
                              .starts_with("stale: end time moved"));
                    ++stale_records;
                }
        CHECK(stale_records == ids.size());
        for (const auto& f : folders) check_no_key(sb.api_key, files_of(f), {});
        CHECK(sb.stop() == 0);
    }

    TEST_CASE("run --plan refuses a folder that is not a plan of this job: exit 2, nothing run") {
        TempDir tmp{"rcbatch-e2e-plan"};
        const std::string renew = source("jobs/examples/renew-expiring-backups.toml");
        auto plan =
            run_rcbatch({"plan", renew, "--sandbox", "--report-dir", tmp.path.string(), "--quiet"});
        REQUIRE(plan.exit_code == 0);
        const fs::path plan_dir = only_run_folder(tmp.path, "renew-expiring-backups");

        const fs::path other = tmp.path / "renew-other.toml";
        std::ofstream(other)
            << "name = \"renew-other\"\naction = \"backup.renew\"\nregion = \"us\"\n\n"
            << "[targets]\nsearch = { status = [\"Active\"], expires-within = \"30d\" }\n\n"
            << "[params]\nmonths = 12\ninvoice-option = \"NoInvoice\"\nauto-renew = false\n";
        auto wrong_job = run_rcbatch({"run", other.string(), "--plan", plan_dir.string(),
                                      "--sandbox", "--report-dir", tmp.path.string()});
        CAPTURE(wrong_job.err);
        CHECK(wrong_job.exit_code == 2);
        CHECK(wrong_job.err.find("is a plan of another job") != std::string::npos);
        CHECK(count_lines(wrong_job.err) == 1);
        CHECK(run_folders(tmp.path, "renew-other").empty());

        auto details = run_rcbatch({"run", source("jobs/examples/plan-details.toml"), "--sandbox",
                                    "--report-dir", tmp.path.string(), "--quiet"});
        REQUIRE(details.exit_code == 0);
        auto not_plan =
            run_rcbatch({"run", renew, "--plan", only_run_folder(tmp.path, "plan-details").string(),
                         "--sandbox", "--report-dir", tmp.path.string()});
        CHECK(not_plan.exit_code == 2);
        CHECK(not_plan.err.find("is a run, not a plan") != std::string::npos);

        auto missing = run_rcbatch({"run", renew, "--plan", (tmp.path / "no-such-folder").string(),
                                    "--sandbox", "--report-dir", tmp.path.string()});
        CHECK(missing.exit_code == 2);
        CHECK(missing.err.find("is not a plan's run folder") != std::string::npos);
        CHECK(run_folders(tmp.path, "renew-expiring-backups").size() == 1);  // only the plan
    }

    TEST_CASE(
        "min-interval: the resend example run twice skips every domain the first run resent") {
        // One sandbox, so both runs are on one account: min-interval reads the ledger by account.
        TempDir tmp{"rcbatch-e2e-plan"};
        SandboxChild sb((tmp.path / "ca.pem").string(), {});
        const fs::path config = sb.write_profile(tmp.path / "profiles.toml", "test", "test");
        const std::string job = source("jobs/examples/resend-nixi-verification.toml");
        const std::vector<std::string> args{
            "run",    job, "--config",     config.string(),   "--profile", "test",
            "--rate", "0", "--report-dir", tmp.path.string(), "--quiet"};
        const std::map<std::string, std::string> env{{"RCBATCH_API_KEY", sb.api_key}};
        auto first = run_rcbatch(args, env);
        CAPTURE(first.err);
        REQUIRE(first.exit_code == 0);
        auto second = run_rcbatch(args, env);
        CAPTURE(second.err);
        REQUIRE(second.exit_code == 0);
        const auto folders = run_folders(tmp.path, "resend-nixi-verification");
        REQUIRE(folders.size() == 2);
        std::map<std::string, json::object> before;
        for (auto& r : read_jsonl(folders[0] / "results.jsonl"))
            before[std::string(r.at("target").as_string())] = r;
        const auto after = read_jsonl(folders[1] / "results.jsonl");
        REQUIRE(after.size() == before.size());
        std::size_t resent = 0;
        for (const auto& r : after) {
            const auto& earlier = before.at(std::string(r.at("target").as_string()));
            CAPTURE(json::serialize(r));
            CHECK(r.at("outcome").as_string() == "skipped");
            if (earlier.at("outcome").as_string() == "ok") {
                ++resent;
                CHECK(
                    std::string(r.at("message").as_string()).ends_with(" ago (min-interval 24 h)"));
            } else {
                CHECK(r.at("message") == earlier.at("message"));
            }
        }
        CHECK(resent > 5);
    }
}

}  // namespace plan_test
