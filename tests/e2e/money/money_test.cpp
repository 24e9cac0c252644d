// What a run will cost and did cost (README "What a run will cost and did cost"), against a
// `rcbatch sandbox` child: a renew plan's per-order estimates total what the test computes
// from the sandbox's prices; max-charge refuses an over-budget run with nothing sent; the
// summary's charged total equals the sandbox's invoices.

#include "jobs/money/charges.hpp"
#include "tests/e2e/money/money_fixture.hpp"

#include <doctest/doctest.h>

#include <map>

namespace money_test {

using namespace rcbatch::test::money;
using rcbatch::test::slurp;
using rcbatch::test::text_of;

namespace {
// The list price per month of a plan, in thousandths; nullopt for an unlisted one.
std::optional<std::int64_t> price_of(const rcbatch::sandbox::Service& s, const std::string& plan) {
    for (const auto& p : s.data().plans)
        if (p.id == plan)
            return p.price_listed ? std::optional(p.monthly_price_milli) : std::nullopt;
    return std::nullopt;
}

const std::string renew_params =
    "\n[params]\nmonths = 12\ninvoice-option = \"KeepInvoice\"\nauto-renew = false\n";
}  // namespace

TEST_SUITE("e2e: money") {
    TEST_CASE(
        "a renew plan: each order's estimate, the total as the sandbox's prices make it, no price "
        "said") {
        MoneyFixture f;
        auto orders =
            f.active_us(8, [](const rcbatch::sandbox::Order& o) { return o.plan_id != "1014"; });
        auto unlisted =
            f.active_us(1, [](const rcbatch::sandbox::Order& o) { return o.plan_id == "1014"; });
        REQUIRE(orders.size() == 8);
        REQUIRE(unlisted.size() == 1);
        const int months[] = {1, 2, 3, 6, 12, 24, 36, 12};
        std::string csv = "order-id,months,discount-amount\n";
        std::int64_t expected = 0;
        for (std::size_t i = 0; i < orders.size(); ++i) {
            const int discount = i % 3 == 0 ? 1 : 0;
            csv += std::to_string(orders[i]->id) + "," + std::to_string(months[i]) + "," +
                   (discount ? "1.00" : "") + "\n";
            expected += std::max<std::int64_t>(
                *price_of(f.data, orders[i]->plan_id) * months[i] - discount * 1000, 0);
        }
        csv += std::to_string(unlisted[0]->id) + ",12,\n";
        const auto job = f.write_job("estimate", "backup.renew", "renew.csv", csv, renew_params);
        const auto before = f.sb.counters("products.plan-details");
        auto r = f.rcbatch("plan", job);
        CAPTURE(r.err);
        REQUIRE(r.exit_code == 0);
        const std::string total =
            "would renew 9 orders for ~" + rcbatch::jobs::money_text("USD", expected) +
            " (list prices; the invoice decides); 1 without a list price, not counted";
        CHECK(r.out.find("estimate: " + total) != std::string::npos);
        CHECK(r.out.find("no list price for plan 1014 (no estimate)") != std::string::npos);
        // One plan-details call, one batched read of the ten orders (README "Batched reads")
        // and the account's two action lists (the repeat guard the plan asks too), not one per
        // order.
        CHECK(f.sb.api_requests() == 4);

        const fs::path dir = newest_run(f.reports, "estimate");
        const auto summary = json::parse(slurp(dir / "summary.json")).as_object();
        CHECK(text_of(summary.at("estimate").at("USD").at("amount")) ==
              rcbatch::jobs::milli_text(expected));
        CHECK(summary.at("estimate").at("unpriced").to_number<std::int64_t>() == 1);
        std::int64_t sum = 0;
        for (const auto& rec : read_jsonl(dir / "plan.jsonl")) {
            const auto& fields = rec.at("fields").as_object();
            if (auto milli = rcbatch::jobs::parse_milli(text_of(fields.at("estimate"))))
                sum += *milli;
            else
                CHECK(text_of(fields.at("estimate")) == "no list price for plan 1014");
        }
        CHECK(sum == expected);
        CHECK(slurp(dir / "plan.csv").find(",estimate") != std::string::npos);
    }

    TEST_CASE("max-charge: an over-budget run is refused, exit 2, nothing sent") {
        MoneyFixture f;
        auto orders =
            f.active_us(5, [](const rcbatch::sandbox::Order& o) { return o.plan_id != "1014"; });
        REQUIRE(orders.size() == 5);
        std::string csv = "order-id\n";
        for (const auto* o : orders) csv += std::to_string(o->id) + "\n";
        const auto job = f.write_job("over-budget", "backup.renew", "renew.csv", csv, renew_params,
                                     "max-charge = 20.0\n");

        auto r = f.rcbatch("run", job);
        CAPTURE(r.err);
        CHECK(r.exit_code == 2);
        CHECK(r.err.find("(list prices) is over max-charge = 20.00 (USD)") != std::string::npos);
        CHECK(r.err.find("; nothing was sent") != std::string::npos);
        CHECK(f.sb.counters("backup.renew").empty());
        CHECK(json::parse(slurp(newest_run(f.reports, "over-budget") / "summary.json"))
                  .at("dry_run")
                  .as_bool());
    }

    TEST_CASE(
        "a run within max-charge: charged per currency in summary.json, report.html and on the "
        "terminal, equal to the sandbox's invoices") {
        MoneyFixture f;
        auto orders =
            f.active_us(6, [](const rcbatch::sandbox::Order& o) { return o.plan_id != "1014"; });
        REQUIRE(orders.size() == 6);
        std::string csv = "order-id,months\n";
        for (std::size_t i = 0; i < orders.size(); ++i)
            csv += std::to_string(orders[i]->id) + "," + std::to_string(i + 1) + "\n";
        auto job = f.write_job("charged", "backup.renew", "renew.csv", csv, renew_params,
                               "max-charge = 100000.0\n");

        auto r = f.rcbatch("run", job);
        CAPTURE(r.err);
        REQUIRE(r.exit_code == 0);
        CHECK(r.err.find("within max-charge") != std::string::npos);
        const auto invoices = f.sb.admin("/_sandbox/invoices").at("invoices").as_array();
        REQUIRE(invoices.size() == 6);
        std::int64_t sum = 0;
        for (const auto& inv : invoices)
            sum -= *rcbatch::jobs::parse_milli(text_of(inv.at("amount")));
        const fs::path dir = newest_run(f.reports, "charged");
        const auto summary = json::parse(slurp(dir / "summary.json")).as_object();
        CHECK_FALSE(summary.at("dry_run").as_bool());
        CHECK(text_of(summary.at("charged").at("USD").at("amount")) ==
              rcbatch::jobs::milli_text(sum));
        CHECK(summary.at("charged").at("USD").at("count").to_number<std::int64_t>() == 6);
        CHECK(text_of(summary.at("charged_text")) ==
              "charged " + rcbatch::jobs::money_text("USD", sum) + " on 6 invoices");
        CHECK(r.err.find("charged " + rcbatch::jobs::money_text("USD", sum) + " on 6 invoices") !=
              std::string::npos);
        // report.html reads the same typed figure: the same total, positive, never the raw JSON.
        const std::string html = slurp(dir / "report.html");
        CHECK(html.find(rcbatch::jobs::money_text("USD", sum)) != std::string::npos);
        CHECK(html.find(rcbatch::jobs::money_text("USD", -sum)) == std::string::npos);
        CHECK(html.find("&quot;amount&quot;") == std::string::npos);
        CHECK(html.find("\"amount\"") == std::string::npos);
        for (const auto& rec : read_jsonl(dir / "results.jsonl")) {
            const auto& fields = rec.at("fields").as_object();
            CHECK(text_of(fields.at("sellingcurrencysymbol")) == "USD");
            CHECK(!text_of(fields.at("invoiceid")).empty());
        }
    }
}

}  // namespace money_test
