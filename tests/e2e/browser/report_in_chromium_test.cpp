// report.html and results.junit.xml as people and CI get them: a renew run against --sandbox
// with an order the API refuses, its page rendered by Debian's headless Chromium (the DOM after
// the page's script ran, and a screenshot kept in the build folder), its JUnit file read by
// libxml2's xmllint. The browser tests (label "browser"): where chromium is missing the case is
// skipped with a message and ctest shows the program as skipped, never passed.

#include "sandbox/api/service.hpp"
#include "sandbox/server/options.hpp"
#include "tests/support/chromium.hpp"
#include "tests/support/files.hpp"
#include "tests/support/run_binary.hpp"
#include "tests/support/sandbox_orders.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/tool.hpp"

#include <boost/json.hpp>

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace report_in_chromium_test {

namespace fs = std::filesystem;
namespace json = boost::json;
using rcbatch::test::browser_missing;
using rcbatch::test::chromium;
using rcbatch::test::chromium_args;
using rcbatch::test::require_tool;
using rcbatch::test::run_folder;
using rcbatch::test::run_rcbatch;
using rcbatch::test::run_tool;
using rcbatch::test::slurp;
using rcbatch::test::TempDir;

namespace {

const std::string xmllint = "/usr/bin/xmllint";

std::string xpath(const fs::path& file, const std::string& expression) {
    auto r = run_tool(xmllint, {"--xpath", expression, file.string()});
    CAPTURE(r.err);
    REQUIRE(r.exit_code == 0);
    return r.out;
}

}  // namespace

TEST_SUITE("e2e: report.html and JUnit") {
    TEST_CASE(
        "a run with a refused order: Chromium shows the totals and the API's message; JUnit "
        "parses" *
        doctest::skip(browser_missing(chromium))) {
        require_tool(chromium, "chromium");
        require_tool(xmllint, "libxml2-utils");
        TempDir tmp{"rcbatch-e2e-html"};
        const auto ids = rcbatch::test::active_us_backups(4);
        const fs::path job = tmp.path / "renew-some.toml";
        std::ofstream(job)
            << "name = \"renew-some\"\naction = \"backup.renew\"\nregion = \"us\"\n\n[targets]\n"
            << "order-ids = [" << ids[0] << ", " << ids[1] << ", 99999999, " << ids[2] << ", "
            << ids[3] << "]\n\n[params]\nmonths = 1\ninvoice-option = \"NoInvoice\"\n"
            << "auto-renew = false\n\n[run]\nconcurrency = 2\nrate = 0.0\n";
        auto run =
            run_rcbatch({"run", job.string(), "--sandbox", "--report-dir", tmp.path.string()});
        CAPTURE(run.err);
        REQUIRE(run.exit_code == 1);
        CHECK(run.err.find("\x1b[") == std::string::npos);  // not a terminal: no colour
        const fs::path dir = run_folder(tmp.path, "renew-some");
        REQUIRE(fs::exists(dir / "report.html"));
        std::string html = slurp(dir / "report.html");
        for (std::size_t at;
             (at = html.find("xmlns=\"http://www.w3.org/2000/svg\"")) != std::string::npos;)
            html.erase(at, 34);  // the SVG namespace names, it fetches nothing
        for (const char* fetching : {"http://", "https://", "src=", "<link", "@import", "url("})
            CHECK_MESSAGE(html.find(fetching) == std::string::npos, fetching);

        const fs::path artifacts = fs::path(RCBATCH_BUILD_DIR) / "test-artifacts";
        fs::create_directories(artifacts);
        fs::copy_file(dir / "report.html", artifacts / "report.html",
                      fs::copy_options::overwrite_existing);
        const std::string url = "file://" + (dir / "report.html").string();
        auto dom = run_tool(chromium, chromium_args(tmp.path / "chromium-1", {"--dump-dom", url}));
        CAPTURE(dom.err);
        REQUIRE(dom.exit_code == 0);
        CHECK(dom.out.find("<h1>rcbatch report: renew-some</h1>") != std::string::npos);
        CHECK(dom.out.find("api_error 1</li>") != std::string::npos);
        CHECK(dom.out.find("ok 4</li>") != std::string::npos);
        CHECK(dom.out.find("failed 1 of 5") != std::string::npos);
        CHECK(dom.out.find("No Entity found for Entityid: 99999999") != std::string::npos);
        CHECK(dom.out.find("5 shown") != std::string::npos);  // the page's script ran

        const fs::path shot = artifacts / "report.png";
        fs::remove(shot);
        auto png = run_tool(chromium, chromium_args(tmp.path / "chromium-2",
                                                    {"--window-size=1280,1600",
                                                     "--screenshot=" + shot.string(), url}));
        CAPTURE(png.err);
        CHECK(png.exit_code == 0);
        CHECK(fs::exists(shot));
        CHECK(fs::file_size(shot) > 10'000);
        MESSAGE("screenshot: " << shot.string());

        const fs::path junit = dir / "results.junit.xml";
        REQUIRE(run_tool(xmllint, {"--noout", junit.string()}).exit_code == 0);
        CHECK(xpath(junit, "count(//testcase)") == "5\n");
        CHECK(xpath(junit, "count(//testcase[failure])") == "1\n");
        CHECK(xpath(junit, "string(//testcase[failure]/@name)") == "99999999\n");
        CHECK(xpath(junit, "string(//testcase[failure]/failure/@type)") == "api_error\n");
        CHECK(xpath(junit, "string(//testsuite/@failures)") == "1\n");
        CHECK(xpath(junit, "string(//testcase[1]/@classname)") == "backup.renew\n");
    }
}

}  // namespace report_in_chromium_test
