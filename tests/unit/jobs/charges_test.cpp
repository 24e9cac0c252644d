// Money (jobs/charges.hpp): a list price that is not a positive number is no price, and an
// estimate that cannot be a number is none, never 0 (issue #19 case 8).

#include "jobs/charges.hpp"

#include <boost/json.hpp>

#include <doctest/doctest.h>

using namespace rcbatch::jobs;
namespace json = boost::json;

namespace {
PriceTable prices_of(const std::string& price) {
    return price_table(json::parse(R"({"acronisbackupus":{"1011":{"currency":"USD",
        "price_per_month":")" + price +
                                   R"("}}})"));
}

std::vector<CallParam> renew(std::int64_t months, const std::string& invoice = "KeepInvoice",
                             double discount = 0) {
    return {{"months", months}, {"invoice-option", invoice}, {"discount-amount", discount}};
}
}  // namespace

TEST_SUITE("charges") {
    TEST_CASE("a list price that is not a positive number is no price: no estimate, never 0") {
        struct Case {
            const char* price;
            bool priced;
        };
        for (const Case c : {Case{"12.500", true}, Case{"-50.000", false}, Case{"0", false},
                             Case{"0.000", false}, Case{"-0.001", false}, Case{"NaN", false},
                             Case{"inf", false}, Case{"1e3", false}, Case{"", false}}) {
            CAPTURE(c.price);
            json::object fields{{"planid", "1011"}};
            add_estimate(prices_of(c.price), renew(20), fields);
            CHECK(parse_milli(json::value_to<std::string>(fields.at("estimate"))).has_value() ==
                  c.priced);
            MoneyTotals estimate;
            estimate.add_estimate(fields);
            // max-charge refuses an order without a price instead of counting it as free.
            json::object summary{{"estimate", estimate.json()}};
            CHECK(charge_refusal(summary, 1e9).has_value() == !c.priced);
        }
    }

    TEST_CASE("an estimate that would overflow or go below zero is no estimate") {
        json::object fields{{"planid", "1011"}};
        add_estimate(prices_of("999999999999999.000"), renew(120), fields);
        CHECK_FALSE(parse_milli(json::value_to<std::string>(fields.at("estimate"))));
        fields = {{"planid", "1011"}};
        add_estimate(prices_of("1.000"), renew(2, "KeepInvoice", 5.0), fields);
        CHECK_FALSE(parse_milli(json::value_to<std::string>(fields.at("estimate"))));
        fields = {{"planid", "1011"}};
        add_estimate(prices_of("1.000"), renew(2, "KeepInvoice", 0.5), fields);
        CHECK(json::value_to<std::string>(fields.at("estimate")) == "1.500");
    }
}
