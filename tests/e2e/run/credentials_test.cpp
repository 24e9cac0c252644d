// A profile's key and CA as a user gets them wrong: one line, exit code, nothing leaked.

#include "tests/e2e/run/run_e2e_support.hpp"

namespace credentials_test {

TEST_SUITE("e2e: run") {
    TEST_CASE("a profile whose key variable is not set: exit 2 with one line, nothing sent") {
        TempDir tmp{"rcbatch-e2e-run"};
        const std::string ca = (tmp.path / "ca.pem").string();
        std::ofstream(ca) << "not used: the run stops before any connection\n";
        const std::string config =
            profile_file(tmp.path, "123456", "https://127.0.0.1:9", ca, "RCBATCH_E2E_NO_SUCH_KEY");
        auto r = run_rcbatch({"run", job_file(tmp.path, "no-key", "backup.details", {1, 2}),
                              "--config", config, "--report-dir", (tmp.path / "reports").string()});
        CAPTURE(r.err);
        CHECK(r.exit_code == 2);
        CHECK(count_lines(r.err) == 1);
        CHECK(r.err.find("RCBATCH_E2E_NO_SUCH_KEY") != std::string::npos);
        CHECK(run_folder(tmp.path / "reports", "no-key").empty());  // no run folder, no results
    }

    TEST_CASE("a CA that is not the server's: a clean failure per order, not a crash") {
        TempDir tmp{"rcbatch-e2e-run"};
        SandboxProcess sb(tmp.path, 8);
        const fs::path other_dir = tmp.path / "other";
        fs::create_directories(other_dir);
        std::string wrong_ca;
        {
            SandboxProcess other(other_dir, 9);
            wrong_ca = other.ca_file;
        }
        REQUIRE(slurp(wrong_ca) != slurp(sb.ca_file));
        const auto ids = rcbatch::test::active_us_backups(12, 8);
        const std::string config = profile_file(tmp.path, sb.userid, sb.url, wrong_ca);
        const fs::path reports = tmp.path / "reports";
        auto r = run_rcbatch({"run",
                              job_file(tmp.path, "wrong-ca", "backup.renew", ids,
                                       "[params]\nmonths = 1\ninvoice-option = \"NoInvoice\"\n"
                                       "auto-renew = false\n"),
                              "--config", config, "--report-dir", reports.string(), "--quiet"},
                             {{"RCBATCH_API_KEY", sb.key}});
        CAPTURE(r.err);
        // A certificate that fails verification is not something a retry fixes: the run stops
        // at the first refusal with one line of advice, the rest are not run. (A renew reads
        // the list prices first: that read is refused, so no order is tried.)
        CHECK(r.exit_code == 3);
        CHECK(count_lines(r.err) == 2);  // --quiet: the summary line, then the advice
        CHECK(r.err.find("signed by a CA this machine does not trust") != std::string::npos);
        CHECK(r.err.find("ca-file") != std::string::npos);
        const Reports rep = read_reports(run_folder(reports, "wrong-ca"));
        check_one_record_per_target(rep, ids.size());
        CHECK(rep.count("fatal") <= 4);
        CHECK(rep.count("fatal") + rep.count("not_run") == ids.size());
        for (const auto& rec : rep.records) {
            CAPTURE(json::serialize(rec));
            CHECK(rec.at("http_status").to_number<int>() == 0);
            if (rec.at("outcome").as_string() == "fatal") {
                CHECK(rec.at("attempts").to_number<int>() == 1);
                CHECK(std::string(rec.at("message").as_string()).find("does not trust") !=
                      std::string::npos);
            }
        }
        CHECK(sb.child.api_requests() == 0);  // no request got past the handshake
        check_no_key(sb.key, {r.out, r.err, rep.jsonl, rep.csv, rep.summary_text, rep.every_file});
    }
}

}  // namespace credentials_test
