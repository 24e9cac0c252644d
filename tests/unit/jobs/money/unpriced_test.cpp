// [run] unpriced: max-charge's answer for an order whose plan lists no price, record by record
// (apply_unpriced), and whether a plan made under one policy may run under another.
#include "jobs/money/unpriced.hpp"

#include <doctest/doctest.h>

namespace unpriced_test {

using namespace rcbatch::jobs;
using rcbatch::engine::OrderResult;
using rcbatch::engine::Outcome;
namespace json = boost::json;

namespace {
using Kind = UnpricedPolicy::Kind;

const PriceTable prices{{"1011", PlanPrice{2500, "USD"}}, {"1014", PlanPrice{std::nullopt, ""}}};

// A plan record of an order of `planid`, after add_estimate, with 12 months and `discount`.
OrderResult planned(const std::string& planid, double discount = 0) {
    OrderResult r;
    r.outcome = Outcome::ok;
    r.message = "renew 12 months";
    r.fields = {{"planid", planid}, {"request", "POST /api/backup/us/renew.json ..."}};
    add_estimate(prices, {{"months", std::int64_t{12}}, {"discount-amount", discount}}, r.fields);
    return r;
}

std::string text(const json::object& o, const char* key) {
    const auto* v = o.if_contains(key);
    return v && v->is_string() ? std::string(v->as_string()) : "<absent>";
}
}  // namespace

TEST_SUITE("unpriced") {
    TEST_CASE("a priced order is left as it is under every policy") {
        for (const UnpricedPolicy policy : {UnpricedPolicy{}, UnpricedPolicy{Kind::skip, 0},
                                            UnpricedPolicy{Kind::assume, 5000}}) {
            OrderResult r = planned("1011");
            apply_unpriced(policy, prices, {{"months", std::int64_t{12}}}, r);
            CHECK(r.outcome == Outcome::ok);
            CHECK(text(r.fields, "estimate") == "30.000");
            CHECK(!r.fields.contains("unpriced"));
        }
    }

    TEST_CASE("refuse: the order stays without an estimate (charge_refusal refuses the run)") {
        OrderResult r = planned("1014");
        apply_unpriced({}, prices, {{"months", std::int64_t{12}}}, r);
        CHECK(r.outcome == Outcome::ok);
        CHECK(text(r.fields, "estimate") == "no list price for plan 1014");
        CHECK(!r.fields.contains("unpriced"));
    }

    TEST_CASE("skip: the order is skipped with the reason, and no request is shown") {
        OrderResult r = planned("1014");
        apply_unpriced({Kind::skip, 0}, prices, {{"months", std::int64_t{12}}}, r);
        CHECK(r.outcome == Outcome::skipped);
        CHECK(r.message == "no list price for plan 1014 (unpriced = \"skip\")");
        CHECK(!r.fields.contains("estimate"));
        CHECK(!r.fields.contains("request"));
        CHECK(text(r.fields, "unpriced") == "skip");
    }

    TEST_CASE("a price: the estimate at the assumed price less the discount, marked assumed") {
        const std::vector<CallParam> params{{"months", std::int64_t{12}}, {"discount-amount", 1.5}};
        OrderResult r = planned("1014", 1.5);
        apply_unpriced({Kind::assume, 5000}, prices, params, r);
        CHECK(r.outcome == Outcome::ok);
        CHECK(text(r.fields, "estimate") == "58.500");
        CHECK(text(r.fields, "estimate_currency") == "USD");  // the plans' currency
        CHECK(text(r.fields, "estimate_assumed") == "5.000");
        CHECK(text(r.fields, "unpriced") == "5.000");
        MoneyTotals totals;
        totals.add_estimate(r.fields);
        CHECK(totals.unpriced() == 0);
    }

    TEST_CASE("the summary counts the orders the policy took and says so after the estimate") {
        OrderResult skipped = planned("1014");
        apply_unpriced({Kind::skip, 0}, prices, {{"months", std::int64_t{12}}}, skipped);
        UnpricedCount count;
        count.add(planned("1011").fields);
        count.add(skipped.fields);
        json::object summary{{"estimate_text", "would renew 1 order for ~USD 30.00"}};
        count.into(summary);
        CHECK(summary.at("unpriced_policy") == json::object{{"policy", "skip"}, {"orders", 1}});
        CHECK(text(summary, "estimate_text") ==
              "would renew 1 order for ~USD 30.00; 1 order without a list price skipped "
              "(unpriced = \"skip\")");
    }

    TEST_CASE("a plan runs only under the policy it was made with, where that matters") {
        const json::object skipped_two{
            {"unpriced_policy", {{"policy", "skip"}, {"orders", 2}}},
            {"estimate", {{"USD", {{"amount", "30.000"}, {"count", 1}}}}}};
        const json::object left_one{
            {"estimate", {{"USD", {{"amount", "30.000"}, {"count", 1}}}, {"unpriced", 1}}}};
        const json::object all_priced{
            {"estimate", {{"USD", {{"amount", "30.000"}, {"count", 1}}}}}};
        CHECK(!unpriced_mismatch(skipped_two, {Kind::skip, 0}));
        CHECK(unpriced_mismatch(skipped_two, {}).value_or("") ==
              "the plan was made with unpriced = \"skip\" (2 order(s) without a list price), the "
              "job now says \"refuse\": make the plan again");
        CHECK(unpriced_mismatch(skipped_two, {Kind::assume, 5000}).has_value());
        CHECK(!unpriced_mismatch(left_one, {}));  // charge_refusal names the unpriced order
        CHECK(unpriced_mismatch(left_one, {Kind::skip, 0}).value_or("") ==
              "the plan left 1 order(s) without a list price, made before unpriced = \"skip\": "
              "make the plan again");
        CHECK(!unpriced_mismatch(all_priced, {Kind::assume, 5000}));  // nothing was unpriced

        CHECK(max_charge_refusal(left_one, 100, {})
                  .value_or("")
                  .find("1 order(s) have no list price, so max-charge = 100.00 cannot be kept (set "
                        "[run] "
                        "unpriced = \"skip\" or a price per month)") != std::string::npos);
        CHECK(!max_charge_refusal(skipped_two, 100, {Kind::skip, 0}));
        CHECK(max_charge_refusal(skipped_two, 20, {Kind::skip, 0})
                  .value_or("")
                  .find("is over max-charge = 20.00") != std::string::npos);
    }
}

}  // namespace unpriced_test
