// `rcbatch report --html` over a folder whose run died: report.html and results.junit.xml
// rebuilt from the journal. (A page rendered by Chromium: tests/e2e/browser.)

#include "tests/support/files.hpp"
#include "tests/support/run_binary.hpp"
#include "tests/support/temp_dir.hpp"

#include <boost/json.hpp>

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <string>

namespace html_report_test {

namespace fs = std::filesystem;
namespace json = boost::json;
using rcbatch::test::run_folder;
using rcbatch::test::run_rcbatch;
using rcbatch::test::slurp;
using rcbatch::test::TempDir;

namespace {}  // namespace

TEST_SUITE("e2e: report.html and JUnit") {
    TEST_CASE(
        "rcbatch report --html writes the reports of a run that died, from its rebuilt summary") {
        TempDir tmp{"rcbatch-e2e-html"};
        const std::string job =
            std::string(RCBATCH_SOURCE_DIR) + "/jobs/examples/renew-expiring-backups.toml";
        auto run =
            run_rcbatch({"run", job, "--sandbox", "--report-dir", tmp.path.string(), "--quiet"});
        REQUIRE(run.exit_code == 0);
        const fs::path dir = run_folder(tmp.path, "renew-expiring-backups");
        const json::object summary = json::parse(slurp(dir / "summary.json")).as_object();
        const auto orders = summary.at("orders").to_number<std::uint64_t>();
        for (const char* f : {"summary.json", "report.html", "results.junit.xml"})
            fs::remove(dir / f);

        auto report = run_rcbatch({"report", dir.string(), "--html"});
        CAPTURE(report.out);
        CAPTURE(report.err);
        CHECK(report.exit_code == 1);  // died: not finished
        CHECK(report.out.find("html: " + (dir / "report.html").string()) != std::string::npos);
        const std::string html = slurp(dir / "report.html");
        CHECK(html.find("stopped: died (incomplete: rebuilt from the journal)") !=
              std::string::npos);
        CHECK(html.find("ok " + std::to_string(orders) + "</li>") != std::string::npos);
        std::size_t testcases = 0;
        const std::string junit = slurp(dir / "results.junit.xml");
        for (auto at = junit.find("<testcase "); at != std::string::npos;
             at = junit.find("<testcase ", at + 1))
            ++testcases;
        CHECK(testcases == orders);

        auto as_json = run_rcbatch({"report", dir.string(), "--html", "--json"});
        CHECK(json::parse(as_json.out).as_object().at("junit").as_string() ==
              (dir / "results.junit.xml").string());
        auto not_a_folder = run_rcbatch({"report", tmp.path.string(), "--html"});
        CHECK(not_a_folder.exit_code == 2);
    }
}

}  // namespace html_report_test
