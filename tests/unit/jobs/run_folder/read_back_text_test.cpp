// `rcbatch report`'s text: the orders a stopped run never ran apart from its failures, and a
// resume hint that is the run's own command line (summary.json "command").

#include "jobs/run_folder/read_back.hpp"
#include "tests/support/temp_dir.hpp"

#include <boost/json.hpp>

#include <doctest/doctest.h>

#include <fstream>

namespace read_back_text_test {

namespace fs = std::filesystem;
namespace json = boost::json;
using rcbatch::test::TempDir;

namespace {
std::string line(json::object o) { return json::serialize(o) + "\n"; }

std::string result(std::uint64_t seq, std::string_view outcome, std::string_view message) {
    const std::string id = std::to_string(91000000 + seq);
    return line({{"type", "result"},
                 {"seq", seq},
                 {"order", id},
                 {"target", id},
                 {"action", "backup.renew"},
                 {"outcome", outcome},
                 {"message", message},
                 {"attempts", 1},
                 {"retries", 0}});
}
}  // namespace

TEST_SUITE("run folder text") {
    TEST_CASE(
        "not_run and cancelled are listed apart from failures; the hint is the run's command") {
        TempDir tmp{"rcbatch-report-text"};
        const fs::path dir = tmp.path / "renew" / "20261130T100000Z";
        fs::create_directories(dir);
        std::ofstream(dir / "journal.jsonl")
            << line({{"type", "run"},
                     {"job", "renew"},
                     {"action", "backup.renew"},
                     {"params", json::object{}},
                     {"targets", 5},
                     {"started", "2026-11-30T10:00:00.000Z"}})
            << result(0, "ok", "") << result(1, "api_error", "Invalid order")
            << result(2, "cancelled", "cancelled: the run was stopped")
            << result(3, "not_run", "not run") << result(4, "not_run", "not run");
        std::ofstream(dir / "summary.json")
            << line({{"job", "renew"},
                     {"action", "backup.renew"},
                     {"stop_reason", "interrupted"},
                     {"dry_run", false},
                     {"command", "rcbatch run 'my jobs/renew.toml' --sandbox"}});
        const auto report = rcbatch::jobs::read_run_folder(dir);
        const std::string text = rcbatch::jobs::report_text(report);
        CAPTURE(text);
        CHECK(text.find("failed     1   not run 3") != std::string::npos);
        CHECK(text.find("failed orders (1):") != std::string::npos);
        CHECK(text.find("Invalid order") != std::string::npos);
        CHECK(text.find("not_run    seq") == std::string::npos);  // not listed as failures
        CHECK(text.find("not run (3): not_run 2, cancelled 1") != std::string::npos);
        CHECK(text.find("continue it with: rcbatch run 'my jobs/renew.toml' --sandbox --resume " +
                        dir.string()) != std::string::npos);
        const json::object j = rcbatch::jobs::report_json(report);
        CHECK(j.at("not_run") == 3);
        CHECK(j.at("resume") ==
              json::value("rcbatch run 'my jobs/renew.toml' --sandbox --resume " + dir.string()));
    }

    TEST_CASE("the resume hint can be pasted: the folder quoted, a forged command not offered") {
        TempDir tmp{"rcbatch-report-text"};
        const fs::path dir = tmp.path / "My Reports" / "r$(touch PWNED)";
        fs::create_directories(dir);
        std::ofstream(dir / "journal.jsonl") << line({{"type", "run"},
                                                      {"job", "renew"},
                                                      {"action", "backup.renew"},
                                                      {"params", json::object{}},
                                                      {"targets", 1},
                                                      {"started", "2026-11-30T10:00:00.000Z"}})
                                             << result(0, "not_run", "not run");
        std::ofstream(dir / "summary.json")
            << line({{"job", "renew"},
                     {"action", "backup.renew"},
                     {"stop_reason", "interrupted"},
                     {"dry_run", false},
                     {"command", "rcbatch run renew.toml\ntouch PWNED2 #"}});
        const auto report = rcbatch::jobs::read_run_folder(dir);
        const std::string quoted = "'" + dir.string() + "'";
        const std::string text = rcbatch::jobs::report_text(report);
        CAPTURE(text);
        CHECK(text.find("continue it with: rcbatch run JOB.toml --resume " + quoted) !=
              std::string::npos);
        CHECK(text.find("PWNED2") == std::string::npos);
        CHECK(rcbatch::jobs::report_json(report).at("resume") ==
              json::value("rcbatch run JOB.toml --resume " + quoted));
    }
}

}  // namespace read_back_text_test
