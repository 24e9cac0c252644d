// Order suspension (orders/suspend.json, orders/unsuspend.json): an Active domain or backup
// order to Suspended and back, the action log, the refusals, the faults that hold or decline
// a change, and the state file.
#include "helpers.hpp"
#include "sandbox/api/reply.hpp"
#include "tests/support/temp_dir.hpp"

#include <doctest/doctest.h>

namespace orders_test {

using namespace rcbatch::test;
using rcbatch::sandbox::Order;
using rcbatch::sandbox::OrderKind;
using namespace std::chrono_literals;

namespace {

// The first own order of `kind` in `status`, not pending, that `also` accepts, or 0.
template <class Pred>
std::uint64_t own_order(SandboxFixture& f, OrderKind kind, std::string_view status, Pred also) {
    return f.find_order([&](const Order& o) {
        return o.kind == kind && o.status == status && !o.pending && also(o);
    });
}

std::uint64_t own_order(SandboxFixture& f, OrderKind kind, std::string_view status) {
    return own_order(f, kind, status, [](const Order&) { return true; });
}

boost::json::object suspend(SandboxFixture& f, std::uint64_t id,
                            std::string reason = "abuse report") {
    return f
        .post("/api/orders/suspend.json",
              {{"order-id", std::to_string(id)}, {"reason", std::move(reason)}})
        .json()
        .as_object();
}

boost::json::object unsuspend(SandboxFixture& f, std::uint64_t id) {
    return f.post("/api/orders/unsuspend.json", {{"order-id", std::to_string(id)}})
        .json()
        .as_object();
}

std::string domain_status(SandboxFixture& f, std::uint64_t id) {
    return str(f.get_json("/api/domains/details.json", {{"order-id", std::to_string(id)}})
                   .at("currentstatus"));
}

std::size_t listed(SandboxFixture& f, const std::string& which, std::uint64_t id) {
    return std::stoul(str(action_list(f, which, {id}).at("recsindb")));
}

}  // namespace

TEST_SUITE("sandbox order suspension") {
    TEST_CASE("suspend an Active domain: an action object, Suspended in details, logged once") {
        SandboxFixture f;
        const auto id = own_order(f, OrderKind::domain, "Active");
        REQUIRE(id != 0);
        auto a = suspend(f, id, "phishing");
        CHECK(str(a.at("status")) == "Success");
        CHECK(str(a.at("entityid")) == std::to_string(id));
        CHECK(str(a.at("actiontype")) == "Suspend");
        CHECK(str(a.at("actionstatus")) == "Success");
        CHECK(str(a.at("actiontypedesc")).find("(phishing)") != std::string::npos);
        CHECK(!str(a.at("eaqid")).empty());
        CHECK(domain_status(f, id) == "Suspended");
        CHECK(f.server->order(id)->status == "Suspended");

        auto archived = action_list(f, "archived", {id});
        REQUIRE(str(archived.at("recsindb")) == "1");
        CHECK(str(archived.at("1").at("actiontype")) == "Suspend");
        CHECK(str(archived.at("1").at("eaqid")) == str(a.at("eaqid")));
        CHECK(listed(f, "current", id) == 0);
        CHECK(f.server->counter(id, "orders.suspend").received == 1);
        CHECK(f.server->counter(id, "orders.suspend").applied == 1);
        CHECK(f.server->counter(id, "orders.suspend").effective == 1);
    }

    TEST_CASE("suspend twice: the second is refused and records nothing; unsuspend restores") {
        SandboxFixture f;
        const auto id = own_order(f, OrderKind::domain, "Active");
        REQUIRE(id != 0);
        CHECK(str(suspend(f, id).at("actiontype")) == "Suspend");
        auto again = suspend(f, id);
        CHECK(str(again.at("status")) == "ERROR");
        CHECK(str(again.at("message")) == "The order is already suspended.");
        CHECK(listed(f, "archived", id) == 1);
        CHECK(f.server->counter(id, "orders.suspend").applied == 1);

        auto back = unsuspend(f, id);
        CHECK(str(back.at("actiontype")) == "Unsuspend");
        CHECK(str(back.at("actionstatus")) == "Success");
        CHECK(domain_status(f, id) == "Active");
        auto log = action_list(f, "archived", {id});
        REQUIRE(str(log.at("recsindb")) == "2");
        CHECK(str(log.at("2").at("actiontype")) == "Unsuspend");

        auto not_suspended = unsuspend(f, id);
        CHECK(str(not_suspended.at("message")) == "The order is not suspended.");
        CHECK(listed(f, "archived", id) == 2);
        CHECK(f.server->counter(id, "orders.unsuspend").applied == 1);
    }

    TEST_CASE("a backup order of either region is suspended and unsuspended by the same calls") {
        SandboxFixture f;
        for (std::string region : {"us", "asia"}) {
            CAPTURE(region);
            const auto id = active_in(f, region);
            REQUIRE(id != 0);
            CHECK(str(suspend(f, id).at("actiontype")) == "Suspend");
            auto d = f.get_json("/api/backup/" + region + "/details.json",
                                {{"order-id", std::to_string(id)}});
            CHECK(str(d.at("currentstatus")) == "Suspended");
            CHECK(str(suspend(f, id).at("message")) == "The order is already suspended.");
            CHECK(str(unsuspend(f, id).at("actiontype")) == "Unsuspend");
            CHECK(f.server->order(id)->status == "Active");
        }
        // A seeded Suspended backup is unsuspended.
        const auto seeded = own_order(f, OrderKind::backup, "Suspended");
        REQUIRE(seeded != 0);
        CHECK(str(unsuspend(f, seeded).at("actionstatus")) == "Success");
        CHECK(f.server->order(seeded)->status == "Active");
    }

    TEST_CASE("refused: no reason, not Active, Deleted, another reseller's, unknown, no id") {
        SandboxFixture f;
        const auto active = own_order(f, OrderKind::domain, "Active");
        const auto inactive = own_order(f, OrderKind::domain, "InActive");
        const auto deleted = own_order(f, OrderKind::domain, "Deleted");
        const auto foreign = f.foreign_order(OrderKind::domain);
        const auto foreign_backup = f.foreign_order(OrderKind::backup);
        REQUIRE(active != 0);
        REQUIRE(inactive != 0);
        REQUIRE(deleted != 0);
        REQUIRE(foreign != 0);
        REQUIRE(foreign_backup != 0);
        const auto actions_before = f.server->service().data().actions.size();

        auto message = [](const boost::json::object& r) {
            CHECK(str(r.at("status")) == "ERROR");
            return str(r.at("message"));
        };
        CHECK(message(f.post("/api/orders/suspend.json", {{"order-id", std::to_string(active)}})
                          .json()
                          .as_object()) == "Required parameter missing: reason");
        CHECK(message(suspend(f, active, "")) == "Required parameter missing: reason");
        CHECK(message(suspend(f, inactive)) ==
              "Suspension is not allowed for an order in InActive status.");
        CHECK(message(suspend(f, deleted)) == rcbatch::sandbox::msg::order_deleted);
        CHECK(message(unsuspend(f, deleted)) == rcbatch::sandbox::msg::order_deleted);
        CHECK(message(suspend(f, foreign)) == rcbatch::sandbox::msg::not_allowed);
        CHECK(message(suspend(f, foreign_backup)) == rcbatch::sandbox::msg::not_allowed);
        CHECK(message(unsuspend(f, foreign)) == rcbatch::sandbox::msg::not_allowed);
        CHECK(message(suspend(f, 99'999'999)) == "No Entity found for Entityid: 99999999");
        CHECK(message(f.post("/api/orders/suspend.json", {{"reason", "x"}}).json().as_object()) ==
              "Required parameter missing: order-id");
        CHECK(message(f.post("/api/orders/unsuspend.json", {{"order-id", "twelve"}})
                          .json()
                          .as_object()) == "Invalid value for order-id: twelve");
        CHECK(message(unsuspend(f, active)) == "The order is not suspended.");

        CHECK(f.server->service().data().actions.size() == actions_before);
        CHECK(f.server->order(active)->status == "Active");
        CHECK(f.server->order(inactive)->status == "InActive");
        CHECK(f.server->order(foreign)->status != "Suspended");
        for (auto id : {active, inactive, deleted, foreign})
            CHECK(f.server->counter(id, "orders.suspend").applied == 0);
    }

    TEST_CASE("a change is a POST; GET is 405 and changes nothing") {
        SandboxFixture f;
        const auto id = own_order(f, OrderKind::domain, "Active");
        auto r =
            f.get("/api/orders/suspend.json", {{"order-id", std::to_string(id)}, {"reason", "x"}});
        CHECK(r.status == 405);
        CHECK(f.server->order(id)->status == "Active");
        CHECK(f.get("/api/orders/unsuspend.json", {{"order-id", std::to_string(id)}}).status ==
              405);
    }

    TEST_CASE("a pending action on the order refuses a suspend") {
        SandboxFixture f;
        const auto id = own_order(f, OrderKind::domain, "Active");
        const std::int64_t exp = f.server->order(id)->end_time;
        f.post("/api/domains/renew.json", {{"order-id", std::to_string(id)},
                                           {"years", "1"},
                                           {"exp-date", std::to_string(exp)},
                                           {"invoice-option", "OnlyAdd"},
                                           {"auto-renew", "false"}});
        REQUIRE(f.server->order(id)->pending.has_value());
        CHECK(str(suspend(f, id).at("message")) == rcbatch::sandbox::msg::action_pending);
        CHECK(f.server->order(id)->status == "Active");
    }

    TEST_CASE("apply-late: the suspend is listed InProcess, its answer lost, in effect later") {
        auto f = fixture_with("apply-late=1,apply-delay=50ms,only-action=orders.suspend");
        const auto id = own_order(f, OrderKind::domain, "Active");
        REQUIRE(id != 0);
        auto r = f.post("/api/orders/suspend.json",
                        {{"order-id", std::to_string(id)}, {"reason", "late"}});
        CHECK(!r.header_read);
        auto current = action_list(f, "current", {id});
        REQUIRE(str(current.at("recsindb")) == "1");
        CHECK(str(current.at("1").at("actiontype")) == "Suspend");
        CHECK(str(current.at("1").at("actionstatus")) == "InProcess");
        CHECK(f.server->counter(id, "orders.suspend").applied == 1);
        // While it is held, a read still shows Active and an unsuspend is refused as pending.
        CHECK(f.server->counter(id, "orders.suspend").effective == 0);
        CHECK(str(unsuspend(f, id).at("message")) == rcbatch::sandbox::msg::action_pending);

        REQUIRE(wait_until(f, [&] { return listed(f, "current", id) == 0; }));
        CHECK(domain_status(f, id) == "Suspended");
        auto archived = action_list(f, "archived", {id});
        REQUIRE(str(archived.at("recsindb")) == "1");
        CHECK(str(archived.at("1").at("actionstatus")) == "Success");
        CHECK(f.server->counter(id, "orders.suspend").effective == 1);
    }

    TEST_CASE("decline: an action object that failed, nothing applied or recorded") {
        auto f = fixture_with("decline=1,only-action=orders.suspend");
        const auto id = own_order(f, OrderKind::domain, "Active");
        auto a = suspend(f, id);
        const std::string status = str(a.at("actionstatus"));
        CHECK((status == "error" || status == "Cancelled"));
        CHECK(f.server->order(id)->status == "Active");
        CHECK(listed(f, "archived", id) + listed(f, "current", id) == 0);
        CHECK(f.server->counter(id, "orders.suspend").applied == 0);
    }

    TEST_CASE("close-after: the suspend is applied though its answer is lost") {
        auto f = fixture_with("close-after=1,only-action=orders.suspend");
        const auto id = own_order(f, OrderKind::domain, "Active");
        auto r = f.post("/api/orders/suspend.json",
                        {{"order-id", std::to_string(id)}, {"reason", "lost"}});
        CHECK(!r.header_read);
        CHECK(f.server->order(id)->status == "Suspended");
        CHECK(listed(f, "archived", id) == 1);
    }

    TEST_CASE("with a state file, a suspension is kept by the next sandbox") {
        TempDir tmp{"rcbatch-sandbox-orders"};
        auto o = small_options();
        o.state_file = tmp.path / "state.json";
        std::uint64_t id = 0;
        {
            SandboxFixture f(o);
            id = own_order(f, OrderKind::domain, "Active");
            REQUIRE(id != 0);
            CHECK(str(suspend(f, id).at("actiontype")) == "Suspend");
        }
        SandboxFixture again(o);
        CHECK(again.server->order(id)->status == "Suspended");
        CHECK(listed(again, "archived", id) == 1);
        CHECK(str(suspend(again, id).at("message")) == "The order is already suspended.");
    }
}

}  // namespace orders_test
