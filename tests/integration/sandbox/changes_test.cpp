// The replies of changes (api.md §4), plan prices and the install pairs.
#include "helpers.hpp"
#include "sandbox/api/reply.hpp"

#include <doctest/doctest.h>

#include <regex>

namespace changes_test {

using namespace rcbatch::test;
using rcbatch::sandbox::Order;
using rcbatch::sandbox::OrderKind;

namespace {

const rcbatch::sandbox::Plan& plan_of(SandboxFixture& f, std::uint64_t id) {
    for (const auto& p : f.server->service().data().plans)
        if (p.id == f.server->order(id)->plan_id) return p;
    throw std::runtime_error("no plan");
}

bool money_text(const boost::json::value& v) {
    static const std::regex form("-?[0-9]+\\.[0-9]{3}");
    return v.is_string() && std::regex_match(std::string(v.as_string()), form);
}

}  // namespace

TEST_SUITE("sandbox change replies") {
    TEST_CASE("an invoiced renew charges the plan's monthly price x months - discount") {
        SandboxFixture f;
        const auto id = active_in(f, "us");
        const auto& plan = plan_of(f, id);
        auto q = renew_query(id, 12, "KeepInvoice");
        q.emplace_back("discount-amount", "10.5");
        auto a = f.post("/api/backup/us/renew.json", q).json().as_object();
        const auto expected =
            rcbatch::sandbox::format_milli(-(plan.monthly_price_milli * 12 - 10500));
        CHECK(str(a.at("sellingamount")) == expected);
        CHECK(str(a.at("unutilisedsellingamount")) == expected);  // kept: nothing paid yet
        CHECK(str(a.at("sellingcurrencysymbol")) == plan.currency);
        CHECK(str(a.at("customerid")) == std::to_string(f.server->order(id)->customer_id));
        CHECK(money_text(a.at("sellingamount")));
        for (const char* key : {"entityid", "description", "actiontype", "actiontypedesc", "eaqid",
                                "actionstatus", "actionstatusdesc", "status", "invoiceid"}) {
            CAPTURE(key);
            CHECK(a.at(key).is_string());
        }
        CHECK(str(a.at("actiontype")) == "Renew");
        CHECK(str(a.at("actionstatus")) == "Success");
        CHECK(str(a.at("status")) == "Success");
    }

    TEST_CASE(
        "PayInvoice from a sufficient balance leaves nothing unutilised; NoInvoice has no money") {
        SandboxFixture f;
        auto& data = f.server->service().data();
        const auto rich = f.find_order([&](const Order& o) {
            return o.kind == OrderKind::backup && o.region == "asia" && o.status == "Active" &&
                   data.customers.at(o.customer_id).balance_milli > 1000000;
        });
        REQUIRE(rich != 0);
        const auto price = plan_of(f, rich).monthly_price_milli;
        const auto balance = data.customers.at(f.server->order(rich)->customer_id).balance_milli;
        auto paid = f.post("/api/backup/asia/renew.json", renew_query(rich, 2, "PayInvoice"))
                        .json()
                        .as_object();
        CHECK(str(paid.at("actionstatus")) == "InvoicePaid");
        CHECK(str(paid.at("sellingamount")) == rcbatch::sandbox::format_milli(-2 * price));
        CHECK(str(paid.at("unutilisedsellingamount")) == "0.000");
        CHECK(data.customers.at(f.server->order(rich)->customer_id).balance_milli ==
              balance - 2 * price);

        const auto plain = active_in(f, "us");
        auto none = f.post("/api/backup/us/renew.json", renew_query(plain)).json().as_object();
        for (const char* key :
             {"invoiceid", "sellingamount", "sellingcurrencysymbol", "unutilisedsellingamount"})
            CHECK(!none.contains(key));
        CHECK(
            f.send(http::verb::get, "/_sandbox/invoices").json().at("invoices").as_array().size() ==
            1);
    }

    TEST_CASE("delete answers an action object") {
        SandboxFixture f;
        const auto id = active_in(f, "asia");
        auto a = f.post("/api/backup/asia/delete.json", {{"backup-order-id", std::to_string(id)}})
                     .json()
                     .as_object();
        CHECK(str(a.at("entityid")) == std::to_string(id));
        CHECK(str(a.at("description")) == f.server->order(id)->description);
        CHECK(str(a.at("actiontype")) == "Delete");
        CHECK(str(a.at("actiontypedesc")) == "Deletion of " + f.server->order(id)->description);
        CHECK(str(a.at("actionstatus")) == "Success");
        CHECK(a.at("eaqid").is_string());
        CHECK(!a.contains("invoiceid"));
        CHECK(f.server->counter(id, "backup.delete").effective == 1);
    }

    TEST_CASE("install-agent answers its eaqid and keeps every (backup, hosting) pair") {
        SandboxFixture f;
        const auto linked = active_in(f, "us", true);
        const auto unlinked = f.find_order([](const Order& o) {
            return o.kind == OrderKind::backup && o.region == "us" && o.status == "Active" &&
                   o.hosting_order_id == 0;
        });
        REQUIRE(linked * unlinked != 0);
        const auto hosting = std::to_string(f.server->order(linked)->hosting_order_id);
        for (int i = 0; i < 2; ++i) {
            auto r =
                f.post("/api/backup/us/install-agent.json",
                       {{"backup-order-id", std::to_string(linked)}, {"hosting-order-id", hosting}})
                    .json()
                    .as_object();
            CHECK(str(r.at("status")) == "Success");
            CHECK(!str(r.at("message")).empty());
            CHECK(r.at("eaqid").is_string());
        }
        auto r = f.post(
            "/api/backup/us/install-agent.json",
            {{"backup-order-id", std::to_string(unlinked)}, {"hosting-order-id", "45000123"}});
        REQUIRE(r.status == 200);
        auto state =
            f.send(http::verb::get, "/_sandbox/order?order-id=" + std::to_string(linked)).json();
        CHECK(state.at("hosting_order_ids") ==
              boost::json::value(boost::json::array{hosting.c_str(), hosting.c_str()}));
        auto other =
            f.send(http::verb::get, "/_sandbox/order?order-id=" + std::to_string(unlinked)).json();
        CHECK(other.at("hosting_order_ids") == boost::json::value(boost::json::array{"45000123"}));
        CHECK(end_of(f, "us", unlinked) == std::to_string(f.server->order(unlinked)->end_time));
        auto details =
            f.get_json("/api/backup/us/details.json", {{"order-id", std::to_string(unlinked)}});
        CHECK(str(details.at("hostingorderid")) == "45000123");
        CHECK(f.server->counter(linked, "backup.install-agent").applied == 2);
        CHECK(f.server->counter(linked, "backup.install-agent").effective == 2);
    }

    TEST_CASE(
        "plan-details: price_per_month and currency for every plan but one; orders name plans") {
        SandboxFixture f;
        auto r = f.get_json("/api/products/plan-details.json");
        std::vector<std::string> unpriced;
        for (const char* key : {"acronisbackupus", "acronisbackupasia"}) {
            for (const auto& [id, v] : r.at(key).as_object()) {
                CAPTURE(id);
                const auto& plan = v.as_object();
                CHECK(plan.at("plan_name").is_string());
                CHECK(str(plan.at("plan_status")) == "Active");
                CHECK(std::stoi(str(plan.at("storage_gb"))) > 0);
                CHECK(str(plan.at("currency")) == "USD");
                if (plan.contains("price_per_month"))
                    CHECK(money_text(plan.at("price_per_month")));
                else
                    unpriced.push_back(std::string(id));
            }
        }
        REQUIRE(unpriced.size() == 1);
        std::size_t users = 0, backups = 0;
        for (const auto& [id, o] : f.server->service().data().orders) {
            if (o.kind != OrderKind::backup || o.reseller_id != f.server->userid()) continue;
            ++backups;
            users += o.plan_id == unpriced[0];
            CHECK(r.at(o.product_key).as_object().contains(o.plan_id));
        }
        CHECK(users >= 1);
        CHECK(users * 10 < backups);  // a few orders only
        const auto user = f.find_order(
            [&](const Order& o) { return o.plan_id == unpriced[0] && o.status == "Active"; });
        REQUIRE(user != 0);
        const std::string region = f.server->order(user)->region;
        auto details = f.get_json("/api/backup/" + region + "/details.json",
                                  {{"order-id", std::to_string(user)}});
        CHECK(str(details.at("planid")) == unpriced[0]);
        // The unlisted plan still has a price when renewing (the invoice shows it).
        auto renew =
            f.post("/api/backup/" + region + "/renew.json", renew_query(user, 1, "KeepInvoice"))
                .json();
        CHECK(money_text(renew.at("sellingamount")));
    }
}

}  // namespace changes_test
