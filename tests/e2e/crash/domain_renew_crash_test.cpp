// crash_test.cpp for domain.renew, the charged action with a fence: a renew job over a thousand
// domains against `rcbatch sandbox` (a separate process, so its state outlives each client),
// killed with SIGKILL at random moments and resumed each time with --resume; answers lost after
// the renew was applied on top. Then the sandbox's own records must show every domain renewed
// exactly once — one RenewDomain action, one invoice, the expiry moved by exactly one year — and
// the run folder one final result per order, every one ok, none left in doubt.

#include "engine/store/journal_scan.hpp"
#include "sandbox/api/api.hpp"
#include "tests/e2e/crash/crash_support.hpp"
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
#include <map>
#include <random>
#include <set>
#include <sstream>
#include <thread>

namespace domain_renew_crash_test {

namespace fs = std::filesystem;
namespace json = boost::json;
using namespace std::chrono_literals;
using rcbatch::test::ChildProcess;
using rcbatch::test::SandboxChild;
using rcbatch::test::TempDir;
using rcbatch::test::text_of;

namespace {

constexpr const char* job_name = "crash-domain-renew";

fs::path journaled_run(const fs::path& reports) {
    return rcbatch::test::crash::journaled_run(reports, job_name);
}

using rcbatch::test::crash::jsonl;

}  // namespace

TEST_SUITE("e2e: crash and resume of domain.renew") {
    TEST_CASE(
        "SIGKILL at random moments during a domain renew job, resumed each time: every domain "
        "renewed exactly once, by one year") {
        TempDir dir("rcbatch-e2e-domain-crash");
        SandboxChild sandbox((dir.path / "ca.pem").string(),
                             {"--orders", "10", "--domains", "3000", "--latency", "3", "--faults",
                              "close-after=0.03,429=0.03"});
        const fs::path profile = sandbox.write_profile(dir.path / "profile.toml");
        // The sandbox applies a renew at once or never: a short settle delay outwaits nothing.
        std::ofstream(profile, std::ios::app) << "reconcile-settle = \"300ms\"\n";
        const fs::path job = dir.path / "job.toml";
        std::ofstream(job)
            << "name = \"" << job_name << "\"\naction = \"domain.renew\"\n"
            << "[targets]\nsearch = { status = [\"Active\"] }\n"
            << "[params]\nyears = 1\ninvoice-option = \"KeepInvoice\"\nauto-renew = false\n"
            << "[run]\nconcurrency = 16\nrate = 0\nmax-orders = 100000\n"
            << "retry = { attempts = 6, base = \"20ms\", max = \"2s\" }  # the 429s ask for 1 s\n";
        const fs::path reports = dir.path / "reports";
        const fs::path state = dir.path / "state";
        const std::map<std::string, std::string> env{{"RCBATCH_API_KEY", sandbox.api_key},
                                                     {"RCBATCH_STATE_DIR", state.string()}};
        const std::vector<std::string> common{"--config", profile.string(), "--quiet"};

        const unsigned seed = std::random_device{}();
        MESSAGE("kill moments drawn with seed " << seed);
        std::mt19937 rng(seed);
        std::uniform_int_distribution<int> moment_ms(50, 600);

        const auto rounds = rcbatch::test::crash::kill_rounds(
            job, reports, job_name, common, env, 12, moment_ms, rng,
            [](const fs::path& run, int) { return run.string(); });
        CHECK(rounds.kills > 0);

        const fs::path run = journaled_run(reports);
        REQUIRE_FALSE(run.empty());
        std::vector<std::string> args{"run", job.string(), "--resume", run.string()};
        args.insert(args.end(), common.begin(), common.end());
        auto last = rcbatch::test::run_rcbatch(args, env);
        CAPTURE(last.err);
        CHECK(last.exit_code == 0);

        // One final result per target, in the journal and in results.jsonl.
        const auto targets = jsonl(run / "targets.jsonl");
        REQUIRE(targets.size() > 2000);
        const auto scan = rcbatch::engine::scan_journal(run / "journal.jsonl");
        CHECK(scan.targets == targets.size());
        CHECK(scan.final_orders == targets.size());
        CHECK(scan.open_intents.empty());
        CHECK(scan.damaged_lines == 0);
        const auto records = jsonl(run / "results.jsonl");
        CHECK(records.size() == targets.size());
        std::set<std::uint64_t> seqs;
        for (const auto& r : records) seqs.insert(r.at("seq").to_number<std::uint64_t>());
        CHECK(seqs.size() == targets.size());

        // The sandbox's records: one accepted renew, one RenewDomain action and one invoice per
        // domain of the job, and nothing on any other.
        const auto counters = sandbox.counters("domain.renew");
        std::map<std::string, int> actions, invoices;
        const json::object action_list = sandbox.admin("/_sandbox/actions");
        for (const auto& a : action_list.at("actions").as_array())
            if (text_of(a.at("actiontype")) == "RenewDomain") ++actions[text_of(a.at("entityid"))];
        const json::object invoice_list = sandbox.admin("/_sandbox/invoices");
        for (const auto& i : invoice_list.at("invoices").as_array())
            ++invoices[text_of(i.at("orderid"))];
        std::map<std::string, int> outcomes;
        std::map<std::string, std::string> example;
        std::size_t from_earlier_session = 0;
        for (const auto& r : records) {
            const std::string order = text_of(r.at("order"));
            const std::string outcome = text_of(r.at("outcome"));
            ++outcomes[outcome];
            example.try_emplace(outcome, text_of(r.at("message")));
            from_earlier_session +=
                text_of(r.at("message")).find("earlier session") != std::string::npos;
            CAPTURE(order);
            CAPTURE(outcome);
            CAPTURE(text_of(r.at("message")));
            const auto c = counters.find(order);
            CHECK((c == counters.end() ? 0 : c->second.second) == 1);
            CHECK(actions[order] == 1);
            CHECK(invoices[order] == 1);
            CHECK(outcome == "ok");
        }
        std::uint64_t applied_total = 0;
        for (const auto& [order, c] : counters) {
            CAPTURE(order);
            CHECK(c.second <= 1);
            applied_total += c.second;
        }
        CHECK(applied_total == targets.size());
        CHECK(actions.size() == targets.size());

        // The expiry moved by exactly one year from what the first session to send it read (its
        // first intent line's state), for a sample: one admin call each.
        std::map<std::string, std::int64_t> read_before;
        for (const auto& line : jsonl(run / "journal.jsonl")) {
            if (text_of(line.at("type")) != "intent" || !line.contains("state")) continue;
            read_before.try_emplace(text_of(line.at("order")),
                                    std::stoll(text_of(line.at("state").at("endtime"))));
        }
        CHECK(read_before.size() == targets.size());
        std::size_t sampled = 0;
        for (auto it = read_before.begin(); it != read_before.end(); ++it) {
            if (std::distance(read_before.begin(), it) % 40 != 0) continue;
            const std::string& order = it->first;
            CAPTURE(order);
            const json::object now = sandbox.admin("/_sandbox/order?order-id=" + order);
            CHECK(std::stoll(text_of(now.at("endtime"))) ==
                  rcbatch::sandbox::add_months(it->second, 12));
            CHECK(now.at("renewals").to_number<int>() == 1);
            ++sampled;
        }
        CHECK(sampled > 10);

        MESSAGE(scan.sessions << " sessions; " << from_earlier_session
                              << " orders found renewed by a killed session");
        for (const auto& [outcome, n] : outcomes)
            MESSAGE(outcome << ": " << n << " (" << example[outcome] << ")");
    }
}

}  // namespace domain_renew_crash_test
