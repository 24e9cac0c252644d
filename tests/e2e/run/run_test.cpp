// `rcbatch run` as a user runs it: the examples against --sandbox, and jobs through a
// profile against `rcbatch sandbox` started as a separate process, with their exit codes
// and the report files they leave.

#include "tests/support/files.hpp"
#include "config/job.hpp"
#include "sandbox/service.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/child_process.hpp"
#include "tests/support/run_binary.hpp"
#include "tests/support/sandbox_child.hpp"

#include <boost/json.hpp>

#include <doctest/doctest.h>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>
#include <unistd.h>

namespace fs = std::filesystem;
namespace json = boost::json;
using namespace std::chrono_literals;
using rcbatch::test::ChildProcess;
using rcbatch::test::rcbatch_binary;
using rcbatch::test::run_rcbatch;

using rcbatch::test::TempDir;
using rcbatch::test::count_lines;
using rcbatch::test::slurp;

namespace {

std::string source(const std::string& relative) {
    return std::string(RCBATCH_SOURCE_DIR) + "/" + relative;
}

// Targets in a targets file: lines that are not blank or '#' comments, less a CSV's header.
std::size_t count_targets_in(const fs::path& file) {
    std::istringstream lines(slurp(file));
    std::string line;
    std::size_t n = 0;
    while (std::getline(lines, line))
        n += line.find_first_not_of(" \t\r") != std::string::npos &&
             line[line.find_first_not_of(" \t")] != '#';
    return file.extension() == ".csv" && n > 0 ? n - 1 : n;
}

// The one run folder under <reports>/<job>/, or an empty path.
fs::path run_folder(const fs::path& reports, const std::string& job) {
    fs::path found;
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(reports / job, ec)) {
        if (!e.is_directory()) continue;  // the job's .lock
        if (!found.empty()) return {};    // more than one
        found = e.path();
    }
    return found;
}

struct Reports {
    std::vector<json::object> records;
    std::string jsonl, csv, summary_text;
    std::string every_file;  // everything in the run folder
    json::object summary;
    std::size_t csv_rows = 0;  // without the header
    std::size_t count(std::string_view outcome) const {
        std::size_t n = 0;
        for (const auto& r : records) n += r.at("outcome").as_string() == outcome;
        return n;
    }
};

Reports read_reports(const fs::path& dir) {
    Reports r;
    REQUIRE_MESSAGE(!dir.empty(), "no single run folder");
    r.jsonl = slurp(dir / "results.jsonl");
    r.csv = slurp(dir / "results.csv");
    r.summary_text = slurp(dir / "summary.json");
    for (const auto& file : fs::directory_iterator(dir)) r.every_file += slurp(file.path());
    std::istringstream lines(r.jsonl);
    std::string line;
    while (std::getline(lines, line)) r.records.push_back(json::parse(line).as_object());
    REQUIRE_MESSAGE(!r.summary_text.empty(), "no summary.json in " << dir);
    r.summary = json::parse(r.summary_text).as_object();
    for (std::size_t at = 0; (at = r.csv.find("\r\n", at)) != std::string::npos; at += 2)
        ++r.csv_rows;
    if (r.csv_rows > 0) --r.csv_rows;
    return r;
}

void check_one_record_per_target(const Reports& r, std::size_t targets) {
    CHECK(r.records.size() == targets);
    CHECK(r.csv_rows == targets);
    CHECK(r.summary.at("orders").to_number<std::size_t>() == targets);
    std::vector<int> seen(targets, 0);
    for (const auto& rec : r.records) {
        const auto seq = rec.at("seq").to_number<std::size_t>();
        REQUIRE(seq < targets);
        ++seen[seq];
    }
    for (std::size_t i = 0; i < targets; ++i) CHECK_MESSAGE(seen[i] == 1, "seq " << i);
}

// `rcbatch sandbox` as a child process on 127.0.0.1:0 (seeded), stopped with SIGTERM at the
// end, which must be a clean stop (exit 0).
struct SandboxProcess {
    SandboxProcess(const fs::path& dir, std::uint64_t seed, std::vector<std::string> extra = {})
        : child((dir / ("ca-" + std::to_string(seed) + ".pem")).string(),
                args(seed, std::move(extra))),
          url(child.url),
          userid(child.userid),
          key(child.api_key),
          ca_file(child.ca_file) {
        REQUIRE(url.starts_with("https://127.0.0.1:"));
    }
    ~SandboxProcess() {
        CHECK_MESSAGE(child.stop() == 0, "rcbatch sandbox did not stop cleanly on SIGTERM");
    }
    static std::vector<std::string> args(std::uint64_t seed, std::vector<std::string> extra) {
        std::vector<std::string> a{"--seed", std::to_string(seed)};
        a.insert(a.end(), extra.begin(), extra.end());
        return a;
    }

