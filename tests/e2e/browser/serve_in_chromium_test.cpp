// `rcbatch serve` as the support staff see it: real runs against one sandbox, recorded in one
// ledger, their pages rendered by Debian's headless Chromium (--dump-dom: the DOM a person
// sees). A refused order's reason on its run page, an order's history across two runs, a
// search by domain name, a running job's progress moving, and the API key on no page.

#include "tests/support/chromium.hpp"
#include "tests/support/files.hpp"
#include "tests/support/run_binary.hpp"
#include "tests/support/sandbox_child.hpp"
#include "tests/support/sandbox_orders.hpp"
#include "tests/support/serve_child.hpp"
#include "tests/support/temp_dir.hpp"

#include <doctest/doctest.h>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace serve_in_chromium_test {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using rcbatch::test::browser_missing;
using rcbatch::test::chromium;
using rcbatch::test::chromium_args;
using rcbatch::test::run_rcbatch;
using rcbatch::test::run_tool;
using rcbatch::test::SandboxChild;
using rcbatch::test::TempDir;

namespace {

struct Served {
    TempDir tmp{"rcbatch-e2e-serve"};
    int pages = 0;

    // The DOM of `url` after Chromium loaded it.
    std::string dom(const std::string& url) {
        auto r = run_tool(
            chromium,
            chromium_args(tmp.path / ("chromium-" + std::to_string(++pages)), {"--dump-dom", url}));
        CAPTURE(url);
        CAPTURE(r.err);
        REQUIRE(r.exit_code == 0);
        return r.out;
    }
};

// The run numbers the page links to, in page order.
std::vector<std::string> run_links(const std::string& html) {
    std::vector<std::string> out;
    const std::regex link("href=\"/run/([0-9]+)\"");
    for (auto it = std::sregex_iterator(html.begin(), html.end(), link);
         it != std::sregex_iterator(); ++it)
        out.push_back((*it)[1]);
    return out;
}

void write_renew_job(const fs::path& file, const std::string& name,
                     const std::vector<std::int64_t>& ids, const std::string& run_extra = "") {
    std::ofstream out(file);
    out << "name = \"" << name << "\"\naction = \"backup.renew\"\nregion = \"us\"\n"
        << "repeat-guard = \"0s\"  # one order renewed by two jobs in a "
           "row\n\n[targets]\norder-ids = [";
    for (std::size_t i = 0; i < ids.size(); ++i) out << (i ? ", " : "") << ids[i];
    out << "]\n\n[params]\nmonths = 1\ninvoice-option = \"NoInvoice\"\nauto-renew = "
           "false\n\n[run]\n"
           "concurrency = 1\nrate = 0.0\n"
        << run_extra;
}

}  // namespace

