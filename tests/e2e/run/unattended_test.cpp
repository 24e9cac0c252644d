// `rcbatch run` as cron and systemd run it: --metrics-file read by the Prometheus client's own
// parser (Debian's python3-prometheus-client), the last success kept across a failed run;
// --max-runtime stopping a run the way SIGINT does (exit 3, then --resume finishes it);
// --jitter and the bad values of both.

#include "sandbox/api/service.hpp"
#include "sandbox/server/options.hpp"
#include "tests/support/files.hpp"
#include "tests/support/run_binary.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/tool.hpp"

#include <boost/json.hpp>

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <sys/stat.h>

namespace unattended_test {

namespace fs = std::filesystem;
namespace json = boost::json;
using rcbatch::test::run_rcbatch;
using rcbatch::test::run_tool;
using rcbatch::test::slurp;
using rcbatch::test::TempDir;

namespace {

const std::string python = "/usr/bin/python3";

// The samples of a textfile as the Prometheus client library parses them: name{labels} -> value.
std::map<std::string, double> parse_metrics(const fs::path& file) {
    const std::string script =
        "import sys\n"
        "from prometheus_client.parser import text_string_to_metric_families\n"
        "for f in text_string_to_metric_families(open(sys.argv[1]).read()):\n"
        "    for s in f.samples:\n"
        "        labels = ','.join(k + '=' + v for k, v in sorted(s.labels.items()))\n"
        "        print(s.name + '{' + labels + '} ' + repr(float(s.value)))\n";
    auto r = run_tool(python, {"-c", script, file.string()});
    CAPTURE(r.err);
    REQUIRE_MESSAGE(r.exit_code == 0, "the metrics file does not parse");
    std::map<std::string, double> samples;
    std::istringstream lines(r.out);
    for (std::string line; std::getline(lines, line);) {
        const auto space = line.rfind(' ');
        samples[line.substr(0, space)] = std::stod(line.substr(space + 1));
    }
    return samples;
}

std::string renew_job(const fs::path& path, const std::string& ids) {
    std::ofstream(path)
        << "name = \"nightly\"\naction = \"backup.renew\"\nregion = \"us\"\n\n[targets]\n"
        << "order-ids = [" << ids << "]\n\n[params]\nmonths = 1\ninvoice-option = \"NoInvoice\"\n"
        << "auto-renew = false\n\n[run]\nconcurrency = 2\nrate = 0.0\n";
    return path.string();
}

std::string active_us_order() {
    rcbatch::sandbox::Service service(rcbatch::sandbox::Options{});
    for (const auto& [id, order] : service.data().orders)
        if (order.reseller_id == service.credentials().userid &&
            order.kind == rcbatch::sandbox::OrderKind::backup && order.region == "us" &&
            order.status == "Active")
            return std::to_string(id);
    FAIL("no active US order in the sandbox");
    return {};
}

}  // namespace

TEST_SUITE("e2e: unattended runs") {
    TEST_CASE("--metrics-file: textfile format, 0644, the last success kept when a run fails") {
        rcbatch::test::require_tool(python, "python3-prometheus-client");
        TempDir tmp{"rcbatch-e2e-metrics"};
        const fs::path metrics = tmp.path / "textfile" / "rcbatch.prom";
        fs::create_directories(metrics.parent_path());
        const std::string id = active_us_order();
        const std::string job = renew_job(tmp.path / "nightly.toml", id);
        auto good = run_rcbatch({"run", job, "--sandbox", "--report-dir", tmp.path.string(),
                                 "--quiet", "--metrics-file", metrics.string()});
        CAPTURE(good.err);
        REQUIRE(good.exit_code == 0);
        struct stat st {};
        REQUIRE(::stat(metrics.c_str(), &st) == 0);
        CHECK((st.st_mode & 0777) == 0644);
        auto m = parse_metrics(metrics);
        CHECK(m.at("rcbatch_last_run_exit_code{job=nightly}") == 0);
        CHECK(m.at("rcbatch_last_run_orders{job=nightly,outcome=ok}") == 1);
        CHECK(m.at("rcbatch_last_run_orders{job=nightly,outcome=api_error}") == 0);
        CHECK(m.at("rcbatch_last_run_duration_seconds{job=nightly}") >= 0);
        const double success = m.at("rcbatch_last_run_success_timestamp_seconds{job=nightly}");
        CHECK(success > 1.7e9);
        CHECK(success == m.at("rcbatch_last_run_timestamp_seconds{job=nightly}"));

        renew_job(tmp.path / "nightly.toml", "99999999");  // the API refuses it: exit 1
        auto bad = run_rcbatch({"run", job, "--sandbox", "--report-dir", tmp.path.string(),
                                "--quiet", "--metrics-file", metrics.string()});
        CHECK(bad.exit_code == 1);
        m = parse_metrics(metrics);
        CHECK(m.at("rcbatch_last_run_exit_code{job=nightly}") == 1);
        CHECK(m.at("rcbatch_last_run_orders{job=nightly,outcome=api_error}") == 1);
        CHECK(m.at("rcbatch_last_run_success_timestamp_seconds{job=nightly}") == success);
        CHECK(m.at("rcbatch_last_run_timestamp_seconds{job=nightly}") >= success);

        // The check of contrib/monitoring reads the same file: a warning for exit 1.
        auto check = run_tool(std::string(RCBATCH_SOURCE_DIR) + "/contrib/monitoring/check_rcbatch",
                              {metrics.string(), "nightly"});
        CHECK(check.exit_code == 1);
        CHECK(check.out.starts_with("WARNING: job nightly"));
        CHECK(run_tool(std::string(RCBATCH_SOURCE_DIR) + "/contrib/monitoring/check_rcbatch",
                       {metrics.string(), "other"})
                  .exit_code == 3);
    }

    TEST_CASE(
        "--max-runtime stops taking orders like SIGINT: exit 3 with the resume command; --resume "
        "ends it") {
        TempDir tmp{"rcbatch-e2e-max-runtime"};
        const std::string job =
            std::string(RCBATCH_SOURCE_DIR) + "/jobs/examples/renew-expiring-backups.toml";
        auto run = run_rcbatch({"run", job, "--sandbox", "--report-dir", tmp.path.string(),
                                "--concurrency", "1", "--max-runtime", "1ms"});
        CAPTURE(run.err);
        REQUIRE(run.exit_code == 3);
        CHECK(run.err.find("interrupted (--max-runtime 1ms reached: no new orders taken)") !=
              std::string::npos);
        // The hint repeats the flags that say where and how, not --max-runtime.
        const std::string prefix = "continue it with: rcbatch run " + job +
                                   " --sandbox --concurrency 1 --report-dir " + tmp.path.string() +
                                   " --resume ";
        const auto hint = run.err.find(prefix);
        REQUIRE(hint != std::string::npos);
        const auto from = hint + prefix.size();
        const std::string dir = run.err.substr(from, run.err.find('\n', from) - from);
        CHECK(fs::exists(fs::path(dir) / "report.html"));
        const json::object summary = json::parse(slurp(fs::path(dir) / "summary.json")).as_object();
        CHECK(summary.at("outcomes").at("not_run").to_number<int>() > 0);

        auto resumed = run_rcbatch(
            {"run", job, "--sandbox", "--resume", dir, "--quiet", "--max-runtime", "1h"});
        CAPTURE(resumed.err);
        CHECK(resumed.exit_code == 0);
    }

    TEST_CASE("--jitter waits before anything is sent; bad durations are exit 2") {
        TempDir tmp{"rcbatch-e2e-jitter"};
        const std::string job = renew_job(tmp.path / "nightly.toml", active_us_order());
        auto run = run_rcbatch(
            {"run", job, "--sandbox", "--report-dir", tmp.path.string(), "--jitter", "5ms"});
        CAPTURE(run.err);
        CHECK(run.exit_code == 0);
        CHECK(run.err.find("rcbatch run: --jitter: starting in") != std::string::npos);
        for (const auto& args : std::vector<std::vector<std::string>>{{"--jitter", "25h"},
                                                                      {"--jitter", "soon"},
                                                                      {"--max-runtime", "0s"},
                                                                      {"--max-runtime", "-1h"}}) {
            std::vector<std::string> all{"run", job, "--sandbox"};
            all.insert(all.end(), args.begin(), args.end());
            auto bad = run_rcbatch(all);
            CAPTURE(args[0] + " " + args[1]);
            CHECK(bad.exit_code == 2);
            CHECK(bad.err.find(args[0]) != std::string::npos);
        }
    }
}

}  // namespace unattended_test
