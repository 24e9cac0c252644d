// `rcbatch run` as a user runs it: the examples against --sandbox, and jobs through a
// profile against `rcbatch sandbox` started as a separate process, with their exit codes
// and the report files they leave.

#include "tests/e2e/run/run_e2e_support.hpp"

namespace run_test {

TEST_SUITE("e2e: run") {
    TEST_CASE("every example runs against --sandbox, exit 0, one record per target") {
        TempDir tmp{"rcbatch-e2e-run"};
        int examples = 0;
        for (const auto& e : fs::directory_iterator(source("jobs/examples"))) {
            if (e.path().extension() != ".toml") continue;
            ++examples;
            CAPTURE(e.path().string());
            auto loaded = rcbatch::config::load_job(e.path(), rcbatch::jobs::seen_keys_in_memory);
            REQUIRE(loaded.job.has_value());
            const auto& job = *loaded.job;
            auto r = run_rcbatch({"run", e.path().string(), "--sandbox", "--report-dir",
                                  tmp.path.string(), "--quiet"});
            CAPTURE(r.err);
            CHECK(r.exit_code == 0);
            CHECK(r.err.empty());
            const fs::path dir = run_folder(tmp.path, job.name);
            const Reports reports = read_reports(dir);
            // The targets the job names, counted here; a search's are those it fixed in
            // targets.jsonl before the run (the selection phase).
            const std::size_t selected = count_lines(slurp(dir / "targets.jsonl"));
            std::size_t targets = 0;
            switch (job.targets.source) {
                using S = rcbatch::config::Targets::Source;
                case S::order_ids:
                    targets = job.targets.order_ids.size();
                    break;
                case S::domain_names:
                    targets = job.targets.domain_names.size();
                    break;
                case S::file:
                    targets = count_targets_in(job.targets.file);
                    break;
                case S::none:
                    targets = 8;
                    break;  // plan.details: four plans per Acronis product
                case S::search:
                    targets = selected;
                    break;
            }
            REQUIRE(targets > 0);
            if (job.targets.source != rcbatch::config::Targets::Source::none)
                CHECK(selected == targets);
            check_one_record_per_target(reports, targets);
            CHECK(reports.count("ok") > 0);
            CHECK(reports.count("ok") + reports.count("skipped") ==
                  targets);  // skipped: preflight said no
            CHECK(reports.summary.at("stop_reason").as_string() == "none");
        }
        CHECK(examples >= 4);
    }

    TEST_CASE(
        "a profile against `rcbatch sandbox`: all ok is 0, an unknown order id is 1, SIGTERM is "
        "3") {
        TempDir tmp{"rcbatch-e2e-run"};
        const std::uint64_t seed = 5;
        SandboxProcess sb(tmp.path, seed, {"--latency", "50"});
        const auto ids = rcbatch::test::active_us_backups(120, seed);
        const std::string config = profile_file(tmp.path, sb.userid, sb.url, sb.ca_file);
        const std::map<std::string, std::string> env{{"RCBATCH_API_KEY", sb.key}};
        const fs::path reports = tmp.path / "reports";

        SUBCASE("all ok: exit 0") {
            const std::vector<std::int64_t> some(ids.begin(), ids.begin() + 10);
            auto r = run_rcbatch({"run", job_file(tmp.path, "all-ok", "backup.details", some),
                                  "--config", config, "--report-dir", reports.string()},
                                 env);
            CAPTURE(r.err);
            CHECK(r.exit_code == 0);
            const Reports rep = read_reports(run_folder(reports, "all-ok"));
            check_one_record_per_target(rep, some.size());
            CHECK(rep.count("ok") == some.size());
            CHECK(r.err.find("orders     10") != std::string::npos);  // the summary for humans
            check_no_key(sb.key,
                         {r.out, r.err, rep.jsonl, rep.csv, rep.summary_text, rep.every_file});
        }

        SUBCASE("an unknown order id among good ones: exit 1, the API's message in its record") {
            std::vector<std::int64_t> some(ids.begin(), ids.begin() + 5);
            some.push_back(99'999'999);
            auto r = run_rcbatch({"run",
                                  job_file(tmp.path, "one-bad", "backup.renew", some,
                                           "[params]\nmonths = 1\ninvoice-option = \"NoInvoice\"\n"
                                           "auto-renew = false\n"),
                                  "--config", config, "--report-dir", reports.string(), "--quiet"},
                                 env);
            CAPTURE(r.err);
            CHECK(r.exit_code == 1);
            CHECK(count_lines(r.err) == 2);  // --quiet: the failed order's line, the summary line
            CHECK(r.err.starts_with("order 99999999 api_error: "));
            const Reports rep = read_reports(run_folder(reports, "one-bad"));
            check_one_record_per_target(rep, some.size());
            CHECK(rep.count("ok") == 5);
            CHECK(rep.count("api_error") == 1);
            const auto counters = sb.child.counters("backup.renew");
            for (std::size_t i = 0; i < 5; ++i) {
                const auto it = counters.find(std::to_string(some[i]));
                REQUIRE(it != counters.end());
                CHECK(it->second == std::pair<std::uint64_t, std::uint64_t>{1, 1});  // once each
            }
            for (const auto& rec : rep.records)
                if (rec.at("outcome").as_string() == "api_error") {
                    CHECK(rec.at("target").as_string() == "99999999");
                    CHECK(rec.at("message").as_string() ==
                          "No Entity found for Entityid: 99999999");
                    CHECK(rec.at("attempts").to_number<int>() == 1);
                }
            check_no_key(sb.key,
                         {r.out, r.err, rep.jsonl, rep.csv, rep.summary_text, rep.every_file});
        }

        SUBCASE("SIGTERM mid-run: exit 3 and complete reports") {
            const std::string job = job_file(tmp.path, "stopped", "backup.details", ids);
            ChildProcess run(rcbatch_binary(),
                             {"run", job, "--config", config, "--report-dir", reports.string(),
                              "--quiet", "--concurrency", "2"},
                             env);
            // Results are streamed: once a few are on disk, the run is in full swing.
            const auto until = std::chrono::steady_clock::now() + 30s;
            bool busy = false;
            while (!busy && std::chrono::steady_clock::now() < until && !run.wait(0ms)) {
                const fs::path dir = run_folder(reports, "stopped");
                busy = !dir.empty() && count_lines(slurp(dir / "results.jsonl")) >= 4;
                if (!busy) std::this_thread::sleep_for(5ms);  // polling the results file
            }
            REQUIRE_MESSAGE(busy, "the run did not get going: " << run.err());
            run.signal(SIGTERM);
            const auto code = run.wait(30s);
            REQUIRE_MESSAGE(code.has_value(), "rcbatch did not stop after SIGTERM");
            CAPTURE(run.err());
            CHECK(*code == 3);
            const Reports rep = read_reports(run_folder(reports, "stopped"));
            check_one_record_per_target(rep, ids.size());
            CHECK(rep.count("ok") >= 4);
            CHECK(rep.count("not_run") > 0);
            CHECK(rep.count("ok") + rep.count("not_run") == ids.size());
            CHECK(rep.summary.at("stop_reason").as_string() == "interrupted");
            CHECK(run.err().find("interrupted") != std::string::npos);
        }
    }

    TEST_CASE(
        "the API refuses the credentials: exit 3 with one line about the key and the whitelist") {
        TempDir tmp{"rcbatch-e2e-run"};
        const std::uint64_t seed = 6;
        rcbatch::sandbox::Options o;
        o.seed = seed;
        const std::string userid = rcbatch::sandbox::credentials(o).userid;
        SandboxProcess sb(tmp.path, seed, {"--faults", "deny-user=" + userid});
        REQUIRE(sb.userid == userid);
        const auto ids = rcbatch::test::active_us_backups(30, seed);
        const std::string config = profile_file(tmp.path, sb.userid, sb.url, sb.ca_file);
        const fs::path reports = tmp.path / "reports";
        auto r = run_rcbatch({"run", job_file(tmp.path, "denied", "backup.details", ids),
                              "--config", config, "--report-dir", reports.string(), "--quiet"},
                             {{"RCBATCH_API_KEY", sb.key}});
        CAPTURE(r.err);
        CHECK(r.exit_code == 3);
        CHECK(count_lines(r.err) == 2);  // --quiet: the summary line, then the advice
        CHECK(r.err.find("rcbatch: denied (backup.details): 30 orders: fatal ") == 0);
        CHECK(r.err.find("check the API key") != std::string::npos);
        CHECK(r.err.find("whitelist") != std::string::npos);
        const Reports rep = read_reports(run_folder(reports, "denied"));
        check_one_record_per_target(rep, ids.size());
        CHECK(rep.count("fatal") >= 1);
        CHECK(rep.count("fatal") <= 4);
        CHECK(rep.count("fatal") + rep.count("not_run") == ids.size());
        CHECK(sb.child.api_requests() >= 1);
        CHECK(sb.child.api_requests() <= 4);  // the job's concurrency
        check_no_key(sb.key, {r.out, r.err, rep.jsonl, rep.csv, rep.summary_text, rep.every_file});
    }
}

}  // namespace run_test
