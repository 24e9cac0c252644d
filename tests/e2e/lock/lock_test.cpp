// Two runs of one job on one account never overlap, whatever their report folders: the lock
// is in the state directory, keyed by account and job. The second exits 4 at once, naming
// the holder; after the first dies (even by SIGKILL) a new run proceeds.

#include "tests/support/child_process.hpp"
#include "tests/support/run_binary.hpp"
#include "tests/support/sandbox_child.hpp"

#include <doctest/doctest.h>

#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <thread>
#include <unistd.h>

namespace lock_test {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using rcbatch::test::ChildProcess;
using rcbatch::test::run_rcbatch;

namespace {
// Waits until a lock file of `job` in the state directory names a holder (the run has
// started), within `limit`.
bool wait_for_lock(const std::string& job, std::chrono::milliseconds limit) {
    const fs::path locks = fs::path(std::getenv("RCBATCH_STATE_DIR")) / "locks";
    const auto until = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < until) {
        std::error_code ec;
        for (const auto& account : fs::directory_iterator(locks, ec)) {
            std::ifstream in(account.path() / job / ".lock");
            std::string text;
            if (std::getline(in, text) && text.rfind("pid ", 0) == 0) return true;
        }
        std::this_thread::sleep_for(20ms);
    }
    return false;
}
}  // namespace

TEST_SUITE("e2e: job lock") {
    TEST_CASE(
        "a second run of a job exits 4 while the first runs; after a SIGKILL a new run proceeds") {
        const fs::path dir =
            fs::temp_directory_path() / ("rcbatch-e2e-lock-" + std::to_string(::getpid()));
        fs::remove_all(dir);
        fs::create_directories(dir);
        const fs::path slow = dir / "slow.toml";
        std::ofstream(slow)
            << "name = \"locked-job\"\naction = \"backup.details\"\nregion = \"us\"\n"
               "[targets]\nsearch = { status = [\"Active\"] }\n[run]\nrate = 2.0\n";
        const fs::path quick = dir / "quick.toml";
        std::ofstream(quick) << "name = \"locked-job\"\naction = \"plan.details\"\n";
        rcbatch::test::SandboxChild sb((dir / "ca.pem").string(), {});
        const std::string config = sb.write_profile(dir / "profiles.toml", "test", "test").string();
        const std::map<std::string, std::string> env{{"RCBATCH_API_KEY", sb.api_key}};
        // Each run its own report folder: the lock does not live there.
        auto args = [&](const std::string& command, const fs::path& job,
                        const std::string& reports) {
            return std::vector<std::string>{command,
                                            job.string(),
                                            "--config",
                                            config,
                                            "--quiet",
                                            "--report-dir",
                                            (dir / reports).string()};
        };

        ChildProcess first(rcbatch::test::rcbatch_binary(), args("run", slow, "reports-a"), env);
        REQUIRE(wait_for_lock("locked-job", 20s));

        auto second = run_rcbatch(args("run", quick, "reports-b"), env);
        CAPTURE(second.err);
        CHECK(second.exit_code == 4);
        CHECK(second.err.find("already running (pid " + std::to_string(first.pid())) !=
              std::string::npos);

        // `rcbatch report` sees the run going on (its lock is held) and leaves its folder alone.
        fs::path running;
        for (int i = 0; i < 500 && !fs::exists(running / "journal.jsonl"); ++i) {
            std::error_code ec;
            for (const auto& e : fs::directory_iterator(dir / "reports-a" / "locked-job", ec))
                running = e.path();
            std::this_thread::sleep_for(20ms);
        }
        REQUIRE(fs::exists(running / "journal.jsonl"));
        auto report = run_rcbatch({"report", running.string()}, env);
        CAPTURE(report.out);
        CHECK(report.out.find("holds its lock") != std::string::npos);
        CHECK_FALSE(fs::exists(running / "summary.json"));

        // A plan changes nothing and is not locked out.
        auto plan = run_rcbatch(args("plan", quick, "reports-c"), env);
        CHECK(plan.exit_code == 0);

        first.signal(SIGKILL);
        REQUIRE(first.wait(10s).has_value());
        auto third = run_rcbatch(args("run", quick, "reports-b"), env);
        CAPTURE(third.err);
        CHECK(third.exit_code == 0);
        fs::remove_all(dir);
    }
}

}  // namespace lock_test
