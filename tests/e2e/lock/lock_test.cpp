// Two runs of one job never overlap: the second exits 4 at once, naming the holder; after the
// first dies (even by SIGKILL) a new run proceeds.

#include "tests/support/child_process.hpp"
#include "tests/support/run_binary.hpp"

#include <doctest/doctest.h>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <thread>
#include <unistd.h>

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using rcbatch::test::ChildProcess;
using rcbatch::test::run_rcbatch;

namespace {
// Waits until the job's lock file names a holder (the run has started), within `limit`.
bool wait_for_lock(const fs::path& lock_file, std::chrono::milliseconds limit) {
    const auto until = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < until) {
        std::ifstream in(lock_file);
        std::string text;
        if (std::getline(in, text) && text.rfind("pid ", 0) == 0) return true;
        std::this_thread::sleep_for(20ms);
    }
    return false;
}
}  // namespace

TEST_SUITE("e2e: job lock") {
    TEST_CASE("a second run of a job exits 4 while the first runs; after a SIGKILL a new run proceeds") {
        const fs::path dir = fs::temp_directory_path() / ("rcbatch-e2e-lock-" + std::to_string(::getpid()));
        fs::remove_all(dir);
        fs::create_directories(dir);
        const fs::path slow = dir / "slow.toml";
        std::ofstream(slow) << "name = \"locked-job\"\naction = \"backup.details\"\nregion = \"us\"\n"
                               "[targets]\nsearch = { status = [\"Active\"] }\n[run]\nrate = 2.0\n";
        const fs::path quick = dir / "quick.toml";
        std::ofstream(quick) << "name = \"locked-job\"\naction = \"plan.details\"\n";
        const std::string reports = (dir / "reports").string();

        ChildProcess first(rcbatch::test::rcbatch_binary(),
                           {"run", slow.string(), "--sandbox", "--quiet", "--report-dir", reports});
        REQUIRE(wait_for_lock(dir / "reports" / "locked-job" / ".lock", 20s));

        auto second = run_rcbatch({"run", quick.string(), "--sandbox", "--quiet", "--report-dir", reports});
        CAPTURE(second.err);
        CHECK(second.exit_code == 4);
        CHECK(second.err.find("already running (pid " + std::to_string(first.pid())) != std::string::npos);

        // A plan changes nothing and is not locked out.
        auto plan = run_rcbatch({"plan", quick.string(), "--sandbox", "--quiet", "--report-dir", reports});
        CHECK(plan.exit_code == 0);

        first.signal(SIGKILL);
        REQUIRE(first.wait(10s).has_value());
        auto third = run_rcbatch({"run", quick.string(), "--sandbox", "--quiet", "--report-dir", reports});
        CAPTURE(third.err);
        CHECK(third.exit_code == 0);
        fs::remove_all(dir);
    }
}