    rcbatch::test::SandboxChild child;
    std::string url, userid, key, ca_file;
};

// Active US backup orders of the sandbox a seed makes (the data is deterministic).
std::vector<std::int64_t> active_us_orders(std::uint64_t seed, std::size_t n) {
    rcbatch::sandbox::Options o;
    o.seed = seed;
    rcbatch::sandbox::Service service(o);
    std::vector<std::int64_t> ids;
    for (const auto& [id, order] : service.data().orders)
        if (order.reseller_id == service.credentials().userid &&
            order.kind == rcbatch::sandbox::OrderKind::backup && order.region == "us" &&
            order.status == "Active" && ids.size() < n)
            ids.push_back(static_cast<std::int64_t>(id));
    REQUIRE(ids.size() == n);
    return ids;
}

std::string profile_file(const fs::path& dir, const std::string& userid, const std::string& url,
                         const std::string& ca, const std::string& key_env = "RCBATCH_API_KEY") {
    const fs::path path = dir / "profiles.toml";
    std::ofstream(path) << "[profiles.t]\nenvironment = \"test\"\nauth-userid = " << userid
                        << "\nendpoint = \"" << url << "\"\nca-file = \"" << ca
                        << "\"\napi-key-env = \"" << key_env << "\"\n";
    return path.string();
}

std::string job_file(const fs::path& dir, const std::string& name, const std::string& action,
                     const std::vector<std::int64_t>& ids, const std::string& extra = "") {
    const fs::path path = dir / (name + ".toml");
    std::ofstream out(path);
    out << "name = \"" << name << "\"\naction = \"" << action
        << "\"\nregion = \"us\"\nprofile = \"t\"\n"
        << extra << "\n[targets]\norder-ids = [";
    for (std::size_t i = 0; i < ids.size(); ++i) out << (i ? ", " : "") << ids[i];
    out << "]\n\n[run]\nconcurrency = 4\nrate = 0.0\ntimeout = \"2s\"\n"
        << "retry = { attempts = 3, base = \"10ms\", max = \"100ms\" }\n";
    return path.string();
}

void check_no_key(const std::string& key, const std::vector<std::string>& texts) {
    REQUIRE(!key.empty());
    for (const auto& t : texts) CHECK(t.find(key) == std::string::npos);
}

}  // namespace

TEST_SUITE("e2e: run") {
    TEST_CASE("every example runs against --sandbox, exit 0, one record per target") {
        TempDir tmp{"rcbatch-e2e-run"};
        int examples = 0;
        for (const auto& e : fs::directory_iterator(source("jobs/examples"))) {
            if (e.path().extension() != ".toml") continue;
            ++examples;
            CAPTURE(e.path().string());
            auto loaded = rcbatch::config::load_job(e.path());
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
        const auto ids = active_us_orders(seed, 120);
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
        const auto ids = active_us_orders(seed, 30);
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
        const auto ids = active_us_orders(8, 12);
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
        // at the first refusal with one line of advice, the rest are not run.
        CHECK(r.exit_code == 3);
        CHECK(count_lines(r.err) == 2);  // --quiet: the summary line, then the advice
        CHECK(r.err.find("signed by a CA this machine does not trust") != std::string::npos);
        CHECK(r.err.find("ca-file") != std::string::npos);
        const Reports rep = read_reports(run_folder(reports, "wrong-ca"));
        check_one_record_per_target(rep, ids.size());
        CHECK(rep.count("fatal") >= 1);
        CHECK(rep.count("fatal") <= 4);
        CHECK(rep.count("fatal") + rep.count("not_run") == ids.size());
        for (const auto& rec : rep.records) {
            CAPTURE(json::serialize(rec));
            CHECK(rec.at("http_status").to_number<int>() == 0);
            if (rec.at("outcome").as_string() == "fatal") {
                CHECK(rec.at("attempts").to_number<int>() == 1);
                CHECK(
                    std::string(rec.at("message").as_string()).find("does not trust") !=
                    std::string::npos);
            }
        }
        CHECK(sb.child.api_requests() == 0);  // no request got past the handshake
        check_no_key(sb.key, {r.out, r.err, rep.jsonl, rep.csv, rep.summary_text, rep.every_file});
    }
}
