// `rcbatch run --resume` as a user runs it: an interrupted run is finished in the same folder,
// whose reports then describe the whole run; a folder that does not fit the job is refused.

#include "tests/support/child_process.hpp"
#include "tests/support/files.hpp"
#include "tests/support/run_binary.hpp"
#include "tests/support/sandbox_child.hpp"
#include "tests/support/temp_dir.hpp"

#include <boost/json/parse.hpp>

#include <doctest/doctest.h>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <thread>

namespace resume_test {

namespace fs = std::filesystem;
namespace json = boost::json;
using namespace std::chrono_literals;
using rcbatch::test::ChildProcess;
using rcbatch::test::run_rcbatch;
using rcbatch::test::SandboxChild;
using rcbatch::test::slurp;
using rcbatch::test::TempDir;
using rcbatch::test::text_of;

namespace {

struct ResumeSetup {
    TempDir dir{"rcbatch-e2e-resume"};
    SandboxChild sandbox{(dir.path / "ca.pem").string(), {"--orders", "60"}};
    fs::path profile = sandbox.write_profile(dir.path / "profile.toml");
    fs::path reports = dir.path / "reports";
    std::map<std::string, std::string> env{{"RCBATCH_API_KEY", sandbox.api_key}};

    fs::path job(const std::string& file, int months, double rate) const {
        const fs::path path = dir.path / file;
        std::ofstream(path)
            << "name = \"resume-renew\"\naction = \"backup.renew\"\nregion = \"us\"\n"
            << "[targets]\nsearch = { status = [\"Active\"] }\n"
            << "[params]\nmonths = " << months
            << "\ninvoice-option = \"NoInvoice\"\nauto-renew = false\n"
            << "[run]\nconcurrency = 2\nrate = " << rate << "\n";
        return path;
    }

    std::vector<std::string> args(const fs::path& job, std::vector<std::string> more) const {
        std::vector<std::string> a{"run",          job.string(),    "--config", profile.string(),
                                   "--report-dir", reports.string()};
        a.insert(a.end(), more.begin(), more.end());
        return a;
    }

    // Whether the run's journal holds a result line yet.
    bool has_result() const {
        std::error_code ec;
        if (!fs::exists(reports / "resume-renew", ec)) return false;
        const fs::path run = only_run();
        return !run.empty() &&
               slurp(run / "journal.jsonl").find("\"type\":\"result\"") != std::string::npos;
    }

    fs::path only_run() const {
        fs::path found;
        for (const auto& e : fs::directory_iterator(reports / "resume-renew"))
            if (e.is_directory()) found = e.path();
        return found;
    }
};

json::object summary_of(const fs::path& run) {
    return json::parse(slurp(run / "summary.json")).as_object();
}

std::uint64_t outcome_count(const json::object& summary, const char* outcome) {
    return summary.at("outcomes").as_object().at(outcome).to_number<std::uint64_t>();
}

}  // namespace

TEST_SUITE("e2e: resume") {
    TEST_CASE(
        "an interrupted run is finished by --resume in the same folder; its reports cover the "
        "whole run") {
        ResumeSetup s;
        const fs::path job = s.job("job.toml", 12, 8.0);  // slow enough to be interrupted
        {
            ChildProcess first(rcbatch::test::rcbatch_binary(), s.args(job, {"--quiet"}), s.env);
            // Signalled once its first result is journaled (not after a fixed time: a loaded
            // machine may not have started the run yet).
            for (int wait = 0; wait < 800 && !s.has_result(); ++wait)
                std::this_thread::sleep_for(25ms);
            REQUIRE(s.has_result());
            first.signal(SIGTERM);
            const auto code = first.wait(20s);
            REQUIRE(code.has_value());
            CAPTURE(first.err());
            CHECK(*code == 3);
        }
        const fs::path run = s.only_run();
        REQUIRE_FALSE(run.empty());
        const auto interrupted = summary_of(run);
        const auto total = interrupted.at("orders").to_number<std::uint64_t>();
        REQUIRE(total > 10);
        REQUIRE(outcome_count(interrupted, "not_run") > 0);

        // Fast now: the rate is the job's, but the stop was the user's.
        const fs::path fast = s.job("job.toml", 12, 0);
        auto resumed = run_rcbatch(s.args(fast, {"--resume", run.string()}), s.env);
        CAPTURE(resumed.err);
        CHECK(resumed.exit_code == 0);
        CHECK(resumed.err.find(s.sandbox.api_key) == std::string::npos);

        const auto whole = summary_of(run);
        CHECK(whole.at("orders").to_number<std::uint64_t>() == total);
        CHECK(outcome_count(whole, "ok") == total);
        CHECK(whole.at("sessions").to_number<int>() == 2);
        CHECK(text_of(whole.at("started")) == text_of(interrupted.at("started")));

        std::istringstream lines(slurp(run / "results.jsonl"));
        std::string line;
        std::set<std::uint64_t> seqs;
        std::size_t records = 0;
        while (std::getline(lines, line)) {
            const auto r = json::parse(line).as_object();
            CHECK(text_of(r.at("outcome")) == "ok");
            seqs.insert(r.at("seq").to_number<std::uint64_t>());
            ++records;
        }
        CHECK(records == total);
        CHECK(seqs.size() == total);
        CHECK(rcbatch::test::count_lines(slurp(run / "results.csv")) == total + 1);

        // Each order renewed once in all.
        for (const auto& [order, c] : s.sandbox.counters("backup.renew")) {
            CAPTURE(order);
            CHECK(c.second == 1);
        }

        // Resuming a finished run sends nothing more.
        const auto before = s.sandbox.api_requests();
        auto again = run_rcbatch(s.args(fast, {"--resume", run.string(), "--quiet"}), s.env);
        CHECK(again.exit_code == 0);
        CHECK(s.sandbox.api_requests() == before);
        CHECK(outcome_count(summary_of(run), "ok") == total);
    }

    TEST_CASE("--resume refuses a folder that does not fit the job, and sends nothing") {
        ResumeSetup s;
        const fs::path job = s.job("job.toml", 12, 0);
        auto first = run_rcbatch(s.args(job, {"--quiet"}), s.env);
        REQUIRE(first.exit_code == 0);
        const fs::path run = s.only_run();
        const auto before = s.sandbox.api_requests();

        const fs::path other_months = s.job("other.toml", 24, 0);
        auto changed = run_rcbatch(s.args(other_months, {"--resume", run.string()}), s.env);
        CHECK(changed.exit_code == 2);
        CHECK(changed.err.find("parameters changed since the run started") != std::string::npos);

        auto missing =
            run_rcbatch(s.args(job, {"--resume", (s.dir.path / "nowhere").string()}), s.env);
        CHECK(missing.exit_code == 2);
        CHECK(missing.err.find("has no journal.jsonl") != std::string::npos);

        auto with_plan = run_rcbatch(s.args(job, {"--resume", run.string(), "--dry-run"}), s.env);
        CHECK(with_plan.exit_code == 2);

        CHECK(s.sandbox.api_requests() == before);
    }
}

}  // namespace resume_test
