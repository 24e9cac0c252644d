// Money (jobs/money/charges.hpp, jobs/money/charge_summary.hpp): a list price that is not a
// positive number is no price, and an estimate that cannot be a number is none, never 0 (issue #19
// case 8); the charge of one record from each kind of evidence, and the run's one figure as
// summary.json keeps it and every output reads it back (cases 11 and 12).

#include "jobs/money/charges.hpp"

#include "jobs/money/charge_summary.hpp"

#include <boost/json.hpp>

#include <doctest/doctest.h>

namespace charges_test {

using namespace rcbatch::jobs;
using rcbatch::engine::OrderResult;
using rcbatch::engine::Outcome;
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
// A record of backup.renew with `fields`, finished with `outcome`.
OrderResult record(Outcome outcome, json::object fields) {
    OrderResult r;
    r.action = "backup.renew";
    r.outcome = outcome;
    r.fields = std::move(fields);
    return r;
}

// The record as the order flow ends it: the estimate from `prices`, then the charge fields.
OrderResult ended(OrderResult r, const PriceTable& prices, const std::vector<CallParam>& params) {
    r.fields["planid"] = "1011";
    if (charge_state(r) != RecordCharge::State::none) add_estimate(prices, params, r.fields);
    add_charge_fields(params, r);
    return r;
}

const json::object invoiced{{"change", "applied"},
                            {"invoiceid", "700000012"},
                            {"sellingcurrencysymbol", "USD"},
                            {"sellingamount", "-150.000"}};
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
    TEST_CASE("the charge of one record, from the strongest evidence there is") {
        const PriceTable prices = prices_of("12.500");
        struct Case {
            const char* name;
            OrderResult record;
            std::vector<CallParam> params;
            RecordCharge::State state;
            ChargeFrom from;
            std::int64_t milli;
            const char* text;
        };
        json::object unreadable = invoiced;
        unreadable["sellingamount"] = "1e999";
        const std::vector<Case> cases{
            {"answered: the invoice's amount", record(Outcome::ok, invoiced), renew(12),
             RecordCharge::State::applied, ChargeFrom::invoice, 150'000,
             "USD 150.00 (invoice 700000012)"},
            {"reconciled in this session: the list price",
             record(Outcome::ok, {{"change", "applied"}}), renew(12), RecordCharge::State::applied,
             ChargeFrom::list_price, 150'000, "~USD 150.00 (list price; the answer was lost)"},
            {"pending: charged too", record(Outcome::ok, {{"change", "pending"}}), renew(2),
             RecordCharge::State::applied, ChargeFrom::list_price, 25'000,
             "~USD 25.00 (list price; the answer was lost)"},
            {"an invoice amount that cannot be read: the list price",
             record(Outcome::ok, unreadable), renew(12), RecordCharge::State::applied,
             ChargeFrom::list_price, 150'000, "~USD 150.00 (list price; the answer was lost)"},
            {"NoInvoice: no invoice", record(Outcome::ok, {{"change", "applied"}}),
             renew(12, "NoInvoice"), RecordCharge::State::applied, ChargeFrom::no_invoice, 0,
             "no invoice"},
            {"unknown: in doubt, up to the list price", record(Outcome::unknown, {}), renew(3),
             RecordCharge::State::in_doubt, ChargeFrom::list_price, 37'500,
             "up to ~USD 37.50 (list price; in doubt)"},
            {"stopped while it was reconciled: in doubt",
             record(Outcome::cancelled, {{"change", "in doubt"}}), renew(1),
             RecordCharge::State::in_doubt, ChargeFrom::list_price, 12'500,
             "up to ~USD 12.50 (list price; in doubt)"},
            {"refused: nothing", record(Outcome::api_error, {}), renew(12),
             RecordCharge::State::none, ChargeFrom::unknown, 0, ""},
            {"skipped: nothing", record(Outcome::skipped, {}), renew(12), RecordCharge::State::none,
             ChargeFrom::unknown, 0, ""},
        };
        for (const Case& c : cases) {
            CAPTURE(c.name);
            const RecordCharge charge = record_charge(ended(c.record, prices, c.params));
            CHECK(charge.state == c.state);
            CHECK(charge.from == c.from);
            CHECK(charge.milli == c.milli);
            CHECK(charge_text(charge) == c.text);
        }
        // Without a list price (no plan-details read): applied, amount unknown.
        const RecordCharge unpriced =
            record_charge(ended(record(Outcome::ok, {{"change", "applied"}}), {}, renew(12)));
        CHECK(unpriced.from == ChargeFrom::unknown);
        CHECK(charge_text(unpriced) == "amount unknown");
        // A record written before the charge fields existed: its invoice.
        const RecordCharge older = record_charge(record(Outcome::ok, invoiced));
        CHECK(older.from == ChargeFrom::invoice);
        CHECK(older.milli == 150'000);
    }

    TEST_CASE("the run's figure: known applied, the list-price part, the remainder in doubt") {
        const PriceTable prices = prices_of("10.000");
        ChargeSummary money;
        for (int i = 0; i < 3; ++i)
            money.add(ended(record(Outcome::ok, invoiced), prices, renew(12)));
        money.add(ended(record(Outcome::ok, {{"change", "applied"}}), prices, renew(12)));
        money.add(ended(record(Outcome::ok, {{"change", "applied"}}), {}, renew(12)));
        money.add(ended(record(Outcome::unknown, {}), prices, renew(6)));
        money.add(ended(record(Outcome::unknown, {}), {}, renew(6)));
        money.add(ended(record(Outcome::api_error, {}), prices, renew(12)));
        CHECK(money.text() ==
              "charged USD 570.00 on 4 orders (USD 120.00 on 1 order at list prices: their "
              "answers were lost); applied for an unknown amount on 1 order; up to USD 60.00 "
              "more on 2 orders in doubt, 1 of them without a list price");

        json::object summary;
        money.into(summary);
        CHECK(json::serialize(summary.at("charged")) ==
              R"({"USD":{"amount":"570.000","count":4},"unpriced":1})");
        CHECK(json::serialize(summary.at("charged_list_prices")) ==
              R"({"USD":{"amount":"120.000","count":1}})");
        CHECK(json::serialize(summary.at("charged_in_doubt")) ==
              R"({"USD":{"amount":"60.000","count":1},"unpriced":1})");
        CHECK(json::value_to<std::string>(summary.at("charged_text")) == money.text());
        // Read back as every output reads it: the same figure.
        const auto back =
            ChargeSummary::from_summary(json::parse(json::serialize(summary)).as_object());
        REQUIRE(back.has_value());
        CHECK(*back == money);
        CHECK(back->facts() == money.facts());
        CHECK_FALSE(ChargeSummary::from_summary(json::object{{"job", "x"}}).has_value());
    }

    TEST_CASE("every change answered with an invoice: the wording summary.json always had") {
        ChargeSummary money;
        CHECK(money.text() == "charged nothing on 0 invoices");
        money.add(record(Outcome::ok, invoiced));
        CHECK(money.text() == "charged USD 150.00 on 1 invoice");
        const auto facts = money.facts();
        REQUIRE(facts.size() == 1);
        CHECK(facts[0] ==
              std::pair<std::string, std::string>{"charged", "USD 150.00 on 1 invoice"});
    }

    TEST_CASE("money_text: the server's currency symbol is escaped and bounded (issue #20)") {
        CHECK(money_text("USD", 1'380'000) == "USD 1,380.00");
        CHECK(money_text("", -2'500) == "-2.50");
        CHECK(money_text("US\nFAKE: paid", 15'000) == "US\\x0aFAKE: paid 15.00");
        const std::string shown = money_text(std::string(1 << 20, '$'), 15'000);
        CHECK(shown == std::string(max_currency_bytes, '$') + "\u2026 (1048576 bytes) 15.00");
    }
}

}  // namespace charges_test
