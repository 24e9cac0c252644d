// The binary given hostile files and arguments: a FIFO, a directory or /dev/zero as the job
// file or --config, a report folder that cannot be made, mistyped commands and actions, and
// help texts that read as rcbatch's own.

#include "tests/e2e/hostile/hostile_fixture.hpp"
#include "tests/support/run_binary.hpp"
#include "tests/support/temp_dir.hpp"

#include <doctest/doctest.h>

#include <sys/stat.h>

namespace files_test {

namespace fs = std::filesystem;
using rcbatch::test::no_profiles;
using rcbatch::test::run_rcbatch;
using rcbatch::test::TempDir;

namespace {
std::string example(const std::string& name) {
    return std::string(RCBATCH_SOURCE_DIR) + "/jobs/examples/" + name;
}
}  // namespace

TEST_SUITE("e2e: hostile files") {
    TEST_CASE("a FIFO, a folder or /dev/zero as the job file: exit 2 at once, one line naming it") {
        TempDir tmp{"rcbatch-e2e-hostile"};
        const fs::path fifo = tmp.path / "job.toml";
        REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);  // nobody writes it: a blocking read would hang
        fs::create_symlink("/dev/zero", tmp.path / "zero.toml");
        struct Case {
            std::string path, cause;
        };
        for (const Case& c :
             std::vector<Case>{{fifo.string(), "is a FIFO"},
                               {tmp.path.string(), "is a directory"},
                               {"/dev/zero", "is a character device"},
                               {(tmp.path / "zero.toml").string(), "is a character device"}}) {
            for (const std::string command : {"validate", "run", "plan"}) {
                auto r = command == "validate"
                             ? run_rcbatch({command, c.path}, no_profiles)
                             : run_rcbatch({command, c.path, "--sandbox"}, no_profiles);
                CAPTURE(command);
                CAPTURE(c.path);
                CAPTURE(r.err);
                CHECK(r.exit_code == 2);
                CHECK(rcbatch::test::count_lines(r.err) == 1);
                CHECK(r.err.rfind(c.path + ": the file " + c.cause, 0) == 0);
            }
        }
    }

    TEST_CASE("--config /dev/zero or a FIFO: exit 2, one line, no hang") {
        TempDir tmp{"rcbatch-e2e-hostile"};
        const fs::path fifo = tmp.path / "config.toml";
        REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
        for (const std::string& config : {std::string("/dev/zero"), fifo.string()}) {
            auto r = run_rcbatch({"validate", example("plan-details.toml"), "--config", config},
                                 no_profiles);
            CAPTURE(r.err);
            CHECK(r.exit_code == 2);
            CHECK(r.err.find(config + ": the file is a") == 0);
            auto run =
                run_rcbatch({"run", example("plan-details.toml"), "--config", config}, no_profiles);
            CHECK(run.exit_code == 2);
            CHECK(run.err.find(config + ": the file is a") == 0);
        }
    }

    TEST_CASE("a report folder that cannot be made: the folder and the cause, not ENOENT") {
        TempDir tmp{"rcbatch-e2e-hostile"};
        const fs::path file = tmp.path / "a-file";
        std::ofstream(file) << "x";
        auto r = run_rcbatch({"run", example("plan-details.toml"), "--sandbox", "--report-dir",
                              (file / "reports").string()},
                             no_profiles);
        CAPTURE(r.err);
        CHECK(r.exit_code != 0);
        CHECK(rcbatch::test::count_lines(r.err) == 1);
        CHECK(r.err.find((file / "reports").string()) != std::string::npos);
        CHECK(r.err.find("Not a directory") != std::string::npos);
        CHECK(r.err.find("No such file") == std::string::npos);
    }

    TEST_CASE("a mistyped command or action gets the near name") {
        auto r = run_rcbatch({"runn", "x.toml"});
        CHECK(r.exit_code == 2);
        CHECK(r.err.find("unknown command 'runn' (did you mean 'run'?)") != std::string::npos);
        auto a = run_rcbatch({"actions", "backup.renw"});
        CHECK(a.exit_code == 2);
        CHECK(a.err.find("unknown action 'backup.renw' (did you mean 'backup.renew'?)") !=
              std::string::npos);
        auto e = run_rcbatch({"runn\x1b[2J"});
        CHECK(e.err.find("\x1b") == std::string::npos);  // echoed escaped
    }

    TEST_CASE("help texts read as rcbatch's own; plan --help offers no --live") {
        for (const char* command : {"run", "plan", "validate", "report", "actions", "sandbox"}) {
            auto r = run_rcbatch({command, "--help"});
            CAPTURE(command);
            CAPTURE(r.out);
            CHECK(r.exit_code == 0);
            CHECK(r.out.find(" arg") == std::string::npos);
            CHECK(r.out.find("[ --") == std::string::npos);
            CHECK(r.out.find("-h, --help") != std::string::npos);
        }
        auto run = run_rcbatch({"run", "--help"});
        CHECK(run.out.find("--report-dir DIR") != std::string::npos);
        CHECK(run.out.find("--resume RUN_DIR") != std::string::npos);
        CHECK(run.out.find("--live") != std::string::npos);
        CHECK(run.out.find("--job") == std::string::npos);  // the positional JOB.toml
        auto plan = run_rcbatch({"plan", "--help"});
        CHECK(plan.out.find("--live") == std::string::npos);
        CHECK(run_rcbatch({"plan", example("plan-details.toml"), "--live"}).exit_code == 2);
    }

    TEST_CASE("validate: a search status the API does not know is exit 2 with the near one") {
        TempDir tmp{"rcbatch-e2e-hostile"};
        const fs::path job = tmp.path / "renew.toml";
        std::ofstream(job)
            << "name = \"renew\"\naction = \"backup.renew\"\nregion = \"us\"\n"
            << "[targets]\nsearch = { status = [\"active\"], expires-within = \"30d\" }\n"
            << "[params]\nmonths = 1\ninvoice-option = \"NoInvoice\"\n";
        auto r = run_rcbatch({"validate", job.string()}, no_profiles);
        CAPTURE(r.err);
        CHECK(r.exit_code == 2);
        CHECK(r.err.find(job.string() + ":5:") == 0);
        CHECK(r.err.find("(did you mean 'Active'?)") != std::string::npos);
    }
}

}  // namespace files_test
