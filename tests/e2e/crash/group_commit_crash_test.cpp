// crash_test.cpp for the group commit of claims and intents (issue #23): a renew's claim in the
// ledger and its first intent line share one disk group. A backup.renew job against
// `rcbatch sandbox` (a separate process, so its state outlives each client) is killed with
// SIGKILL at random moments and resumed each time; then no order may have been renewed twice,
// each must end with exactly one result, and every renew the sandbox received must have its
// claim in the ledger and an intent line in the journal: none left before them.

#include "engine/store/journal_scan.hpp"
#include "jobs/state/ledger.hpp"
#include "tests/e2e/crash/crash_support.hpp"
#include "tests/support/run_binary.hpp"
#include "tests/support/sandbox_child.hpp"
#include "tests/support/temp_dir.hpp"

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <set>
#include <utility>

namespace group_commit_crash_test {

namespace fs = std::filesystem;
using rcbatch::test::SandboxChild;
using rcbatch::test::TempDir;
using rcbatch::test::text_of;
using rcbatch::test::crash::jsonl;

namespace {
constexpr const char* job_name = "crash-group-commit";
}  // namespace

TEST_SUITE("e2e: crash and resume with claims and intents in one group") {
    TEST_CASE(
        "SIGKILL at random moments during backup.renew, resumed each time: each order renewed "
        "once, one result each, every renew sent after its claim and its intent") {
        TempDir dir("rcbatch-e2e-group-crash");
        // Refusals, so that retries write intents of their own; lost answers, so that some
        // orders are reconciled and sent again.
        SandboxChild sandbox(
            (dir.path / "ca.pem").string(),
            {"--orders", "1500", "--latency", "3", "--faults", "429=0.05,close-after=0.02"});
        const fs::path profile = sandbox.write_profile(dir.path / "profile.toml");
        // The sandbox applies a renew at once or never: a short settle delay outwaits nothing.
        std::ofstream(profile, std::ios::app) << "reconcile-settle = \"300ms\"\n";
        const fs::path job = dir.path / "job.toml";
        std::ofstream(job)
            << "name = \"" << job_name << "\"\naction = \"backup.renew\"\nregion = \"us\"\n"
            << "[targets]\nsearch = { status = [\"Active\"] }\n"
            << "[params]\nmonths = 12\ninvoice-option = \"NoInvoice\"\nauto-renew = false\n"
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
            job, reports, job_name, common, env, 10, moment_ms, rng,
            [](const fs::path& run, int) { return run.string(); });
        CHECK(rounds.kills > 0);

        const fs::path run = rcbatch::test::crash::journaled_run(reports, job_name);
        REQUIRE_FALSE(run.empty());
        std::vector<std::string> args{"run", job.string(), "--resume", run.string()};
        args.insert(args.end(), common.begin(), common.end());
        const auto last = rcbatch::test::run_rcbatch(args, env);
        CAPTURE(last.err);
        CHECK(last.exit_code == 0);

        // Exactly one final result per target, in the journal and in results.jsonl.
        const auto targets = jsonl(run / "targets.jsonl");
        REQUIRE(targets.size() > 1000);
        const auto scan = rcbatch::engine::scan_journal(run / "journal.jsonl");
        CHECK(scan.final_orders == targets.size());
        CHECK(scan.open_intents.empty());
        CHECK(scan.damaged_lines == 0);
        const auto records = jsonl(run / "results.jsonl");
        CHECK(records.size() == targets.size());
        std::set<std::uint64_t> seqs;
        for (const auto& r : records) seqs.insert(r.at("seq").to_number<std::uint64_t>());
        CHECK(seqs.size() == targets.size());

        // The journal's intent lines by order, every session's; and the results the killed
        // sessions wrote (those before the last session's resume line), for the log.
        std::map<std::string, std::uint64_t> intents;
        std::uint64_t results_before_last = 0, results_since = 0;
        for (const auto& line : jsonl(run / "journal.jsonl")) {
            const std::string type = text_of(line.at("type"));
            if (type == "intent") ++intents[text_of(line.at("order"))];
            if (type == "resume") results_before_last += std::exchange(results_since, 0);
            if (type == "result") ++results_since;
        }

        // The sandbox's counts against the ledger and the journal.
        rcbatch::jobs::Ledger ledger(state);
        const auto runs = ledger.runs(std::nullopt, 10);
        REQUIRE(runs.size() == 1);
        const auto counters = sandbox.counters("backup.renew");
        std::map<std::string, int> outcomes;
        std::uint64_t sent = 0, applied_total = 0;
        for (const auto& r : records) {
            const std::string order = text_of(r.at("order"));
            const std::string outcome = text_of(r.at("outcome"));
            ++outcomes[outcome];
            CAPTURE(order);
            CAPTURE(outcome);
            CAPTURE(text_of(r.at("message")));
            CHECK(outcome == "ok");
            const auto c = counters.find(order);
            CHECK((c == counters.end() ? 0 : c->second.second) == 1);
        }
        for (const auto& [order, c] : counters) {
            CAPTURE(order);
            const auto [received, applied] = c;
            CHECK(applied <= 1);  // never renewed twice
            applied_total += applied;
            sent += received;
            if (received == 0) continue;
            // Each request it received left after its order's claim and an intent line.
            bool claimed = false;
            for (const auto& change : ledger.history(order))
                claimed =
                    claimed || (change.run == runs.front().id && change.action == "backup.renew");
            CHECK(claimed);
            CHECK(intents[order] >= received);
        }
        CHECK(applied_total == targets.size());
        MESSAGE(scan.sessions << " sessions; " << sent << " renews received for " << targets.size()
                              << " orders; " << results_before_last
                              << " results written by the killed sessions");
        for (const auto& [outcome, n] : outcomes) MESSAGE(outcome << ": " << n);
    }
}

}  // namespace group_commit_crash_test
