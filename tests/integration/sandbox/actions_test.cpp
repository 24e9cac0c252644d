// The action log (search-current / search-archived), pending renews and /_sandbox/pay.
#include "helpers.hpp"
#include "sandbox/api/api.hpp"

#include <doctest/doctest.h>

#include <set>

namespace actions_test {

using namespace rcbatch::test;
using rcbatch::sandbox::Order;
using rcbatch::sandbox::OrderKind;

namespace {

std::size_t count_of(const boost::json::object& list) {
    return std::stoul(str(list.at("recsindb")));
}

const boost::json::object& entry(const boost::json::object& list, int n) {
    return list.at(std::to_string(n)).as_object();
}

}  // namespace

TEST_SUITE("sandbox action log") {
    TEST_CASE("every accepted change records one action with the eaqid of its reply") {
        SandboxFixture f;
        const auto renewed = active_in(f, "us");
        const auto deleted = f.find_order([&](const Order& o) {
            return o.kind == OrderKind::backup && o.region == "us" && o.status == "Active" &&
                   o.id != renewed;
        });
        const auto linked = f.find_order([&](const Order& o) {
            return o.kind == OrderKind::backup && o.region == "asia" && o.status == "Active" &&
                   o.hosting_order_id != 0;
        });
        REQUIRE(renewed * deleted * linked != 0);
        const auto hosting = f.server->order(linked)->hosting_order_id;
        auto r1 = f.post("/api/backup/us/renew.json", renew_query(renewed, 12)).json();
        auto r2 =
            f.post("/api/backup/us/delete.json", {{"backup-order-id", std::to_string(deleted)}})
                .json();
        auto r3 = f.post("/api/backup/asia/install-agent.json",
                         {{"backup-order-id", std::to_string(linked)},
                          {"hosting-order-id", std::to_string(hosting)}})
                      .json();
        CHECK(str(r1.at("actiontype")) == "Renew");
        CHECK(str(r2.at("actiontype")) == "Delete");
        CHECK(str(r3.at("status")) == "Success");
        const std::string desc = f.server->order(renewed)->description;

        auto archived = action_list(f, "archived", {renewed, deleted, linked});
        REQUIRE(count_of(archived) == 3);
        CHECK(str(archived.at("recsonpage")) == "3");
        const boost::json::object* replies[] = {&r1.as_object(), &r2.as_object(), &r3.as_object()};
        const char* types[] = {"Renew", "Delete", "InstallAgent"};
        const std::uint64_t ids[] = {renewed, deleted, linked};
        for (int i = 0; i < 3; ++i) {
            CAPTURE(i);
            const auto& e = entry(archived, i + 1);
            CHECK(str(e.at("eaqid")) == str(replies[i]->at("eaqid")));
            CHECK(str(e.at("entityid")) == std::to_string(ids[i]));
            CHECK(str(e.at("actiontype")) == types[i]);
            CHECK(str(e.at("actionstatus")) == "Success");
            CHECK(!str(e.at("actionstatusdesc")).empty());
            CHECK(std::stoll(str(e.at("actionaddedtime"))) > 1'600'000'000);
        }
        CHECK(str(entry(archived, 1).at("actiontypedesc")) ==
              "Renewal of " + desc + " for 12 months");
        CHECK(count_of(action_list(f, "current")) == 0);
        CHECK(count_of(action_list(f, "archived")) == 3);
        CHECK(f.send(http::verb::get, "/_sandbox/actions").json().at("actions").as_array().size() ==
              3);
    }

    TEST_CASE("refused changes and reads record nothing") {
        SandboxFixture f;
        const auto foreign = f.foreign_order(OrderKind::backup, "us");
        const auto id = active_in(f, "us");
        f.post("/api/backup/us/renew.json", renew_query(foreign));
        f.post("/api/backup/us/renew.json", renew_query(id, 0));
        f.post("/api/backup/us/install-agent.json", {{"backup-order-id", std::to_string(id)}});
        f.get("/api/backup/us/details.json", {{"order-id", std::to_string(id)}});
        CHECK(f.server->service().data().actions.empty());
        CHECK(count_of(action_list(f, "archived")) == 0);
    }

    TEST_CASE("an OnlyAdd renew waits in search-current until /_sandbox/pay applies it") {
        SandboxFixture f;
        const auto id = active_in(f, "asia");
        const auto before = f.server->order(id)->end_time;
        auto r =
            f.post("/api/backup/asia/renew.json", renew_query(id, 3, "OnlyAdd")).json().as_object();
        CHECK(str(r.at("actionstatus")) == "Pending");
        CHECK(str(r.at("actionstatusdesc")).find("awaiting payment") != std::string::npos);
        auto current = action_list(f, "current", {id});
        REQUIRE(count_of(current) == 1);
        CHECK(str(entry(current, 1).at("eaqid")) == str(r.at("eaqid")));
        CHECK(str(entry(current, 1).at("actionstatus")) == "Pending");
        CHECK(count_of(action_list(f, "archived", {id})) == 0);
        CHECK(end_of(f, "asia", id) == std::to_string(before));
        CHECK(f.server->counter(id, "backup.renew").applied == 1);
        CHECK(f.server->counter(id, "backup.renew").effective == 0);

        auto invoices =
            f.send(http::verb::get, "/_sandbox/invoices").json().at("invoices").as_array();
        REQUIRE(invoices.size() == 1);
        CHECK(str(invoices[0].at("invoiceid")) == str(r.at("invoiceid")));
        CHECK(str(invoices[0].at("orderid")) == std::to_string(id));
        CHECK(str(invoices[0].at("amount")) == str(r.at("sellingamount")));
        CHECK(str(invoices[0].at("currency")) == "USD");
        CHECK(invoices[0].at("paid").as_bool() == false);

        auto paid = f.send(http::verb::post, "/_sandbox/pay?order-id=" + std::to_string(id));
        REQUIRE(paid.status == 200);
        CHECK(paid.json().at("applied").as_bool());
        CHECK(end_of(f, "asia", id) == std::to_string(rcbatch::sandbox::add_months(before, 3)));
        CHECK(count_of(action_list(f, "current", {id})) == 0);
        auto archived = action_list(f, "archived", {id});
        REQUIRE(count_of(archived) == 1);
        CHECK(str(entry(archived, 1).at("actionstatus")) == "Success");
        CHECK(str(entry(archived, 1).at("eaqid")) == str(r.at("eaqid")));
        CHECK(f.send(http::verb::get, "/_sandbox/invoices")
                  .json()
                  .at("invoices")
                  .at(0)
                  .at("paid")
                  .as_bool());
        CHECK(f.server->counter(id, "backup.renew").applied == 1);
        CHECK(f.server->counter(id, "backup.renew").effective == 1);
        CHECK(!f.server->order(id)->pending);

        CHECK(f.send(http::verb::post, "/_sandbox/pay?order-id=" + std::to_string(id)).status ==
              409);
        CHECK(f.send(http::verb::post, "/_sandbox/pay?order-id=1").status == 404);
        CHECK(f.send(http::verb::post, "/_sandbox/pay").status == 400);
        CHECK(f.send(http::verb::get, "/_sandbox/pay?order-id=" + std::to_string(id)).status ==
              405);
    }

    TEST_CASE(
        "PayInvoice beyond the balance is pending; KeepInvoice applies with an unpaid invoice") {
        SandboxFixture f;
        auto& data = f.server->service().data();
        const auto poor = f.find_order([&](const Order& o) {
            return o.kind == OrderKind::backup && o.region == "us" && o.status == "Active" &&
                   data.customers.at(o.customer_id).balance_milli < 3000;
        });
        REQUIRE(poor != 0);
        auto pending =
            f.post("/api/backup/us/renew.json", renew_query(poor, 1, "PayInvoice")).json();
        CHECK(str(pending.at("actionstatus")) == "Pending");
        CHECK(count_of(action_list(f, "current", {poor})) == 1);

        const auto kept = active_in(f, "us");
        auto keep = f.post("/api/backup/us/renew.json", renew_query(kept, 1, "KeepInvoice")).json();
        CHECK(str(keep.at("actionstatus")) == "Success");
        CHECK(count_of(action_list(f, "archived", {kept})) == 1);
        CHECK(f.server->counter(kept, "backup.renew").effective == 1);
        auto pay = f.send(http::verb::post, "/_sandbox/pay?order-id=" + std::to_string(kept));
        REQUIRE(pay.status == 200);
        CHECK(pay.json().at("applied").as_bool() == false);  // only the invoice was open
        CHECK(f.server->order(kept)->renewals == 1);
    }

    TEST_CASE("paging and the order-id filter (repeated keys)") {
        SandboxFixture f;
        const auto a = active_in(f, "us");
        const auto b = active_in(f, "asia");
        for (int i = 0; i < 25; ++i)
            REQUIRE(f.post("/api/backup/us/renew.json", renew_query(a)).status == 200);
        for (int i = 0; i < 3; ++i)
            REQUIRE(f.post("/api/backup/asia/renew.json", renew_query(b)).status == 200);
        std::set<std::string> seen;
        std::uint64_t previous = 0;
        for (auto [page, on_page] : {std::pair{"1", 10}, {"2", 10}, {"3", 8}}) {
            auto list = action_list(f, "archived", {}, "10", page);
            CHECK(count_of(list) == 28);
            REQUIRE(str(list.at("recsonpage")) == std::to_string(on_page));
            for (int i = 1; i <= on_page; ++i) {
                const auto eaqid = std::stoull(str(entry(list, i).at("eaqid")));
                CHECK(eaqid > previous);  // by eaqid, ascending
                previous = eaqid;
                seen.insert(str(entry(list, i).at("eaqid")));
            }
        }
        CHECK(seen.size() == 28);
        CHECK(count_of(action_list(f, "archived", {a})) == 25);
        CHECK(count_of(action_list(f, "archived", {b})) == 3);
        CHECK(count_of(action_list(f, "archived", {a, b})) == 28);
        auto last = action_list(f, "archived", {a}, "10", "3");
        CHECK(str(last.at("recsonpage")) == "5");
        auto past = action_list(f, "archived", {a}, "10", "4");
        CHECK(str(past.at("recsonpage")) == "0");
        CHECK(count_of(past) == 25);
        CHECK(count_of(action_list(f, "archived", {}, "500")) == 28);
    }

    TEST_CASE("the lists check paging and auth, and show only the reseller's own orders") {
        SandboxFixture f;
        for (auto [records, page] :
             {std::pair{"9", "1"}, {"501", "1"}, {"10", "0"}, {"ten", "1"}}) {
            CAPTURE(records);
            auto r = f.get("/api/actions/search-current.json",
                           {{"no-of-records", records}, {"page-no", page}});
            CHECK(r.status == 500);
            CHECK(str(r.json().at("status")) == "ERROR");
        }
        auto missing = f.get("/api/actions/search-archived.json", {{"page-no", "1"}});
        CHECK(f.message_of(missing) == "Required parameter missing: no-of-records");
        auto bad_id = f.get("/api/actions/search-archived.json",
                            {{"no-of-records", "10"}, {"page-no", "1"}, {"order-id", "x"}});
        CHECK(f.message_of(bad_id).starts_with("Invalid value for order-id"));
        auto no_auth =
            f.send(http::verb::get, "/api/actions/search-current.json?no-of-records=10&page-no=1");
        CHECK(f.message_of(no_auth) == "Invalid credentials");
        CHECK(
            f.post("/api/actions/search-current.json", {{"no-of-records", "10"}, {"page-no", "1"}})
                .status == 405);

        // An action on another reseller's order (put there directly) is never listed.
        const auto foreign = f.foreign_order(OrderKind::backup, "us");
        rcbatch::sandbox::ActionRecord a;
        a.eaqid = 1;
        a.order_id = foreign;
        a.actiontype = "Renew";
        f.server->service().data().actions.emplace(a.eaqid, a);
        CHECK(count_of(action_list(f, "archived")) == 0);
        CHECK(count_of(action_list(f, "archived", {foreign})) == 0);
        CHECK(f.send(http::verb::get, "/_sandbox/actions?order-id=" + std::to_string(foreign))
                  .json()
                  .at("actions")
                  .as_array()
                  .size() == 1);
    }
}

}  // namespace actions_test
