// The binary as a user runs it: help, version, validate and actions, with their exit codes.

#include "tests/support/run_binary.hpp"

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace cli_test {

namespace fs = std::filesystem;
using rcbatch::test::run_rcbatch;

namespace {
std::string source(const std::string& relative) {
    return std::string(RCBATCH_SOURCE_DIR) + "/" + relative;
}

int count_lines(const std::string& text) {
    int n = 0;
    for (char c : text) n += c == '\n';
    return n;
}
}  // namespace

TEST_SUITE("cli") {
    TEST_CASE("--help and --version") {
        auto help = run_rcbatch({"--help"});
        CHECK(help.exit_code == 0);
        CHECK(help.out.find("validate") != std::string::npos);
        CHECK(help.out.find("exit codes") != std::string::npos);
        auto version = run_rcbatch({"--version"});
        CHECK(version.exit_code == 0);
        CHECK(version.out.rfind("rcbatch ", 0) == 0);
        auto sub = run_rcbatch({"validate", "--help"});
        CHECK(sub.exit_code == 0);
        CHECK(sub.out.find("usage: rcbatch validate") != std::string::npos);
    }

    TEST_CASE("an unknown command or option is exit 2 with one line") {
        auto r = run_rcbatch({"frobnicate"});
        CHECK(r.exit_code == 2);
        CHECK(count_lines(r.err) == 1);
        auto o = run_rcbatch({"validate", "--frob", source("jobs/examples/plan-details.toml")});
        CHECK(o.exit_code == 2);
        CHECK(count_lines(o.err) == 1);
        auto none = run_rcbatch({"validate"});
        CHECK(none.exit_code == 2);
    }

    TEST_CASE("validate prints ok for every example") {
        std::vector<std::string> args{"validate"};
        int jobs = 0;
        for (const auto& e : fs::directory_iterator(source("jobs/examples")))
            if (e.path().extension() == ".toml") {
                args.push_back(e.path().string());
                ++jobs;
            }
        // validate reads the key as plan and run do: the example profile takes it from here.
        auto r = run_rcbatch(args, {{"RCBATCH_CONFIG", source("config/rcbatch.example.toml")},
                                    {"RCBATCH_API_KEY", "ExampleKeyAbcdefGhijkl123456"}});
        CAPTURE(r.err);
        CHECK(r.exit_code == 0);
        CHECK(count_lines(r.out) == jobs);
        CHECK(r.err.empty());
    }

    TEST_CASE("validate gives every bad file a located error and exit 2, never a crash") {
        for (const auto& e : fs::directory_iterator(source("tests/data/bad"))) {
            if (e.path().extension() != ".toml") continue;
            auto r = run_rcbatch({"validate", e.path().string()},
                                 {{"RCBATCH_CONFIG", ""}, {"HOME", "/nonexistent"}});
            CAPTURE(e.path().string());
            CAPTURE(r.err);
            CHECK(r.exit_code == 2);
            CHECK(r.out.empty());
            std::istringstream lines(r.err);
            std::string line;
            while (std::getline(lines, line)) CHECK(line.find(".t") != std::string::npos);
        }
    }

    TEST_CASE("validate checks the profile a job names when a profile file is given") {
        fs::path job = fs::temp_directory_path() / "rcbatch-e2e-profile-job.toml";
        { std::ofstream(job) << "name = \"x\"\naction = \"plan.details\"\nprofile = \"nope\"\n"; }
        auto r = run_rcbatch(
            {"validate", "--config", source("config/rcbatch.example.toml"), job.string()});
        CHECK(r.exit_code == 2);
        CHECK(r.err.find("no profile 'nope'") != std::string::npos);
        fs::remove(job);
    }

    TEST_CASE("validate of a missing file is one located line") {
        auto r = run_rcbatch({"validate", "/no/such/job.toml"});
        CHECK(r.exit_code == 2);
        CHECK(r.err == "/no/such/job.toml: the file does not exist\n");
    }

    TEST_CASE("actions lists all ten with their parameters") {
        auto r = run_rcbatch({"actions"});
        CHECK(r.exit_code == 0);
        for (const char* name : {"nixi.resend", "domain.details", "domain.search", "backup.search",
                                 "backup.details", "backup.renew", "backup.delete",
                                 "backup.auto-login", "backup.install-agent", "plan.details"}) {
            CAPTURE(name);
            const bool listed = r.out.find(std::string("\n") + name + "  ") != std::string::npos ||
                                r.out.rfind(std::string(name) + "  ", 0) == 0;
            CHECK(listed);
        }
        CHECK(r.out.find("COSTS MONEY") != std::string::npos);
        CHECK(r.out.find("invoice-option") != std::string::npos);
        auto one = run_rcbatch({"actions", "backup.renew"});
        CHECK(one.exit_code == 0);
        CHECK(one.out.find("months") != std::string::npos);
        auto bad = run_rcbatch({"actions", "nope"});
        CHECK(bad.exit_code == 2);
    }
}

}  // namespace cli_test
