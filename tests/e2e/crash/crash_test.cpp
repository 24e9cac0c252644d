// The crash test of the exactly-once issue: a renew job over a few thousand orders against
// `rcbatch sandbox` (a separate process, so its state outlives the client), killed with
// SIGKILL at 20 random moments and resumed each time — through DIR, DIR/ (a trailing slash,
// as tab completion writes it) and a symlink to DIR in turn, which must all be the same run
// (issue #19); then the sandbox's counters and the run folder must show every order applied
// exactly once, none skipped "in doubt", and exactly one final result per order.

#include "engine/store/journal_scan.hpp"
#include "jobs/state/ledger.hpp"
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

namespace crash_test {

namespace fs = std::filesystem;
namespace json = boost::json;
using namespace std::chrono_literals;
using rcbatch::test::ChildProcess;
using rcbatch::test::SandboxChild;
using rcbatch::test::TempDir;
using rcbatch::test::text_of;

namespace {

constexpr const char* job_name = "crash-renew";

fs::path journaled_run(const fs::path& reports) {
    return rcbatch::test::crash::journaled_run(reports, job_name);
}

using rcbatch::test::crash::jsonl;

}  // namespace

TEST_SUITE("e2e: crash and resume") {
    TEST_CASE(
        "SIGKILL at 20 random moments, resumed as DIR, DIR/ and a symlink: every order applied "
        "exactly once, none lost or skipped in doubt") {
        TempDir dir("rcbatch-e2e-crash");
        // Answers lost after the renew was applied, and refusals, on top of the kills.
        SandboxChild sandbox(
            (dir.path / "ca.pem").string(),
            {"--orders", "2500", "--latency", "3", "--faults", "close-after=0.03,429=0.03"});
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
        std::uniform_int_distribution<int> moment_ms(50, 700);

        // The run folder as a resume names it, in turn: DIR, DIR/, a symlink to DIR.
        const fs::path link = dir.path / "latest-run";
        auto named = [&](const fs::path& run, int round) {
            if (round % 3 == 0) return run.string();
            if (round % 3 == 1) return run.string() + "/";
            if (!fs::is_symlink(link)) fs::create_directory_symlink(run, link);
            return link.string();
        };

        rcbatch::test::crash::kill_rounds(job, reports, job_name, common, env, 20, moment_ms, rng,
                                          named);

        const fs::path run = journaled_run(reports);
        REQUIRE_FALSE(run.empty());
        std::vector<std::string> args{"run", job.string(), "--resume", run.string() + "/"};
        args.insert(args.end(), common.begin(), common.end());
        auto last = rcbatch::test::run_rcbatch(args, env);
        CAPTURE(last.err);
        CHECK(last.exit_code == 0);
        CHECK(last.err.find(sandbox.api_key) == std::string::npos);
        for (const auto& file : fs::directory_iterator(run)) {
            CAPTURE(file.path());
            CHECK(rcbatch::test::slurp(file.path()).find(sandbox.api_key) == std::string::npos);
        }

        // One final result per target, in the journal and in results.jsonl.
        const auto targets = jsonl(run / "targets.jsonl");
        REQUIRE(targets.size() > 1000);
        const auto scan = rcbatch::engine::scan_journal(run / "journal.jsonl");
        CHECK(scan.targets == targets.size());
        CHECK(scan.final_orders == targets.size());
        CHECK(scan.open_intents.empty());
        CHECK(scan.damaged_lines == 0);
        CHECK(scan.sessions >= 2);  // a kill during the selection leaves no journal to resume
        const auto records = jsonl(run / "results.jsonl");
        CHECK(records.size() == targets.size());
        std::set<std::uint64_t> seqs;
        for (const auto& r : records) seqs.insert(r.at("seq").to_number<std::uint64_t>());
        CHECK(seqs.size() == targets.size());

        // The sandbox's own count: applied at most once everywhere, exactly once when ok.
        const auto counters = sandbox.counters("backup.renew");
        std::map<std::string, int> outcomes;
        std::map<std::string, std::string> example;  // a message of each outcome, for the log
        std::uint64_t ok_applied = 0, from_earlier_session = 0, skipped_in_doubt = 0;
        for (const auto& r : records) {
            skipped_in_doubt += text_of(r.at("outcome")) == "skipped" &&
                                text_of(r.at("message")).find("in doubt") != std::string::npos;
            from_earlier_session +=
                text_of(r.at("message")).find("earlier session") != std::string::npos;
            const std::string order = text_of(r.at("order"));
            const std::string outcome = text_of(r.at("outcome"));
            ++outcomes[outcome];
            example.try_emplace(outcome, text_of(r.at("message")));
            const auto c = counters.find(order);
            const std::uint64_t applied = c == counters.end() ? 0 : c->second.second;
            CAPTURE(order);
            CAPTURE(outcome);
            CAPTURE(text_of(r.at("message")));
            CHECK(applied == 1);
            if (outcome == "ok") ++ok_applied;
        }
        std::uint64_t applied_total = 0;
        for (const auto& [order, c] : counters) {
            CAPTURE(order);
            CHECK(c.second <= 1);
            applied_total += c.second;
        }
        // Every order applied exactly once and reported so; none left to a human, none skipped
        // as "in doubt" by a resume that took itself for another run.
        CHECK(applied_total == targets.size());
        CHECK(ok_applied == targets.size());
        CHECK(skipped_in_doubt == 0);
        // One run in the ledger, whatever path named its folder.
        rcbatch::jobs::Ledger ledger(state);
        CHECK(ledger.runs(std::nullopt, 100).size() == 1);
        MESSAGE(scan.sessions << " sessions; " << from_earlier_session
                              << " orders found applied by a killed session");
        for (const auto& [outcome, n] : outcomes)
            MESSAGE(outcome << ": " << n << " (" << example[outcome] << ")");
        CHECK(outcomes["ok"] == static_cast<int>(targets.size()));
    }
}

}  // namespace crash_test
