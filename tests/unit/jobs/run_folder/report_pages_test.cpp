// report.html and results.junit.xml written from a run folder's files alone: at 100,000 orders
// (bounded page, every testcase), with a damaged line, for a plan, and without a summary.

#include "jobs/run_folder/report_pages.hpp"

#include "engine/report/report_writer.hpp"
#include "engine/report/result_record.hpp"
#include "tests/support/files.hpp"
#include "tests/support/temp_dir.hpp"

#include <boost/json/serialize.hpp>

#include <doctest/doctest.h>

#include <cstdio>
#include <fstream>
#include <sys/stat.h>

namespace report_pages_test {

namespace fs = std::filesystem;
using namespace rcbatch;
using rcbatch::test::slurp;
using rcbatch::test::TempDir;

namespace {

std::size_t count_of(const std::string& text, const std::string& what) {
    std::size_t n = 0;
    for (std::size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1))
        ++n;
    return n;
}

// A run folder of `orders` records: every 10th api_error, every 100th unknown, the rest ok.
void make_folder(const fs::path& dir, std::uint64_t orders, const std::string& stem = "results") {
    std::FILE* out = std::fopen((dir / (stem + ".jsonl")).c_str(), "wb");
    REQUIRE(out != nullptr);
    const auto t0 = std::chrono::system_clock::time_point(std::chrono::seconds(1'800'000'000));
    for (std::uint64_t i = 0; i < orders; ++i) {
        engine::OrderResult r;
        r.seq = i;
        r.order_id = std::to_string(50'000'000 + i);
        r.target = r.order_id;
        r.action = "backup.renew";
        r.outcome = i % 100 == 7 ? engine::Outcome::unknown
                                 : (i % 10 == 3 ? engine::Outcome::api_error : engine::Outcome::ok);
        r.message = r.outcome == engine::Outcome::api_error
                        ? "No Entity found for Entityid: " + r.order_id
                        : "";
        r.attempts = 2;
        r.latency = std::chrono::milliseconds(i % 700);
        r.started = t0 + std::chrono::milliseconds(i * 10);
        r.finished = r.started + r.latency;
        const std::string line = boost::json::serialize(engine::to_json(r)) + "\n";
        std::fwrite(line.data(), 1, line.size(), out);
    }
    std::fclose(out);
    std::ofstream(dir / "summary.json")
        << R"({"job":"renew-all","action":"backup.renew","environment":"sandbox",)"
        << R"("account":"sandbox/localhost:1/1","started":"2027-01-15T08:00:00.000Z",)"
        << R"("wall_time_ms":1000000,"retries":0,"stop_reason":"none"})";
}

}  // namespace

TEST_SUITE("run reports") {
    TEST_CASE("100,000 orders: a bounded page, every testcase, files 0600 and no temporary left") {
        TempDir tmp{"rcbatch-run-reports"};
        make_folder(tmp.path, 100'000);
        const jobs::RunReportFiles files = jobs::write_run_reports(tmp.path);
        CHECK(files.records == 100'000);
        CHECK(files.damaged_lines == 0);
        const std::string html = slurp(files.html);
        CHECK(html.size() < 4'000'000);
        CHECK(count_of(html, "<tr data-outcome") == 6000);
        CHECK(count_of(html, "data-outcome=\"unknown\"") == 1000);  // all 1,000 unknown, first
        CHECK(html.find("api_error 10,000") != std::string::npos);
        CHECK(html.find("ok 89,000") != std::string::npos);
        CHECK(html.find("6,000 failed or unknown and 88,000 other orders are left out") !=
              std::string::npos);
        CHECK(html.find("No Entity found for Entityid: 50000003") != std::string::npos);
        CHECK(html.find("Attempts and retries over time") != std::string::npos);
        const std::string junit = slurp(files.junit);
        CHECK(count_of(junit, "<testcase ") == 100'000);
        CHECK(count_of(junit, "<failure ") == 11'000);
        struct stat st {};
        REQUIRE(::stat(files.html.c_str(), &st) == 0);
        CHECK((st.st_mode & 0777) == 0600);
        CHECK_FALSE(fs::exists(tmp.path / "report.html.tmp"));
    }

    TEST_CASE("a damaged line is left out and counted; a plan gets a page and no JUnit") {
        TempDir tmp{"rcbatch-run-reports"};
        make_folder(tmp.path, 20);
        std::ofstream(tmp.path / "results.jsonl", std::ios::app) << "{\"seq\":20,\"outc\n";
        auto files = jobs::write_run_reports(tmp.path);
        CHECK(files.records == 20);
        CHECK(files.damaged_lines == 1);

        TempDir plan{"rcbatch-run-reports"};
        make_folder(plan.path, 5, "plan");
        files = jobs::write_run_reports(plan.path);
        CHECK(files.junit.empty());
        CHECK(fs::exists(plan.path / "report.html"));
        CHECK_FALSE(fs::exists(plan.path / "results.junit.xml"));
    }

    TEST_CASE("retries over time come from the journal's result lines when there is a journal") {
        TempDir tmp{"rcbatch-run-reports"};
        make_folder(tmp.path, 3);
        std::ofstream(tmp.path / "journal.jsonl")
            << "{\"type\":\"header\"}\n"
            << R"({"type":"result","seq":0,"outcome":"ok","attempts":4,"retries":2,"started":"2027-01-15T08:00:00.000Z"})"
            << "\n";
        const std::string html = slurp(jobs::write_run_reports(tmp.path).html);
        CHECK(html.find("2 retries") != std::string::npos);
    }

    TEST_CASE("without summary.json: a one-line error, nothing written") {
        TempDir tmp{"rcbatch-run-reports"};
        make_folder(tmp.path, 3);
        fs::remove(tmp.path / "summary.json");
        CHECK_THROWS_AS(jobs::write_run_reports(tmp.path), engine::ReportError);
        const auto message = jobs::try_write_run_reports(tmp.path);
        REQUIRE(message.has_value());
        CHECK(message->find("summary.json") != std::string::npos);
        CHECK_FALSE(fs::exists(tmp.path / "report.html"));
    }
}

}  // namespace report_pages_test
