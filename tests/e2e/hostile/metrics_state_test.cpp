// --metrics-file and the state directory against the built binary (README "Hostile files",
// "The state directory and the ledger"): a metrics path that cannot be written is refused
// before anything is sent (exit 2, one line) and one that fails at the end makes the run exit
// 1; a state directory others can write, one of another owner or a relative one is refused
// with the command that fixes it; a corrupt ledger says how to recover it in place.

#include "tests/e2e/hostile/hostile_fixture.hpp"
#include "tests/support/child_process.hpp"
#include "tests/support/planted_files.hpp"
#include "tests/support/run_binary.hpp"
#include "tests/support/temp_dir.hpp"

#include <doctest/doctest.h>

#include <sys/stat.h>
#include <unistd.h>

namespace metrics_state_test {

namespace fs = std::filesystem;
using rcbatch::test::run_rcbatch;
using rcbatch::test::TempDir;

namespace {
std::map<std::string, std::string> env_with_state(const fs::path& state) {
    return {
        {"RCBATCH_CONFIG", ""}, {"HOME", "/nonexistent"}, {"RCBATCH_STATE_DIR", state.string()}};
}

// `rcbatch run` of a read-only job of two orders against the in-process sandbox, with `extra`
// arguments; a run still going at the deadline (a FIFO's hang) is killed and fails the test.
rcbatch::test::RunResult run_details(const TempDir& tmp, const std::vector<std::string>& extra,
                                     const std::map<std::string, std::string>& env) {
    std::vector<std::string> args{
        "run",
        rcbatch::test::details_job(tmp.path, "nightly", rcbatch::test::active_us_backups(2)),
        "--sandbox",
        "--quiet",
        "--report-dir",
        (tmp.path / "reports").string()};
    args.insert(args.end(), extra.begin(), extra.end());
    rcbatch::test::ChildProcess child(rcbatch::test::rcbatch_binary(), args, env);
    const std::optional<int> code = child.wait(std::chrono::seconds(120));
    REQUIRE_MESSAGE(code.has_value(), "rcbatch hung");
    return {*code, child.rest_of_out(), child.err()};
}
}  // namespace

TEST_SUITE("e2e: metrics file and state directory") {
    TEST_CASE("--metrics-file that cannot be written: exit 2 before the run, one line, no run") {
        TempDir tmp{"rcbatch-e2e-metrics"};
        const auto env = env_with_state(tmp.path / "state");
        rcbatch::test::write_text(tmp.path / "victim", "keep");
        fs::create_symlink(tmp.path / "victim", tmp.path / "link.prom");
        REQUIRE(rcbatch::test::fifo(tmp.path / "fifo.prom"));
        struct Case {
            fs::path path;
            std::string cause;
        };
        std::vector<Case> cases{
            {tmp.path / "fifo.prom", "the file is a FIFO"},
            {tmp.path / "link.prom", "the file is a symbolic link"},
            {tmp.path / "no-such-folder" / "r.prom",
             "its folder " + (tmp.path / "no-such-folder").string() + " does not exist"}};
        if (rcbatch::test::device_node(tmp.path / "null", 3))  // what /dev/null is
            cases.push_back({tmp.path / "null", "the file is a character device"});
        else
            MESSAGE("mknod refused (not root): the device-node case is left out");
        for (const Case& c : cases) {
            CAPTURE(c.path);
            const auto r = run_details(tmp, {"--metrics-file", c.path.string()}, env);
            CAPTURE(r.err);
            CHECK(r.exit_code == 2);
            CHECK(rcbatch::test::count_lines(r.err) == 1);
            CHECK(r.err.find("--metrics-file " + c.path.string() + ": " + c.cause) !=
                  std::string::npos);
            CHECK_FALSE(fs::exists(tmp.path / "reports"));  // refused before the run
        }
        CHECK(rcbatch::test::slurp(tmp.path / "victim") == "keep");
        CHECK(rcbatch::test::is_char_device(tmp.path / "null") ==
              fs::exists(fs::symlink_status(tmp.path / "null")));
    }

    TEST_CASE("--metrics-file that fails at the end: the run's files are written, exit 1") {
        TempDir tmp{"rcbatch-e2e-metrics"};
        // A regular file of one's own passes the check; at 1 GiB (sparse) it is over the cap
        // for reading back, so the write fails at the end.
        rcbatch::test::sparse_file(tmp.path / "huge.prom", 1ull << 30);
        const auto r = run_details(tmp, {"--metrics-file", (tmp.path / "huge.prom").string()},
                                   env_with_state(tmp.path / "state"));
        CAPTURE(r.err);
        CHECK(r.exit_code == 1);
        CHECK(r.err.find("--metrics-file: cannot read " + (tmp.path / "huge.prom").string() +
                         ": the file is larger than the 16 MiB limit") != std::string::npos);
        const fs::path dir = rcbatch::test::only_run_folder(tmp.path / "reports", "nightly");
        CHECK(fs::exists(dir / "summary.json"));
    }

    TEST_CASE("a state directory every user can write, or a relative one: exit 2 with the fix") {
        TempDir tmp{"rcbatch-e2e-state"};
        const fs::path state = tmp.path / "state";
        fs::create_directory(state);
        ::chmod(state.c_str(), 0777);
        const auto open = run_details(tmp, {}, env_with_state(state));
        CHECK(open.exit_code == 2);
        CHECK(rcbatch::test::count_lines(open.err) == 1);
        CHECK(open.err.find("can be written by every user (mode 0777)") != std::string::npos);
        CHECK(open.err.find("run: chmod o-w " + state.string()) != std::string::npos);
        CHECK_FALSE(fs::exists(state / "ledger.sqlite"));
        for (const char* command : {"runs", "history"}) {
            auto r = run_rcbatch(command == std::string("runs")
                                     ? std::vector<std::string>{"runs"}
                                     : std::vector<std::string>{"history", "91234567"},
                                 env_with_state(state));
            CAPTURE(command);
            CHECK(r.exit_code != 0);
            CHECK(r.err.find("chmod o-w") != std::string::npos);
        }

        ::chmod(state.c_str(), 02770);  // the shared directory's mode: usable
        CHECK(run_details(tmp, {}, env_with_state(state)).exit_code == 0);

        const auto relative = run_details(tmp, {}, env_with_state("state"));
        CHECK(relative.exit_code == 2);
        CHECK(relative.err.find("RCBATCH_STATE_DIR=state is a relative path") != std::string::npos);
        CHECK_FALSE(fs::exists(fs::current_path() / "state"));
    }

    TEST_CASE("a state directory of another owner is refused; root's shared one is not") {
        if (::geteuid() != 0) {
            MESSAGE("not root: a folder of another owner cannot be made here");
            return;
        }
        TempDir tmp{"rcbatch-e2e-state"};
        const fs::path state = tmp.path / "state";
        fs::create_directory(state);
        REQUIRE(::chown(state.c_str(), 4321, 4321) == 0);
        const auto r = run_details(tmp, {}, env_with_state(state));
        CAPTURE(r.err);
        CHECK(r.exit_code == 2);
        CHECK(r.err.find("belongs to uid 4321") != std::string::npos);
        CHECK(r.err.find("chown root " + state.string()) != std::string::npos);
    }

    TEST_CASE("a corrupt ledger: nothing sent, and how to recover it without losing the guard") {
        TempDir tmp{"rcbatch-e2e-state"};
        const fs::path state = tmp.path / "state";
        fs::create_directory(state);
        rcbatch::test::write_text(state / "ledger.sqlite", std::string(4096, 'x'));
        const auto r = run_details(tmp, {}, env_with_state(state));
        CAPTURE(r.err);
        CHECK(r.exit_code == 3);
        CHECK(r.err.find("nothing was sent") != std::string::npos);
        CHECK(r.err.find("set RCBATCH_STATE_DIR to a writable folder") == std::string::npos);
        CHECK(r.err.find("Keep this state directory") != std::string::npos);
        CHECK(r.err.find("sqlite3 ledger.sqlite .dump > ledger.sql") != std::string::npos);
        CHECK(rcbatch::test::slurp(state / "ledger.sqlite") == std::string(4096, 'x'));
    }
}

}  // namespace metrics_state_test
