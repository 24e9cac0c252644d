// Text from a target file and from the API reaches the pages of `rcbatch serve` only as text:
// a name server column holding a <script> and an attribute-breaking <img onerror>, which the
// sandbox refuses and echoes back into the failed order's message, is escaped on the run page,
// the runs page, the order pages and the search page (and a search for it echoes it escaped);
// Chromium, where it is installed, sees it as text and finds no element made of it.

#include "tests/e2e/serve/serve_fixture.hpp"
#include "tests/support/chromium.hpp"
#include "tests/support/tool.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <vector>

namespace hostile_text_test {

namespace fs = std::filesystem;
using rcbatch::test::http_get;
using rcbatch::test::LedgerWithRuns;

namespace {

const std::string script = "<script>alert(1)</script>";
const std::string img = "\"><img src=x onerror=alert(1)>";
const std::string script_escaped = "&lt;script&gt;alert(1)&lt;/script&gt;";
const std::string img_escaped = "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;";

std::string lower(std::string text) {
    std::transform(text.begin(), text.end(), text.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return text;
}

// No element the data could have made: the pages have no script at all, and no image.
void check_inert(const std::string& html) {
    const std::string l = lower(html);
    CHECK(l.find("<script") == std::string::npos);
    CHECK(l.find("<img") == std::string::npos);
    CHECK(l.find("</script") == std::string::npos);
}

}  // namespace

TEST_SUITE("e2e: rcbatch serve renders hostile text as text") {
    TEST_CASE("a target file's <script> and <img onerror>, echoed by the API, are escaped text") {
        LedgerWithRuns ledger;
        const auto domains = rcbatch::test::active_domains(2);
        // The name servers are sent as given (a job's string list); the sandbox refuses each and
        // quotes it in its message. The kept column travels into the reports.
        std::ofstream(ledger.tmp.path / "hostile.csv")
            << "domain-name,ns,customer\n"
            << domains[0] << ",\"" << script << "\",\"" << script << "\"\n"
            << domains[1] << ",\"\"\"><img src=x onerror=alert(1)>\",\"\"\"><img src=x>\"\n";
        std::ofstream(ledger.tmp.path / "xss.toml")
            << "name = \"xss-ns\"\naction = \"domain.modify-ns\"\n[targets]\nfile = "
               "\"hostile.csv\"\nkeep-columns = [\"customer\"]\n[run]\nconcurrency = 1\n";
        const auto run = ledger.run(ledger.tmp.path / "xss.toml");
        CAPTURE(run.err);
        REQUIRE(run.exit_code == 1);  // both orders failed
        auto serve = rcbatch::test::start_serve(ledger.env);

        // The run page: both messages, escaped, in the failed orders and the orders table.
        const auto page = http_get(serve.port, "/run/1");
        REQUIRE(page.status == 200);
        CAPTURE(page.body);
        CHECK(page.body.find("Invalid value for ns: " + script_escaped) != std::string::npos);
        CHECK(page.body.find("Invalid value for ns: " + img_escaped) != std::string::npos);
        check_inert(page.body);

        // Every page the data may reach, and a search for the markup itself.
        std::vector<std::string> targets{
            "/",
            "/runs",
            "/runs?job=xss-ns",
            "/run/1?show=attention",
            "/run/1?q=alert",
            "/run/1?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E",
            "/run/1?q=%22%3E%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E",
            "/search?q=" + domains[0],
            "/search?q=" + domains[1],
            "/search?q=xss-ns",
            "/search?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E",
            "/search?q=%22%3E%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E",
            "/order/%3Cscript%3Ealert(1)%3C%2Fscript%3E",
            "/runs?job=%3Cscript%3Ealert(1)%3C%2Fscript%3E",
        };
        std::set<std::string> orders;
        for (const std::string& link : rcbatch::test::site_links(page.body))
            if (link.starts_with("/order/")) orders.insert(link);
        CHECK(orders.size() == 2);
        targets.insert(targets.end(), orders.begin(), orders.end());
        for (const std::string& target : targets) {
            CAPTURE(target);
            const auto r = http_get(serve.port, target);
            CAPTURE(r.body.substr(0, 4000));
            CHECK((r.status == 200 || r.status == 404));
            CHECK(r.header("Content-Type").starts_with("text/html"));
            check_inert(r.body);
        }
        // The search for the markup says what was searched for, as text.
        const auto search = http_get(serve.port, "/search?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E");
        CHECK(search.body.find(script_escaped) != std::string::npos);
        const auto attribute =
            http_get(serve.port, "/search?q=%22%3E%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E");
        CHECK(attribute.body.find("value=\"" + img_escaped + "\"") != std::string::npos);

        // The files hold it as data and are served as downloads of their own type, never HTML.
        for (const char* name : {"results.csv", "results.jsonl", "summary.json"}) {
            CAPTURE(name);
            const auto file = http_get(serve.port, std::string("/run/1/files/") + name);
            CHECK(file.status == 200);
            CHECK_FALSE(file.header("Content-Type").starts_with("text/html"));
            CHECK(file.header("Content-Disposition").starts_with("attachment"));
            CHECK(file.header("X-Content-Type-Options") == "nosniff");
        }

        // As a browser builds it: the text is a text node, no element came of it.
        if (!rcbatch::test::browser_missing(rcbatch::test::chromium)) {
            const auto dom = rcbatch::test::run_tool(
                rcbatch::test::chromium,
                rcbatch::test::chromium_args(ledger.tmp.path / "chromium",
                                             {"--dump-dom", serve.url + "/run/1"}));
            CAPTURE(dom.err);
            REQUIRE(dom.exit_code == 0);
            CHECK(dom.out.find("Invalid value for ns: " + script_escaped) != std::string::npos);
            // A text node's quote is serialized as itself.
            CHECK(dom.out.find("Invalid value for ns: \"&gt;&lt;img src=x onerror=alert(1)&gt;") !=
                  std::string::npos);
            check_inert(dom.out);
        }
    }
}

}  // namespace hostile_text_test
