#include "engine/report/html_report.hpp"
#include "engine/report/junit_report.hpp"
#include "engine/secret/redact.hpp"

#include <boost/json/object.hpp>

#include <doctest/doctest.h>

#include <string>

namespace html_junit_test {

using namespace rcbatch::engine;
using namespace std::chrono_literals;

namespace {

OrderResult record(std::uint64_t seq, Outcome outcome, std::string message = "") {
    OrderResult r;
    r.seq = seq;
    r.order_id = std::to_string(1000 + seq);
    r.target = r.order_id;
    r.action = "backup.renew";
    r.outcome = outcome;
    r.message = std::move(message);
    r.attempts = 1;
    r.latency = 30ms;
    return r;
}

std::size_t count_of(const std::string& text, const std::string& what) {
    std::size_t n = 0;
    for (std::size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1))
        ++n;
    return n;
}

}  // namespace

TEST_SUITE("html and junit") {
    TEST_CASE("a row: server text escaped and redacted, unknown flagged for a person") {
        register_secret("RowKeyAbcdefGhijkl123456");
        const auto row = html_row(
            record(3, Outcome::unknown, "<script>alert(1)</script> RowKeyAbcdefGhijkl123456"));
        CHECK(row.find("<script>") == std::string::npos);
        CHECK(row.find("&lt;script&gt;alert(1)&lt;/script&gt; ***") != std::string::npos);
        CHECK(row.find("check by hand") != std::string::npos);
        CHECK(row.find("data-outcome=\"unknown\"") != std::string::npos);
        CHECK(row.find("data-attention=\"1\"") != std::string::npos);
        CHECK(html_row(record(4, Outcome::ok)).find("check by hand") == std::string::npos);
        CHECK(html_row(record(4, Outcome::ok), [](const OrderResult&) {
                  return "USD <1>";
              }).find("<td class=\"num\">USD &lt;1&gt;</td>") != std::string::npos);
    }

    TEST_CASE("the table: unknown first, then failed, then the rest; bounded at 100,000 orders") {
        ReportStats stats;
        std::vector<OrderResult> kinds{
            record(0, Outcome::ok), record(0, Outcome::api_error, "refused"),
            record(0, Outcome::unknown, "lost"), record(0, Outcome::skipped)};
        auto each = [&](auto fn) {  // 100,000 records: 70,000 ok, 20,000 api_error, 5,000 unknown,
                                    // 5,000 skipped
            for (std::uint64_t i = 0; i < 100'000; ++i) {
                OrderResult r = kinds[i % 20 < 14 ? 0 : i % 20 < 18 ? 1 : i % 20 < 19 ? 2 : 3];
                r.seq = i;
                fn(r);
            }
        };
        each([&](const OrderResult& r) { stats.add(r); });
        CHECK(stats.count(Outcome::unknown) == 5000);
        HtmlTable table(stats, HtmlLimits{.attention_rows = 6000, .other_rows = 100});
        each([&](const OrderResult& r) { table.add(r); });
        const std::string html = table.render();
        CHECK(count_of(html, "<tr ") == 6100);
        CHECK(count_of(html, "data-outcome=\"unknown\"") == 5000);  // every unknown fits, first
        CHECK(count_of(html, "data-outcome=\"api_error\"") == 1000);
        CHECK(html.find("data-outcome=\"unknown\"") < html.find("data-outcome=\"api_error\""));
        CHECK(html.find("data-outcome=\"api_error\"") < html.find("data-outcome=\"skipped\""));
        CHECK(html.find("data-outcome=\"skipped\"") < html.find("data-outcome=\"ok\""));
        CHECK(html.find("19,000 failed or unknown and 74,900 other orders are left out") !=
              std::string::npos);
        CHECK(html.find("results.csv") != std::string::npos);
    }

    TEST_CASE("the head: the run's facts, totals, and the money rows it is given") {
        ReportStats stats;
        stats.add(record(0, Outcome::ok));
        stats.add(record(1, Outcome::api_error, "No Entity found"));
        boost::json::object summary{{"job", "renew<1>"},
                                    {"account", "live/httpapi.com/123"},
                                    {"environment", "live"},
                                    {"stop_reason", "none"}};
        // The rows are the caller's (jobs/money/charge_summary.hpp, tested with a real run's
        // summary.json in tests/e2e/money): the page shows them as they are, escaped.
        HtmlMoney money{{{"charged", "USD 4,200.00 on 46 invoices"},
                         {"in doubt", "up to USD 300.00 more on <2> orders"}},
                        [](const OrderResult&) { return "USD 150.00"; }};
        std::string head = html_head(RunSummary::read(summary), stats, {}, money);
        CHECK(head.find("<title>rcbatch report: renew&lt;1&gt;</title>") != std::string::npos);
        CHECK(head.find("live/httpapi.com/123") != std::string::npos);
        CHECK(head.find("api_error 1") != std::string::npos);
        CHECK(head.find("<dt>charged</dt><dd>USD 4,200.00 on 46 invoices</dd>") !=
              std::string::npos);
        CHECK(head.find("up to USD 300.00 more on &lt;2&gt; orders") != std::string::npos);
        CHECK(head.find("<th>charge</th>") != std::string::npos);
        CHECK(head.find("Attempts and retries") == std::string::npos);  // no timeline
        const std::string without = html_head(RunSummary::read(summary), stats, {});
        CHECK(without.find("Money") == std::string::npos);
        CHECK(without.find("<th>charge</th>") == std::string::npos);
        CHECK(html_tail().find("</html>") != std::string::npos);
    }

    TEST_CASE("junit: failures with the message, skipped, ok; names and classnames") {
        ReportStats stats;
        boost::json::object summary{
            {"job", "renew"}, {"started", "2026-01-01T02:00:00.000Z"}, {"wall_time_ms", 1500}};
        stats.add(record(0, Outcome::ok));
        stats.add(record(1, Outcome::api_error, "No Entity found for Entityid: 99 & more"));
        stats.add(record(2, Outcome::skipped, "not Active"));
        const std::string head = junit_head(RunSummary::read(summary), stats);
        CHECK(head.find(
                  "<testsuite name=\"renew\" tests=\"3\" failures=\"1\" errors=\"0\" skipped=\"1\" "
                  "time=\"1.500\" timestamp=\"2026-01-01T02:00:00.000Z\"") != std::string::npos);
        CHECK(junit_testcase(record(0, Outcome::ok)) ==
              "<testcase classname=\"backup.renew\" name=\"1000\" time=\"0.030\"/>\n");
        const std::string failed =
            junit_testcase(record(1, Outcome::api_error, "No Entity found & more"));
        CHECK(failed.find("<failure type=\"api_error\" message=\"No Entity found &amp; more\">") !=
              std::string::npos);
        const std::string unknown = junit_testcase(record(5, Outcome::unknown, "lost"));
        CHECK(unknown.find("message=\"check by hand: the change may have been applied. lost\"") !=
              std::string::npos);
        CHECK(junit_testcase(record(2, Outcome::skipped, "not Active"))
                  .find("<skipped message=\"not Active\"/>") != std::string::npos);
        OrderResult no_order = record(7, Outcome::not_run);
        no_order.order_id.clear();
        no_order.target = "shop.in";
        CHECK(junit_testcase(no_order).find("name=\"shop.in\"") != std::string::npos);
        CHECK(junit_tail() == "</testsuite>\n</testsuites>\n");
    }
}

}  // namespace html_junit_test
