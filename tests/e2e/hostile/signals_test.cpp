// Signals and disks: a closed output pipe (`rcbatch run ... 2>&1 | head -1`) must not kill a
// run, SIGHUP stops it like SIGTERM, and a disk that fills (a file-size limit here) is exit 3
// with the command that continues the run, which then finishes it.

#include "tests/e2e/hostile/hostile_fixture.hpp"
#include "tests/support/child_process.hpp"
#include "tests/support/run_binary.hpp"
#include "tests/support/sandbox_child.hpp"
#include "tests/support/temp_dir.hpp"

#include <boost/json/parse.hpp>

#include <doctest/doctest.h>

#include <csignal>
#include <cstdlib>
#include <fcntl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

namespace signals_test {

namespace fs = std::filesystem;
namespace json = boost::json;
using namespace std::chrono_literals;
using rcbatch::test::no_profiles;
using rcbatch::test::run_rcbatch;
using rcbatch::test::slurp;
using rcbatch::test::TempDir;

namespace {
// In a forked child: becomes rcbatch with `args`, no profile file and no HOME.
[[noreturn]] void exec_rcbatch(const std::vector<std::string>& args) {
    ::setenv("HOME", "/nonexistent", 1);
    ::unsetenv("RCBATCH_CONFIG");
    std::vector<std::string> copy{RCBATCH_BINARY};
    copy.insert(copy.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (std::string& a : copy) argv.push_back(a.data());
    argv.push_back(nullptr);
    ::execv(argv[0], argv.data());
    std::_Exit(127);
}

// Starts rcbatch with `args`, stdout and stderr into a pipe; returns the pid and the read end.
std::pair<pid_t, int> start_piped(const std::vector<std::string>& args) {
    int fds[2];
    REQUIRE(::pipe(fds) == 0);
    const pid_t pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
        ::dup2(fds[1], 1);
        ::dup2(fds[1], 2);
        ::close(fds[0]);
        exec_rcbatch(args);
    }
    ::close(fds[1]);
    return {pid, fds[0]};
}

// Runs rcbatch with files limited to `max_bytes` (SIGXFSZ ignored, so a write past it fails
// with EFBIG like a full disk); stderr into `err`.
int run_limited(const std::vector<std::string>& args, rlim_t max_bytes, const fs::path& err) {
    const pid_t pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
        const int fd = ::open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
        ::dup2(fd, 2);
        ::dup2(fd, 1);
        ::signal(SIGXFSZ, SIG_IGN);
        const rlimit limit{max_bytes, max_bytes};
        ::setrlimit(RLIMIT_FSIZE, &limit);
        exec_rcbatch(args);
    }
    int status = 0;
    ::waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

std::string profile(const fs::path& dir, const rcbatch::test::SandboxChild& sb) {
    const fs::path path = dir / "profiles.toml";
    std::ofstream(path) << "[profiles.t]\nenvironment = \"test\"\nauth-userid = " << sb.userid
                        << "\nendpoint = \"" << sb.url << "\"\nca-file = \"" << sb.ca_file
                        << "\"\n";
    return path.string();
}
}  // namespace

TEST_SUITE("e2e: signals and disks") {
    TEST_CASE(
        "a closed output pipe does not stop the run: every order ends, the reports are whole") {
        TempDir tmp{"rcbatch-e2e-signals"};
        std::vector<std::int64_t> ids;
        for (std::int64_t i = 0; i < 300; ++i)
            ids.push_back(99'000'000 + i);  // each a failure line
        const fs::path reports = tmp.path / "reports";
        auto [pid, out] = start_piped({"run", rcbatch::test::details_job(tmp.path, "piped", ids),
                                       "--sandbox", "--report-dir", reports.string()});
        char first[64];
        CHECK(::read(out, first, sizeof first) > 0);  // `| head -c 64`, then the reader goes away
        ::close(out);
        int status = 0;
        ::waitpid(pid, &status, 0);
        REQUIRE_MESSAGE(WIFEXITED(status), "rcbatch died of signal " << WTERMSIG(status));
        CHECK(WEXITSTATUS(status) == 1);
        const fs::path dir = rcbatch::test::only_run_folder(reports, "piped");
        REQUIRE(!dir.empty());
        const json::object summary = json::parse(slurp(dir / "summary.json")).as_object();
        CHECK(summary.at("orders") == ids.size());
        CHECK(summary.at("stop_reason") == "none");
    }

    TEST_CASE("SIGHUP stops a run like SIGTERM, and the pasted hint continues it") {
        TempDir tmp{"rcbatch-e2e-signals"};
        const std::uint64_t seed = 7;
        rcbatch::test::SandboxChild sb((tmp.path / "ca.pem").string(),
                                       {"--seed", std::to_string(seed), "--latency", "40"});
        const auto ids = rcbatch::test::active_us_backups(80, seed);
        const std::string job = rcbatch::test::details_job(tmp.path, "hung-up", ids);
        const std::string config = profile(tmp.path, sb);
        const fs::path reports = tmp.path / "reports";
        const std::vector<std::string> args{
            "run", job, "--config", config, "--report-dir", reports.string(), "--concurrency", "2"};
        rcbatch::test::ChildProcess run(rcbatch::test::rcbatch_binary(), args,
                                        {{"RCBATCH_API_KEY", sb.api_key}});
        const auto until = std::chrono::steady_clock::now() + 30s;
        bool busy = false;
        while (!busy && std::chrono::steady_clock::now() < until && !run.wait(0ms)) {
            const fs::path dir = rcbatch::test::only_run_folder(reports, "hung-up");
            busy = !dir.empty() && rcbatch::test::count_lines(slurp(dir / "results.jsonl")) >= 4;
            if (!busy) std::this_thread::sleep_for(5ms);  // polling the results file
        }
        REQUIRE_MESSAGE(busy, "the run did not get going: " << run.err());
        run.signal(SIGHUP);
        const auto code = run.wait(30s);
        REQUIRE(code.has_value());
        CAPTURE(run.err());
        CHECK(*code == 3);
        CHECK(run.err().find("interrupted (interrupted by SIGHUP)") != std::string::npos);
        const fs::path dir = rcbatch::test::only_run_folder(reports, "hung-up");
        const std::string hint = "continue it with: rcbatch run " + job + " --config " + config +
                                 " --concurrency 2 --report-dir " + reports.string() +
                                 " --resume " + dir.string();
        CHECK(run.err().find(hint) != std::string::npos);
        std::vector<std::string> again(args);
        again.insert(again.end(), {"--resume", dir.string()});
        auto resumed = run_rcbatch(again, {{"RCBATCH_API_KEY", sb.api_key}});
        CAPTURE(resumed.err);
        CHECK(resumed.exit_code == 0);
    }

    TEST_CASE("a disk that fills mid-run: exit 3, the file and the cause, the resume command") {
        TempDir tmp{"rcbatch-e2e-signals"};
        const auto ids = rcbatch::test::active_us_backups(200);
        const std::string job = rcbatch::test::details_job(tmp.path, "full", ids);
        const fs::path reports = tmp.path / "reports";
        const std::vector<std::string> args{"run", job, "--sandbox", "--report-dir",
                                            reports.string()};
        // 64 KiB: the ledger's WAL index alone takes 32 KiB; the journal of 200 orders is larger.
        const int code = run_limited(args, 64 * 1024, tmp.path / "err.txt");
        const std::string err = slurp(tmp.path / "err.txt");
        CAPTURE(err);
        CHECK(code == 3);
        CHECK(err.find("File too large") != std::string::npos);
        const fs::path dir = rcbatch::test::only_run_folder(reports, "full");
        REQUIRE(!dir.empty());
        CHECK(err.find("rcbatch run " + job + " --sandbox --report-dir " + reports.string() +
                       " --resume " + dir.string()) != std::string::npos);
        std::vector<std::string> again(args);
        again.insert(again.end(), {"--resume", dir.string(), "--quiet"});
        auto resumed = run_rcbatch(again, no_profiles);
        CAPTURE(resumed.err);
        CHECK(resumed.exit_code == 0);
        const json::object summary = json::parse(slurp(dir / "summary.json")).as_object();
        CHECK(summary.at("orders") == ids.size());
        CHECK(summary.at("outcomes").at("ok") == ids.size());
    }
}

}  // namespace signals_test
