// The newer faults: apply-late, not-action, huge-number, continue, echo-key, hide-actions.
#include "helpers.hpp"
#include "sandbox/api/api.hpp"

#include <doctest/doctest.h>

#include <set>

namespace late_faults_test {

using namespace rcbatch::test;
using rcbatch::sandbox::FaultKind;
using rcbatch::sandbox::Order;
using rcbatch::sandbox::OrderKind;
using namespace std::chrono_literals;

namespace {

std::size_t listed(SandboxFixture& f, const std::string& which, std::uint64_t id) {
    return std::stoul(str(action_list(f, which, {id}).at("recsindb")));
}

}  // namespace

TEST_SUITE("sandbox late and odd answers") {
    TEST_CASE("apply-late: accepted and listed InProcess at once, answer lost, not applied yet") {
        auto f = fixture_with("apply-late=1,apply-delay=60s");
        const auto id = active_in(f, "us");
        const auto before = f.server->order(id)->end_time;
        auto r = f.post("/api/backup/us/renew.json", renew_query(id));
        CHECK(r.ec);
        CHECK(!r.header_read);
        auto current = action_list(f, "current", {id});
        REQUIRE(str(current.at("recsindb")) == "1");
        CHECK(str(current.at("1").at("actiontype")) == "Renew");
        CHECK(str(current.at("1").at("actionstatus")) == "InProcess");
        CHECK(listed(f, "archived", id) == 0);
        CHECK(end_of(f, "us", id) == std::to_string(before));
        CHECK(f.server->counter(id, "backup.renew").applied == 1);
        CHECK(f.server->counter(id, "backup.renew").effective == 0);
        // A second change is refused (and that refusal is answered, not lost).
        auto again = f.post("/api/backup/us/renew.json", renew_query(id));
        CHECK(f.message_of(again) == "There is already an action pending on this Order.");
        auto state =
            f.send(http::verb::get, "/_sandbox/order?order-id=" + std::to_string(id)).json();
        CHECK(str(state.at("pending").at("state")) == "in-process");
        // Reads are not faulted by apply-late.
        CHECK(f.get("/api/backup/us/details.json", {{"order-id", std::to_string(id)}}).status ==
              200);
    }

    TEST_CASE(
        "apply-late: renew, delete and install-agent take effect after the delay, then archived") {
        auto f = fixture_with("apply-late=1,apply-delay=50ms");
        const auto renewed = active_in(f, "us");
        const auto linked = active_in(f, "asia", true);
        const auto deleted = f.find_order([&](const Order& o) {
            return o.kind == OrderKind::backup && o.region == "us" && o.status == "Active" &&
                   o.id != renewed;
        });
        const auto before = f.server->order(renewed)->end_time;
        const auto hosting = std::to_string(f.server->order(linked)->hosting_order_id);
        CHECK(!f.post("/api/backup/us/renew.json", renew_query(renewed, 2)).header_read);
        CHECK(!f.post("/api/backup/us/delete.json", {{"backup-order-id", std::to_string(deleted)}})
                   .header_read);
        CHECK(!f.post("/api/backup/asia/install-agent.json",
                      {{"backup-order-id", std::to_string(linked)}, {"hosting-order-id", hosting}})
                   .header_read);
        const bool settled = wait_until(f, [&] {
            return listed(f, "current", renewed) + listed(f, "current", deleted) +
                       listed(f, "current", linked) ==
                   0;
        });
        REQUIRE(settled);
        CHECK(end_of(f, "us", renewed) == std::to_string(rcbatch::sandbox::add_months(before, 2)));
        auto details =
            f.get_json("/api/backup/us/details.json", {{"order-id", std::to_string(deleted)}});
        CHECK(str(details.at("currentstatus")) == "Deleted");
        CHECK(f.server->order(linked)->hosting_order_ids.size() == 1);
        for (auto [id, action] : {std::pair{renewed, "backup.renew"},
                                  {deleted, "backup.delete"},
                                  {linked, "backup.install-agent"}}) {
            CAPTURE(action);
            auto archived = action_list(f, "archived", {id});
            REQUIRE(str(archived.at("recsindb")) == "1");
            CHECK(str(archived.at("1").at("actionstatus")) == "Success");
            CHECK(f.server->counter(id, action).applied == 1);
            CHECK(f.server->counter(id, action).effective == 1);
        }
    }

    TEST_CASE("apply-late on an OnlyAdd renew: pending, answer lost, applied by pay") {
        auto f = fixture_with("apply-late=1,apply-delay=20ms");
        const auto id = active_in(f, "us");
        const auto before = f.server->order(id)->end_time;
        CHECK(!f.post("/api/backup/us/renew.json", renew_query(id, 1, "OnlyAdd")).header_read);
        CHECK(str(action_list(f, "current", {id}).at("1").at("actionstatus")) == "Pending");
        run_until_done(f.ioc, nap(60ms));
        CHECK(listed(f, "current", id) == 1);  // still waiting for the money
        CHECK(f.send(http::verb::post, "/_sandbox/pay?order-id=" + std::to_string(id)).status ==
              200);
        CHECK(f.server->order(id)->end_time == rcbatch::sandbox::add_months(before, 1));
    }

    TEST_CASE("not-action: HTTP 200 with true, 42, [] or {}, and nothing applied") {
        auto f = fixture_with("not-action=1");
        const auto id = active_in(f, "us");
        const auto before = f.server->order(id)->end_time;
        const auto& spec = f.server->service().options().faults;
        std::set<std::string> bodies;
        for (std::uint64_t attempt = 1; attempt <= 24; ++attempt) {
            auto r = f.post("/api/backup/us/renew.json", renew_query(id));
            CHECK(r.status == 200);
            const auto d = rcbatch::sandbox::decide_fault(spec, 42, id, "backup.renew", attempt);
            CHECK(r.body == rcbatch::sandbox::not_action_body(d.variant));
            bodies.insert(r.body);
        }
        CHECK(bodies == std::set<std::string>{"true", "42", "[]", "{}"});
        CHECK(f.server->order(id)->end_time == before);
        CHECK(f.server->counter(id, "backup.renew").applied == 0);
        CHECK(f.server->service().data().actions.empty());
        auto del = f.post("/api/backup/us/delete.json", {{"backup-order-id", std::to_string(id)}});
        CHECK(del.status == 200);
        CHECK(f.server->order(id)->status == "Active");
        // Reads answer normally.
        CHECK(f.get_json("/api/backup/us/details.json", {{"order-id", std::to_string(id)}})
                  .contains("endtime"));
    }

    TEST_CASE("huge-number: applied, and sellingamount is the raw number 1e999") {
        auto f = fixture_with("huge-number=1");
        const auto id = active_in(f, "asia");
        auto r = f.post("/api/backup/asia/renew.json", renew_query(id, 1, "KeepInvoice"));
        CHECK(r.status == 200);
        CHECK(r.body.find("\"sellingamount\":1e999") != std::string::npos);
        CHECK(r.body.find("\"eaqid\":\"") != std::string::npos);
        CHECK(f.server->order(id)->renewals == 1);
        CHECK(f.server->counter(id, "backup.renew").applied == 1);
        auto del =
            f.post("/api/backup/asia/delete.json", {{"backup-order-id", std::to_string(id)}});
        CHECK(del.body.find("\"sellingamount\":1e999") != std::string::npos);
        CHECK(f.server->order(id)->status == "Deleted");
        // A read is left alone.
        CHECK(f.get("/api/products/plan-details.json").body.find("1e999") == std::string::npos);
    }

    TEST_CASE("continue: an interim 100 Continue, then the normal reply") {
        auto f = fixture_with("continue=1");
        const auto id = active_in(f, "us");
        const std::string target = make_target("/api/backup/us/details.json",
                                               f.with_auth({{"order-id", std::to_string(id)}}));
        SandboxClient raw(f.ioc, f.server->port(), f.server->ca_pem());
        auto got = run_until_done(
            f.ioc,
            raw.raw_tls(
                "GET " + target + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n", 5s));
        CHECK(got.starts_with("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\n"));
        CHECK(got.find("\"orderid\":\"" + std::to_string(id) + "\"") != std::string::npos);
        CHECK(f.server->counter(id, "backup.details").applied == 1);
    }

    TEST_CASE("echo-key: API error messages and HTML fault pages repeat the request") {
        auto f = fixture_with("echo-key=1");
        const std::string key = f.server->api_key();
        auto unknown = f.get("/api/backup/us/details.json", {{"order-id", "1"}});
        const auto message = f.message_of(unknown);
        CHECK(message.starts_with(
            "No Entity found for Entityid: 1 (request: /api/backup/us/details.json?"));
        CHECK(message.find("api-key=" + key) != std::string::npos);
        auto form = f.post_form("/api/backup/us/delete.json", {{"backup-order-id", "1"}});
        CHECK(f.message_of(form).find(" body: auth-userid=") != std::string::npos);
        CHECK(f.message_of(form).find("api-key=" + key) != std::string::npos);
        CHECK(f.message_of(f.get("/api/backup/mars/search.json")).find("api-key=" + key) !=
              std::string::npos);
        CHECK(f.get("/api/products/plan-details.json").body.find(key) ==
              std::string::npos);  // success: no echo

        auto page = fixture_with("502=1,echo-key=1");
        auto html = page.get("/api/backup/us/details.json", {{"order-id", "1"}});
        CHECK(html.status == 502);
        CHECK(html.body.find("api-key=" + page.server->api_key()) != std::string::npos);
        auto plain = fixture_with("502=1");
        CHECK(plain.get("/api/backup/us/details.json").body.find(plain.server->api_key()) ==
              std::string::npos);
        CHECK(plain
                  .message_of(
                      SandboxFixture().get("/api/backup/us/details.json", {{"order-id", "1"}}))
                  .find("request:") == std::string::npos);
    }

    TEST_CASE("hide-actions: both lists answer empty whatever happened") {
        auto f = fixture_with("hide-actions=1");
        const auto id = active_in(f, "us");
        REQUIRE(f.post("/api/backup/us/renew.json", renew_query(id, 1, "OnlyAdd")).status == 200);
        REQUIRE(f.post("/api/backup/us/renew.json", renew_query(active_in(f, "us"))).status == 200);
        for (const char* which : {"current", "archived"}) {
            auto list = action_list(f, which);
            CHECK(str(list.at("recsindb")) == "0");
            CHECK(str(list.at("recsonpage")) == "0");
            CHECK(list.size() == 2);
        }
        CHECK(f.send(http::verb::get, "/_sandbox/actions").json().at("actions").as_array().size() ==
              2);
    }
}

}  // namespace late_faults_test
