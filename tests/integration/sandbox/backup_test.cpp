#include "fixture.hpp"
#include "sandbox/api/api.hpp"

#include <doctest/doctest.h>

#include <set>

namespace backup_test {

using namespace rcbatch::test;
using rcbatch::sandbox::Order;
using rcbatch::sandbox::OrderKind;

namespace {

std::uint64_t active_backup(SandboxFixture& f, std::string_view region) {
    return f.find_order([&](const Order& o) {
        return o.kind == OrderKind::backup && o.region == region && o.status == "Active";
    });
}

QueryParams renew_params(std::uint64_t id, std::string months, std::string option) {
    return {{"backup-order-id", std::to_string(id)},
            {"months", std::move(months)},
            {"invoice-option", std::move(option)},
            {"auto-renew", "false"}};
}

}  // namespace

TEST_SUITE("sandbox backup") {
    TEST_CASE("search pages through every order exactly once") {
        auto options = small_options();
        options.sizes.backups_per_region = 1234;
        SandboxFixture f(options);
        for (std::string region : {"us", "asia"}) {
            CAPTURE(region);
            std::set<std::uint64_t> expected;
            for (const auto& [id, o] : f.server->service().data().orders)
                if (o.kind == OrderKind::backup && o.region == region &&
                    o.reseller_id == f.server->userid())
                    expected.insert(id);
            REQUIRE(expected.size() == 1234);
            std::multiset<std::uint64_t> seen;
            for (int page = 1; page <= 13; ++page) {
                auto r = f.get_json("/api/backup/" + region + "/search.json",
                                    {{"no-of-records", "100"}, {"page-no", std::to_string(page)}});
                CHECK(str(r.at("recsindb")) == "1234");
                const std::size_t on_page = page < 13 ? 100 : 34;
                REQUIRE(str(r.at("recsonpage")) == std::to_string(on_page));
                for (std::size_t i = 1; i <= on_page; ++i) {
                    const auto& e = r.at(std::to_string(i)).as_object();
                    seen.insert(std::stoull(str(e.at("orders.orderid"))));
                    CHECK(str(e.at("entitytype.entitytypekey")) == "acronisbackup" + region);
                }
            }
            CHECK(seen.size() == expected.size());
            CHECK(std::set<std::uint64_t>(seen.begin(), seen.end()) == expected);
            auto past = f.get_json("/api/backup/" + region + "/search.json",
                                   {{"no-of-records", "100"}, {"page-no", "14"}});
            CHECK(str(past.at("recsonpage")) == "0");
            CHECK(str(past.at("recsindb")) == "1234");
        }
    }

    TEST_CASE("search filters by status and expiry and sorts by endtime") {
        SandboxFixture f;
        const std::int64_t now = f.server->service().options().now;
        auto r = f.get_json("/api/backup/us/search.json",
                            {{"no-of-records", "500"},
                             {"page-no", "1"},
                             {"status", "Active"},
                             {"expiry-date-start", std::to_string(now)},
                             {"expiry-date-end", std::to_string(now + 30 * 86400)},
                             {"order-by", "endtime desc"}});
        const auto n = std::stoul(str(r.at("recsonpage")));
        CHECK(n >= 1);
        std::int64_t previous = INT64_MAX;
        for (std::size_t i = 1; i <= n; ++i) {
            const auto& e = r.at(std::to_string(i)).as_object();
            CHECK(str(e.at("entity.currentstatus")) == "Active");
            const auto end = std::stoll(str(e.at("orders.endtime")));
            CHECK(end > now);
            CHECK(end < now + 30 * 86400);
            CHECK(end <= previous);
            previous = end;
        }
        auto two = f.get_json("/api/backup/asia/search.json", {{"no-of-records", "10"},
                                                               {"page-no", "1"},
                                                               {"status", "Deleted"},
                                                               {"status", "Suspended"}});
        for (std::size_t i = 1; i <= std::stoul(str(two.at("recsonpage"))); ++i) {
            auto status = str(two.at(std::to_string(i)).at("entity.currentstatus"));
            CHECK((status == "Deleted" || status == "Suspended"));
        }
    }

    TEST_CASE("search checks its paging parameters") {
        SandboxFixture f;
        for (auto [records, page] : {std::pair{"9", "1"}, {"501", "1"}, {"10", "0"}, {"x", "1"}}) {
            CAPTURE(records);
            auto r = f.get("/api/backup/us/search.json",
                           {{"no-of-records", records}, {"page-no", page}});
            CHECK(r.status == 500);
            CHECK(str(r.json().at("status")) == "ERROR");
        }
        auto missing = f.get("/api/backup/us/search.json", {{"page-no", "1"}});
        CHECK(f.message_of(missing) == "Required parameter missing: no-of-records");
    }

    TEST_CASE("details in both regions and with the alternative spelling") {
        SandboxFixture f;
        for (std::string region : {"us", "asia"}) {
            const auto id = active_backup(f, region);
            REQUIRE(id != 0);
            for (std::string group : {"/api/backup/", "/api/backups/"}) {
                auto r = f.get_json(group + region + "/details.json",
                                    {{"order-id", std::to_string(id)}});
                CHECK(str(r.at("orderid")) == std::to_string(id));
                CHECK(str(r.at("currentstatus")) == "Active");
                CHECK(str(r.at("endtime")) == std::to_string(f.server->order(id)->end_time));
                for (const char* key : {"description", "creationtime", "customerid", "planid",
                                        "storagesizegb", "hostingorderid"})
                    CHECK(r.at(key).is_string());
            }
            // The other region does not know the order.
            const std::string other = region == "us" ? "asia" : "us";
            auto wrong =
                f.get("/api/backup/" + other + "/details.json", {{"order-id", std::to_string(id)}});
            CHECK(f.message_of(wrong) == "No Entity found for Entityid: " + std::to_string(id));
        }
    }

    TEST_CASE("documented errors: unknown, foreign, missing and non-numeric ids") {
        SandboxFixture f;
        auto unknown = f.get("/api/backup/us/details.json", {{"order-id", "1"}});
        CHECK(unknown.status == 500);
        CHECK(f.message_of(unknown) == "No Entity found for Entityid: 1");
        const auto foreign = f.foreign_order(OrderKind::backup, "us");
        REQUIRE(foreign != 0);
        auto not_mine =
            f.post("/api/backup/us/renew.json", renew_params(foreign, "12", "NoInvoice"));
        CHECK(f.message_of(not_mine) == "You are not allowed to perform this action");
        CHECK(f.server->counter(foreign, "backup.renew").applied == 0);
        auto missing = f.post("/api/backup/us/delete.json");
        CHECK(f.message_of(missing) == "Required parameter missing: backup-order-id");
        auto bad = f.post("/api/backup/us/delete.json", {{"backup-order-id", "12x"}});
        CHECK(f.message_of(bad).starts_with("Invalid value for backup-order-id"));
    }

    TEST_CASE("renew moves the end time by the months and returns the action") {
        SandboxFixture f;
        const auto id = active_backup(f, "us");
        const auto before = f.server->order(id)->end_time;
        auto r = f.post("/api/backup/us/renew.json", renew_params(id, "12", "NoInvoice"));
        REQUIRE(r.status == 200);
        auto a = r.json().as_object();
        CHECK(str(a.at("entityid")) == std::to_string(id));
        CHECK(str(a.at("actionstatus")) == "Success");
        CHECK(str(a.at("actiontypedesc")).find("for 12 months") != std::string::npos);
        CHECK(a.contains("eaqid"));
        CHECK(!a.contains("invoiceid"));
        const auto after = f.server->order(id)->end_time;
        CHECK(after == rcbatch::sandbox::add_months(before, 12));
        CHECK(after - before >= 365 * 86400);
        auto details =
            f.get_json("/api/backup/us/details.json", {{"order-id", std::to_string(id)}});
        CHECK(str(details.at("endtime")) == std::to_string(after));
        CHECK(f.server->counter(id, "backup.renew").applied == 1);
        CHECK(f.server->counter(id, "backup.renew").received == 1);
    }

    TEST_CASE("renew with an invoice: KeepInvoice runs, OnlyAdd leaves the action pending") {
        SandboxFixture f;
        const auto id = active_backup(f, "asia");
        const auto before = f.server->order(id)->end_time;
        auto keep =
            f.post_form("/api/backup/asia/renew.json", renew_params(id, "1", "KeepInvoice"));
        REQUIRE(keep.status == 200);
        auto a = keep.json().as_object();
        CHECK(a.contains("invoiceid"));
        CHECK(str(a.at("sellingamount")).starts_with("-"));
        CHECK(str(a.at("sellingcurrencysymbol")) == "USD");
        const auto moved = f.server->order(id)->end_time;
        CHECK(moved > before);

        auto add = f.post("/api/backup/asia/renew.json", renew_params(id, "1", "OnlyAdd"));
        REQUIRE(add.status == 200);
        CHECK(str(add.json().at("actionstatus")) == "Pending");
        CHECK(f.server->order(id)->end_time == moved);
        CHECK(f.server->order(id)->pending.has_value());
        auto again = f.post("/api/backup/asia/renew.json", renew_params(id, "1", "NoInvoice"));
        CHECK(f.message_of(again) == "There is already an action pending on this Order.");
        auto del =
            f.post("/api/backup/asia/delete.json", {{"backup-order-id", std::to_string(id)}});
        CHECK(f.message_of(del) == "There is already an action pending on this Order.");
        CHECK(f.server->counter(id, "backup.renew").applied == 2);
        CHECK(f.server->counter(id, "backup.renew").received == 3);
    }

    TEST_CASE("PayInvoice pays from the balance, or stays pending when it is too low") {
        SandboxFixture f;
        auto& data = f.server->service().data();
        const auto rich = f.find_order([&](const Order& o) {
            return o.kind == OrderKind::backup && o.region == "us" && o.status == "Active" &&
                   data.customers.at(o.customer_id).balance_milli > 1000000;
        });
        const auto poor = f.find_order([&](const Order& o) {
            return o.kind == OrderKind::backup && o.region == "us" && o.status == "Active" &&
                   data.customers.at(o.customer_id).balance_milli < 3000;
        });
        REQUIRE(rich != 0);
        REQUIRE(poor != 0);
        auto paid = f.post("/api/backup/us/renew.json", renew_params(rich, "1", "PayInvoice"));
        CHECK(str(paid.json().at("actionstatus")) == "InvoicePaid");
        CHECK(f.server->order(rich)->renewals == 1);
        auto pending = f.post("/api/backup/us/renew.json", renew_params(poor, "1", "PayInvoice"));
        CHECK(str(pending.json().at("actionstatus")) == "Pending");
        CHECK(f.server->order(poor)->renewals == 0);
    }

    TEST_CASE("renew checks months, invoice-option and auto-renew") {
        SandboxFixture f;
        const auto id = active_backup(f, "us");
        CHECK(f.message_of(f.post("/api/backup/us/renew.json", renew_params(id, "0", "NoInvoice")))
                  .starts_with("Invalid value for months"));
        CHECK(f.message_of(f.post("/api/backup/us/renew.json", renew_params(id, "12", "Cash")))
                  .starts_with("Invalid value for invoice-option"));
        auto no_flag = renew_params(id, "12", "NoInvoice");
        no_flag.pop_back();
        CHECK(f.message_of(f.post("/api/backup/us/renew.json", no_flag)) ==
              "Required parameter missing: auto-renew");
        CHECK(f.server->order(id)->renewals == 0);
    }

    TEST_CASE("delete sets Deleted, and a deleted order refuses renew and delete") {
        SandboxFixture f;
        const auto id = active_backup(f, "us");
        auto r = f.post("/api/backups/us/delete.json", {{"backup-order-id", std::to_string(id)}});
        REQUIRE(r.status == 200);
        CHECK(str(r.json().at("actiontype")) == "Delete");  // the action log's type name
        CHECK(f.server->order(id)->status == "Deleted");
        CHECK(f.message_of(f.post("/api/backup/us/delete.json",
                                  {{"backup-order-id", std::to_string(id)}})) ==
              "This action is not allowed on a Deleted order.");
        CHECK(
            f.message_of(f.post("/api/backup/us/renew.json", renew_params(id, "1", "NoInvoice"))) ==
            "This action is not allowed on a Deleted order.");
        CHECK(f.server->counter(id, "backup.delete").applied == 1);
    }

    TEST_CASE("auto-login returns a fresh URL each time") {
        SandboxFixture f;
        const auto id = active_backup(f, "asia");
        auto a = f.get_json("/api/backup/asia/auto-login-details.json",
                            {{"backup-order-id", std::to_string(id)}});
        auto b = f.get_json("/api/backup/asia/auto-login-details.json",
                            {{"backup-order-id", std::to_string(id)}});
        CHECK(str(a.at("status")) == "Success");
        CHECK(str(a.at("orderid")) == std::to_string(id));
        CHECK(str(a.at("autoLoginUrl")).starts_with("https://"));
        CHECK(str(a.at("autoLoginUrl")) != str(b.at("autoLoginUrl")));
    }

    TEST_CASE("install-agent checks the hosting order, also on the region-less path") {
        SandboxFixture f;
        const auto linked = f.find_order([](const Order& o) {
            return o.kind == OrderKind::backup && o.region == "us" && o.status == "Active" &&
                   o.hosting_order_id != 0;
        });
        REQUIRE(linked != 0);
        const auto hosting = f.server->order(linked)->hosting_order_id;
        auto wrong = f.post("/api/backup/us/install-agent.json",
                            {{"backup-order-id", std::to_string(linked)},
                             {"hosting-order-id", std::to_string(hosting + 1)}});
        CHECK(f.message_of(wrong).find("is not linked") != std::string::npos);
        auto missing = f.post("/api/backup/us/install-agent.json",
                              {{"backup-order-id", std::to_string(linked)}});
        CHECK(f.message_of(missing) == "Required parameter missing: hosting-order-id");
        auto ok = f.post("/api/backup/install-agent.json",
                         {{"backup-order-id", std::to_string(linked)},
                          {"hosting-order-id", std::to_string(hosting)}});
        CHECK(str(ok.json().at("status")) == "Success");
        CHECK(f.server->order(linked)->agent_installs == 1);
        const auto asia = active_backup(f, "asia");
        auto asia_on_us =
            f.post("/api/backup/install-agent.json",
                   {{"backup-order-id", std::to_string(asia)}, {"hosting-order-id", "5"}});
        CHECK(f.message_of(asia_on_us) == "No Entity found for Entityid: " + std::to_string(asia));
    }

    TEST_CASE("plan details hold both Acronis product keys") {
        SandboxFixture f;
        auto r = f.get_json("/api/products/plan-details.json");
        for (const char* key : {"acronisbackupus", "acronisbackupasia"}) {
            CAPTURE(key);
            REQUIRE(r.contains(key));
            const auto& plans = r.at(key).as_object();
            CHECK(plans.size() >= 1);
            for (const auto& [id, plan] : plans) {
                CHECK(plan.at("plan_name").is_string());
                CHECK(str(plan.at("plan_status")) == "Active");
            }
        }
    }
}

}  // namespace backup_test
