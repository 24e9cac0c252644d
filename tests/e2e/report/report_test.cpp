// `rcbatch report RUN_DIR` as a user runs it: over the folder of a renew run against
// --sandbox (the in-process simulator on 127.0.0.1), over the same folder after a simulated
// death (summary.json deleted), over a plan, and over folders that are not run folders.

#include "sandbox/api/service.hpp"
#include "sandbox/server/options.hpp"
#include "tests/support/files.hpp"
#include "tests/support/run_binary.hpp"
#include "tests/support/sandbox_orders.hpp"
#include "tests/support/temp_dir.hpp"

#include <boost/json.hpp>

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace report_test {

namespace fs = std::filesystem;
namespace json = boost::json;
using rcbatch::test::count_lines;
using rcbatch::test::run_folder;
using rcbatch::test::run_rcbatch;
using rcbatch::test::slurp;
using rcbatch::test::TempDir;

namespace {

std::string source(const std::string& relative) {
    return std::string(RCBATCH_SOURCE_DIR) + "/" + relative;
}

// The one run folder under <reports>/<job>/ (the job's .lock aside), or an empty path.
json::object parse_object(const std::string& text) {
    boost::system::error_code ec;
    json::value v = json::parse(text, ec);
    REQUIRE_MESSAGE(!ec, "not JSON: " << text);
    REQUIRE(v.is_object());
    return v.as_object();
}

std::uint64_t number(const json::object& o, std::string_view key) {
    return o.at(key).to_number<std::uint64_t>();
}

// The key --sandbox uses (derived from the default seed): it must never be printed.
std::string sandbox_key() {
    return rcbatch::sandbox::credentials(rcbatch::sandbox::Options{}).api_key;
}

void check_no_key(const std::vector<std::string>& texts) {
    const std::string key = sandbox_key();
    REQUIRE(key.size() >= 16);
    for (const auto& t : texts) CHECK(t.find(key) == std::string::npos);
}

}  // namespace

TEST_SUITE("e2e: report") {
    TEST_CASE(
        "a finished renew run: exit 0 and its counts; after a death: rebuilt, exit 1, the resume "
        "hint") {
        TempDir tmp{"rcbatch-e2e-report"};
        const std::string job = source("jobs/examples/renew-expiring-backups.toml");
        auto run =
            run_rcbatch({"run", job, "--sandbox", "--report-dir", tmp.path.string(), "--quiet"});
        CAPTURE(run.err);
        REQUIRE(run.exit_code == 0);
        const fs::path dir = run_folder(tmp.path, "renew-expiring-backups");
        REQUIRE(!dir.empty());
        const json::object summary = parse_object(slurp(dir / "summary.json"));
        const json::object& outcomes = summary.at("outcomes").as_object();
        const std::uint64_t orders = number(summary, "orders");
        REQUIRE(orders > 0);

        auto text = run_rcbatch({"report", dir.string()});
        CAPTURE(text.out);
        CAPTURE(text.err);
        CHECK(text.exit_code == 0);
        CHECK(text.err.empty());
        CHECK(text.out.find("renew-expiring-backups (backup.renew)") != std::string::npos);
        CHECK(text.out.find("state      finished") != std::string::npos);
        CHECK(text.out.find("ok " + std::to_string(number(outcomes, "ok"))) != std::string::npos);
        CHECK(text.out.find("no result yet 0") != std::string::npos);
        CHECK(text.out.find("--resume") == std::string::npos);

        auto as_json = run_rcbatch({"report", dir.string(), "--json"});
        CHECK(as_json.exit_code == 0);
        const json::object j = parse_object(as_json.out);
        CHECK(j.at("state").as_string() == "finished");
        CHECK(number(j, "orders") == orders);
        CHECK(number(j, "targets") == count_lines(slurp(dir / "targets.jsonl")));
        for (const auto& [name, count] : outcomes) CHECK(j.at("outcomes").at(name) == count);
        CHECK(j.at("exit_code").to_number<int>() == 0);

        // kill -9 after the last result: no summary.json, results.jsonl a line behind the journal.
        const std::string results_before = slurp(dir / "results.jsonl");
        fs::remove(dir / "summary.json");
        {
            std::ofstream cut(dir / "results.jsonl", std::ios::trunc);
            cut << results_before.substr(0,
                                         results_before.rfind('\n', results_before.size() - 2) + 1);
        }
        auto died = run_rcbatch({"report", dir.string()});
        CAPTURE(died.out);
        CHECK(died.exit_code == 1);
        CHECK(died.out.find("state      died") != std::string::npos);
        CHECK(died.out.find("rebuilt results.jsonl, results.csv and summary.json") !=
              std::string::npos);
        const std::string hint =
            "continue it with: rcbatch run JOB.toml --resume " + dir.string() + "\n";
        CHECK(died.out.ends_with(hint));
        CHECK(count_lines(slurp(dir / "results.jsonl")) == orders);  // the lost line is back
        CHECK(count_lines(slurp(dir / "results.csv")) == orders + 1);
        const json::object rebuilt = parse_object(slurp(dir / "summary.json"));
        CHECK(rebuilt.at("complete").as_bool() == false);
        CHECK(rebuilt.at("stop_reason").as_string() == "died");
        CHECK(number(rebuilt, "orders") == orders);

        // A second report changes nothing; a resume writes the reports itself and finishes it.
        const std::string rebuilt_text = slurp(dir / "summary.json");
        auto again = run_rcbatch({"report", dir.string()});
        CHECK(again.exit_code == 1);
        CHECK(again.out.find("rebuilt results") == std::string::npos);
        CHECK(slurp(dir / "summary.json") == rebuilt_text);

        auto resumed = run_rcbatch({"run", job, "--sandbox", "--resume", dir.string(), "--quiet"});
        CAPTURE(resumed.err);
        CHECK(resumed.exit_code == 0);
        auto after = run_rcbatch({"report", dir.string()});
        CAPTURE(after.out);
        CHECK(after.exit_code == 0);
        CHECK(after.out.find("state      finished") != std::string::npos);
        CHECK(after.out.find("resumed 1 time") != std::string::npos);

        check_no_key({run.out, run.err, text.out, text.err, as_json.out, died.out, died.err,
                      again.out, after.out});
    }

    TEST_CASE(
        "a renew with an order the API refuses: exit 1 and the order with the API's message") {
        TempDir tmp{"rcbatch-e2e-report"};
        const auto ids = rcbatch::test::active_us_backups(3);
        const fs::path job = tmp.path / "renew-some.toml";
        std::ofstream(job)
            << "name = \"renew-some\"\naction = \"backup.renew\"\nregion = \"us\"\n\n[targets]\n"
            << "order-ids = [" << ids[0] << ", " << ids[1] << ", 99999999, " << ids[2] << "]\n\n"
            << "[params]\nmonths = 1\ninvoice-option = \"NoInvoice\"\nauto-renew = false\n\n"
            << "[run]\nconcurrency = 2\nrate = 0.0\n";
        auto run = run_rcbatch(
            {"run", job.string(), "--sandbox", "--report-dir", tmp.path.string(), "--quiet"});
        CAPTURE(run.err);
        REQUIRE(run.exit_code == 1);
        const fs::path dir = run_folder(tmp.path, "renew-some");
        REQUIRE(!dir.empty());

        auto r = run_rcbatch({"report", dir.string()});
        CAPTURE(r.out);
        CHECK(r.exit_code == 1);
        CHECK(r.out.find("failed orders (1):") != std::string::npos);
        CHECK(r.out.find("api_error  seq 2  order 99999999  target 99999999  ") !=
              std::string::npos);
        CHECK(r.out.find("--resume") == std::string::npos);  // finished: nothing to continue

        const json::object j = parse_object(run_rcbatch({"report", dir.string(), "--json"}).out);
        REQUIRE(j.at("failures").as_array().size() == 1);
        const json::object& f = j.at("failures").as_array()[0].as_object();
        CHECK(f.at("target").as_string() == "99999999");
        CHECK(f.at("outcome").as_string() == "api_error");
        CHECK_FALSE(f.at("message").as_string().empty());
        check_no_key({run.out, run.err, r.out, r.err});
    }

    TEST_CASE("a plan's folder is reported as a plan, and nothing is written into it") {
        TempDir tmp{"rcbatch-e2e-report"};
        auto plan = run_rcbatch({"plan", source("jobs/examples/renew-expiring-backups.toml"),
                                 "--sandbox", "--report-dir", tmp.path.string(), "--quiet"});
        CAPTURE(plan.err);
        REQUIRE(plan.exit_code == 0);
        const fs::path dir = run_folder(tmp.path, "renew-expiring-backups");
        REQUIRE(!dir.empty());
        auto r = run_rcbatch({"report", dir.string()});
        CAPTURE(r.out);
        CHECK(r.exit_code == 0);
        CHECK(r.out.find(", a plan") != std::string::npos);
        CHECK_FALSE(fs::exists(dir / "results.jsonl"));
        CHECK_FALSE(fs::exists(dir / "journal.jsonl"));
    }

    TEST_CASE("not a run folder: exit 2 and one line naming it") {
        TempDir tmp{"rcbatch-e2e-report"};
        auto missing = run_rcbatch({"report", (tmp.path / "nowhere").string()});
        CHECK(missing.exit_code == 2);
        CHECK(missing.err ==
              "rcbatch report: " + (tmp.path / "nowhere").string() + ": no such folder\n");
        CHECK(missing.out.empty());

        auto empty = run_rcbatch({"report", tmp.path.string()});
        CHECK(empty.exit_code == 2);
        CHECK(empty.err.find("is not a run folder") != std::string::npos);
        CHECK(count_lines(empty.err) == 1);

        const fs::path bad = tmp.path / "job" / "20261127T100000Z";
        fs::create_directories(bad);
        std::ofstream(bad / "journal.jsonl") << "{\"type\":\"result\",\"seq\":0}\n";
        auto damaged = run_rcbatch({"report", bad.string()});
        CHECK(damaged.exit_code == 2);
        CHECK(damaged.err.find((bad / "journal.jsonl").string()) != std::string::npos);
        CHECK(count_lines(damaged.err) == 1);
        CHECK_FALSE(fs::exists(bad / "summary.json"));

        CHECK(run_rcbatch({"report"}).exit_code == 2);
        CHECK(run_rcbatch({"report", "a", "b"}).exit_code == 2);
        auto help = run_rcbatch({"report", "--help"});
        CHECK(help.exit_code == 0);
        CHECK(help.out.find("--json") != std::string::npos);
    }
}

}  // namespace report_test
