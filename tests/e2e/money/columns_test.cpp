// Columns are parameters (README "Per-order parameters"), as a user meets them against a
// `rcbatch sandbox` child: a 20-row install-agent migration sends each backup to its own
// hosting order; a mixed-term renew CSV renews each order by its own months; every kind of
// bad cell is reported with its place and nothing is sent.

#include "jobs/order/preflight.hpp"
#include "tests/e2e/money/money_fixture.hpp"

#include <doctest/doctest.h>

#include <map>

namespace columns_test {

using namespace rcbatch::test::money;
using rcbatch::test::run_rcbatch;
using rcbatch::test::slurp;
using rcbatch::test::text_of;

TEST_SUITE("e2e: per-order parameters") {
    TEST_CASE("a 20-row install-agent migration: each order to its own hosting order, one report") {
        MoneyFixture f;
        auto orders = f.active_us(
            20, [](const rcbatch::sandbox::Order& o) { return o.hosting_order_id != 0; });
        REQUIRE(orders.size() == 20);
        std::string csv = "order-id,hosting-order-id,customer\n";
        std::map<std::string, std::string> pairs;
        for (const auto* o : orders) {
            pairs[std::to_string(o->id)] = std::to_string(o->hosting_order_id);
            csv += std::to_string(o->id) + "," + std::to_string(o->hosting_order_id) + ",cust-" +
                   std::to_string(o->customer_id) + "\n";
        }
        const auto job = f.write_job("migrate", "backup.install-agent", "pairs.csv", csv,
                                     "keep-columns = [\"customer\"]\n");
        auto validated = run_rcbatch({"validate", job.string()});
        CAPTURE(validated.err);
        CHECK(validated.exit_code == 0);

        auto r = f.rcbatch("run", job, {"--quiet"});
        CAPTURE(r.err);
        REQUIRE(r.exit_code == 0);
        for (const auto& [id, hosting] : pairs) {
            const auto installs = f.order(id).at("hosting_order_ids").as_array();
            REQUIRE(installs.size() == 1);
            CHECK(text_of(installs[0]) == hosting);
        }
        const fs::path dir = newest_run(f.reports, "migrate");
        const auto results = read_jsonl(dir / "results.jsonl");
        CHECK(results.size() == 20);
        for (const auto& rec : results) {
            const auto& fields = rec.at("fields").as_object();
            CHECK(text_of(fields.at("hosting-order-id")) == pairs.at(text_of(rec.at("order"))));
            CHECK(text_of(fields.at("customer")).starts_with("cust-"));
        }
        const std::string csv_out = slurp(dir / "results.csv");
        CHECK(csv_out.find("hosting-order-id") != std::string::npos);
        CHECK(csv_out.find(",customer,") != std::string::npos);
        for (const auto& t : read_jsonl(dir / "targets.jsonl"))
            CHECK(t.at("extra").as_object().at("params").as_object().contains("hosting-order-id"));
        std::size_t intents = 0;
        for (const auto& line : read_jsonl(dir / "journal.jsonl"))
            if (text_of(line.at("type")) == "intent") {
                ++intents;
                CHECK(text_of(line.at("params").as_object().at("hosting-order-id")) ==
                      pairs.at(text_of(line.at("order"))));
            }
        CHECK(intents == 20);
    }

    TEST_CASE(
        "a mixed-term renew CSV: each order renewed by its own months, [params] for empty cells") {
        MoneyFixture f;
        auto orders = f.active_us(6);
        REQUIRE(orders.size() == 6);
        const int months[] = {1, 3, 0, 12, 24, 6};  // 0: an empty cell, [params] months = 2
        std::string csv = "order-id,months\n";
        std::map<std::string, int> want;
        std::map<std::string, std::int64_t> before;
        for (std::size_t i = 0; i < orders.size(); ++i) {
            const std::string id = std::to_string(orders[i]->id);
            csv += id + "," + (months[i] ? std::to_string(months[i]) : std::string()) + "\n";
            want[id] = months[i] ? months[i] : 2;
            before[id] = std::stoll(text_of(f.order(id).at("endtime")));
        }
        const auto job = f.write_job(
            "mixed-term", "backup.renew", "terms.csv", csv,
            "\n[params]\nmonths = 2\ninvoice-option = \"NoInvoice\"\nauto-renew = false\n");
        auto plan = f.rcbatch("plan", job);
        CAPTURE(plan.err);
        REQUIRE(plan.exit_code == 0);
        CHECK(plan.out.find("renew 24 months") != std::string::npos);
        CHECK(plan.out.find("months=24") != std::string::npos);  // the row's own request
        const fs::path plan_dir = newest_run(f.reports, "mixed-term");

        auto r = f.rcbatch("run", job, {"--plan", plan_dir.string(), "--quiet"});
        CAPTURE(r.err);
        REQUIRE(r.exit_code == 0);
        for (const auto& [id, n] : want) {
            CAPTURE(id);
            CAPTURE(n);
            CHECK(std::stoll(text_of(f.order(id).at("endtime"))) ==
                  rcbatch::jobs::add_months(before[id], n));
        }
        // The result shows the end time after the change beside the one before, both also in
        // ISO-8601.
        const fs::path dir = newest_run(f.reports, "mixed-term");
        for (const auto& rec : read_jsonl(dir / "results.jsonl")) {
            const auto& fields = rec.at("fields").as_object();
            const std::string id = text_of(rec.at("order"));
            CHECK(text_of(fields.at("endtime_after")) == text_of(f.order(id).at("endtime")));
            CHECK(text_of(fields.at("endtime_before")) == std::to_string(before[id]));
            CHECK(text_of(fields.at("endtime_after_iso")).ends_with("Z"));
            CHECK(text_of(fields.at("endtime_before_iso")).ends_with("Z"));
        }
        const std::string csv_out = slurp(dir / "results.csv");
        CHECK(csv_out.find("endtime_before_iso") != std::string::npos);
        CHECK(csv_out.find("endtime_after,endtime_after_iso") != std::string::npos);
    }

    TEST_CASE("every kind of bad cell and column: FILE:LINE:COL for each, exit 2, nothing sent") {
        MoneyFixture f;
        auto orders = f.active_us(6);
        REQUIRE(orders.size() == 6);
        auto id = [&](int i) { return std::to_string(orders[static_cast<std::size_t>(i)]->id); };
        const std::string csv =
            "order-id,months,invoice-option,auto-renew,discount-amount,month\n" + id(0) +
            ",0,NoInvoice,false,,a\n" +               // out of range
            id(1) + ",twelve,NoInvoice,false,,b\n" +  // not a number
            id(2) + ",12,noinvoice,false,,c\n" +      // not allowed (case)
            id(3) + ",12,NoInvoice,maybe,,d\n" +      // not a boolean
            id(4) + ",12,NoInvoice,false,-5,e\n" +    // below the minimum
            id(5) + ",,NoInvoice,false,,f\n";         // required, no default
        const auto job = f.write_job("bad-cells", "backup.renew", "bad.csv", csv, "");
        const std::string file = (f.tmp.path / "bad.csv").string();
        const std::size_t n = id(0).size();  // the sandbox's ids have one length
        auto at = [&](int line, std::size_t col) {
            return file + ":" + std::to_string(line) + ":" + std::to_string(col) + ": ";
        };
        const std::vector<std::string> expected{
            at(1, 59) +
                "column 'month' is neither a parameter of backup.renew nor in [targets] "
                "keep-columns "
                "(did you mean 'months'?)",
            at(2, n + 2) + "months: must be from 1 to 120, got 0",
            at(3, n + 2) + "months: expected a whole number from 1 to 120, got 'twelve'",
            at(4, n + 5) +
                "invoice-option: 'noinvoice' is not one of NoInvoice, PayInvoice, KeepInvoice, "
                "OnlyAdd "
                "(did you mean 'NoInvoice'?)",
            at(5, n + 15) + "auto-renew: expected true or false, got 'maybe'",
            at(6, n + 21) + "discount-amount: must be a number at least 0, got -5",
            at(7, n + 2) + "months: required, and neither this line nor [params] gives a value",
        };
        for (const char* command : {"validate", "run"}) {
            auto r = command == std::string("validate") ? run_rcbatch({"validate", job.string()})
                                                        : f.rcbatch("run", job);
            CAPTURE(r.err);
            CHECK(r.exit_code == 2);
            for (const std::string& line : expected)
                CHECK_MESSAGE(r.err.find(line) != std::string::npos, line);
        }
        CHECK(f.sb.api_requests() == 0);
        CHECK(newest_run(f.reports, "bad-cells").empty());
    }
}

}  // namespace columns_test