TEST_SUITE("e2e: rcbatch serve in Chromium") {
    TEST_CASE(
        "a refused order's reason on its run page, an order's history across two runs, a "
        "search by domain name, and no page holds the key" *
        doctest::skip(browser_missing(chromium))) {
        rcbatch::test::require_tool(chromium, "chromium");
        Served served;
        const fs::path dir = served.tmp.path;
        SandboxChild sandbox((dir / "ca.pem").string(), {});
        const fs::path profile = sandbox.write_profile(dir / "profile.toml");
        const std::map<std::string, std::string> env{
            {"RCBATCH_API_KEY", sandbox.api_key}, {"RCBATCH_STATE_DIR", (dir / "state").string()}};
        const std::vector<std::string> common{"--config", profile.string(), "--quiet",
                                              "--report-dir", (dir / "reports").string()};
        const auto ids = rcbatch::test::active_us_backups(2);
        const auto run = [&](const fs::path& job) {
            std::vector<std::string> args{"run", job.string()};
            args.insert(args.end(), common.begin(), common.end());
            return run_rcbatch(args, env);
        };

        write_renew_job(dir / "nightly.toml", "renew-nightly", {ids[0], 99999999, ids[1]});
        auto first = run(dir / "nightly.toml");
        CAPTURE(first.err);
        REQUIRE(first.exit_code == 1);
        write_renew_job(dir / "again.toml", "renew-again", {ids[0]});
        auto second = run(dir / "again.toml");
        CAPTURE(second.err);
        REQUIRE(second.exit_code == 0);
        std::ofstream(dir / "ns.csv")
            << "domain-name,ns\nlotus602.in,ns1.newdns.example;ns2.newdns.example\n";
        std::ofstream(dir / "ns.toml") << "name = \"migrate-ns\"\naction = \"domain.modify-ns\"\n"
                                          "[targets]\nfile = \"ns.csv\"\n[run]\nconcurrency = 1\n";
        auto third = run(dir / "ns.toml");
        CAPTURE(third.err);
        REQUIRE(third.exit_code == 0);

        auto serve = rcbatch::test::start_serve(env);
        std::vector<std::string> pages;

        // The front page: the three runs, newest first.
        const std::string front = served.dom(serve.url + "/");
        pages.push_back(front);
        CHECK(front.find("renew-nightly") != std::string::npos);
        CHECK(front.find("migrate-ns") != std::string::npos);
        const auto runs = run_links(front);
        REQUIRE(runs.size() == 3);  // newest first: migrate-ns, renew-again, renew-nightly

        // The failed order's reason, with the failures first.
        const std::string nightly = served.dom(serve.url + "/run/" + runs[2]);
        pages.push_back(nightly);
        CHECK(nightly.find("Failed and unknown orders") != std::string::npos);
        const auto attention = nightly.find("id=\"attention\"");
        const auto reason = nightly.find("No Entity found for Entityid: 99999999");
        REQUIRE(attention != std::string::npos);
        CHECK(reason > attention);
        CHECK(nightly.find("failed 1 of 3") != std::string::npos);  // report.html's totals

        // The order renewed by both jobs: both runs on its page.
        const std::string order = served.dom(serve.url + "/order/" + std::to_string(ids[0]));
        pages.push_back(order);
        const auto order_runs = run_links(order);
        CHECK(std::set<std::string>(order_runs.begin(), order_runs.end()) ==
              std::set<std::string>{runs[1], runs[2]});
        CHECK(order.find("renew-again") != std::string::npos);
        CHECK(order.find("renew-nightly") != std::string::npos);

        // The search box, by domain name: the name-server change made under it.
        const std::string found = served.dom(serve.url + "/search?q=lotus602.in");
        pages.push_back(found);
        CHECK(found.find("domain.modify-ns") != std::string::npos);
        CHECK(run_links(found) == std::vector<std::string>{runs[0]});

        // Everything reachable from the front page (one level of links, as a crawler goes).
        const std::regex href("href=\"(/[^\"#]*)");
        std::set<std::string> seen;
        for (auto it = std::sregex_iterator(front.begin(), front.end(), href);
             it != std::sregex_iterator(); ++it)
            if (seen.insert((*it)[1]).second)
                pages.push_back(served.dom(serve.url + std::string((*it)[1])));
        CHECK(seen.size() > 5);
        for (const std::string& page : pages)
            CHECK(page.find(sandbox.api_key) == std::string::npos);
    }

    TEST_CASE("a running job's page shows its progress moving" *
              doctest::skip(browser_missing(chromium))) {
        rcbatch::test::require_tool(chromium, "chromium");
        Served served;
        const fs::path dir = served.tmp.path;
        // Each answer takes a second and the job sends one order at a time: it runs for over 40 s,
        // many times what two looks at its page take even on a busy machine.
        SandboxChild sandbox((dir / "ca.pem").string(), {"--latency", "1000"});
        const fs::path profile = sandbox.write_profile(dir / "profile.toml");
        const std::map<std::string, std::string> env{
            {"RCBATCH_API_KEY", sandbox.api_key}, {"RCBATCH_STATE_DIR", (dir / "state").string()}};
        write_renew_job(dir / "slow.toml", "renew-slowly", rcbatch::test::active_us_backups(40));
        rcbatch::test::ChildProcess job(
            rcbatch::test::rcbatch_binary(),
            {"run", (dir / "slow.toml").string(), "--config", profile.string(), "--quiet",
             "--report-dir", (dir / "reports").string()},
            env);
        auto serve = rcbatch::test::start_serve(env);  // before the ledger exists: it says so
        // The run is in the ledger once it has started.
        std::string running;
        for (int tries = 0; tries < 100 && running.empty(); ++tries) {
            const auto links = run_links(served.dom(serve.url + "/runs?state=running"));
            if (!links.empty()) running = links.front();
        }
        REQUIRE_FALSE(running.empty());
        const std::regex ended("([0-9]+) of 40 orders have ended");
        std::vector<int> seen;
        // Counted, not timed: the page is read until it has shown two different counts.
        for (int reads = 0; reads < 200; ++reads) {
            const std::string page = served.dom(serve.url + "/run/" + running);
            std::smatch m;
            if (!std::regex_search(page, m, ended)) break;  // the run ended meanwhile
            CHECK(page.find("state-running") != std::string::npos);
            const int n = std::stoi(m[1]);
            if (seen.empty() || seen.back() != n) seen.push_back(n);
            if (seen.size() >= 2) break;
        }
        REQUIRE(seen.size() >= 2);
        CHECK(seen[1] > seen[0]);
        // Stopped now (no need to wait for the rest): the page says so and shows no progress.
        job.signal(SIGTERM);
        CHECK(job.wait(120s) == 3);
        const std::string done = served.dom(serve.url + "/run/" + running);
        CHECK(done.find("state-stopped") != std::string::npos);
        CHECK(done.find("have ended") == std::string::npos);
    }
}

}  // namespace serve_in_chromium_test
