// The domain changes of api.md §7: renew with its exp-date fence, name servers, theft
// protection, privacy; what details.json shows of each, and the action log.
#include "helpers.hpp"
#include "sandbox/api/reply.hpp"

#include <doctest/doctest.h>

namespace domain_changes_test {

using namespace rcbatch::test;
using rcbatch::sandbox::Order;
using rcbatch::sandbox::OrderKind;

namespace {

// The first own Active domain not pending that `also` accepts, or 0.
template <class Pred>
std::uint64_t active_domain(SandboxFixture& f, Pred also) {
    return f.find_order([&](const Order& o) {
        return o.kind == OrderKind::domain && o.status == "Active" && !o.pending && also(o);
    });
}

std::uint64_t active_domain(SandboxFixture& f) {
    return active_domain(f, [](const Order&) { return true; });
}

QueryParams domain_renew_query(std::uint64_t id, std::int64_t exp_date, int years = 1,
                               std::string option = "NoInvoice") {
    return {{"order-id", std::to_string(id)},
            {"years", std::to_string(years)},
            {"exp-date", std::to_string(exp_date)},
            {"invoice-option", std::move(option)},
            {"auto-renew", "false"}};
}

boost::json::object details(SandboxFixture& f, std::uint64_t id) {
    return f.get_json("/api/domains/details.json",
                      {{"order-id", std::to_string(id)}, {"options", "All"}});
}

bool has_status(const boost::json::object& d, std::string_view status) {
    for (const auto& s : d.at("orderstatus").as_array())
        if (s.is_string() && s.as_string() == status) return true;
    return false;
}

}  // namespace

TEST_SUITE("sandbox domain changes") {
    TEST_CASE("renew: the fence takes the current expiry once; a replay is refused, not charged") {
        SandboxFixture f;
        const auto id = active_domain(f, [](const Order& o) { return o.product_key == "dotin"; });
        REQUIRE(id != 0);
        const std::int64_t before = f.server->order(id)->end_time;
        CHECK(str(details(f, id).at("endtime")) == std::to_string(before));

        auto a = f.post("/api/domains/renew.json", domain_renew_query(id, before, 2, "KeepInvoice"))
                     .json()
                     .as_object();
        CHECK(str(a.at("actiontype")) == "RenewDomain");
        CHECK(str(a.at("actionstatus")) == "Success");
        CHECK(str(a.at("sellingamount")) == "-17.980");  // two years of a .in at 8.99
        const std::int64_t after = f.server->order(id)->end_time;
        CHECK(after > before);
        CHECK(f.server->order(id)->renewals == 1);

        // The same request again (a replay after a lost answer): the fence refuses it.
        auto replay =
            f.post("/api/domains/renew.json", domain_renew_query(id, before, 2, "KeepInvoice"))
                .json()
                .as_object();
        CHECK(str(replay.at("status")) == "ERROR");
        CHECK(f.server->order(id)->end_time == after);
        CHECK(f.server->order(id)->renewals == 1);
        CHECK(action_list(f, "archived", {id}).at("recsindb") == "1");
    }

    TEST_CASE("renew: years, exp-date and the invoice option are required and checked") {
        SandboxFixture f;
        const auto id = active_domain(f);
        const std::int64_t exp = f.server->order(id)->end_time;
        auto refused = [&](QueryParams q) {
            auto r = f.post("/api/domains/renew.json", q).json().as_object();
            return str(r.at("status")) == "ERROR";
        };
        CHECK(refused(domain_renew_query(id, exp, 0)));
        CHECK(refused(domain_renew_query(id, exp, 11)));
        CHECK(refused(domain_renew_query(id, exp, 1, "Later")));
        CHECK(refused({{"order-id", std::to_string(id)}, {"years", "1"}}));  // no exp-date
        CHECK(f.server->order(id)->renewals == 0);
    }

    TEST_CASE(
        "renew with OnlyAdd waits for payment: pending, the expiry unmoved, a second refused") {
        SandboxFixture f;
        const auto id = active_domain(f);
        const std::int64_t exp = f.server->order(id)->end_time;
        auto a = f.post("/api/domains/renew.json", domain_renew_query(id, exp, 1, "OnlyAdd"))
                     .json()
                     .as_object();
        CHECK(str(a.at("actionstatus")) == "Pending");
        CHECK(f.server->order(id)->pending.has_value());
        CHECK(f.server->order(id)->end_time == exp);
        auto again = f.post("/api/domains/renew.json", domain_renew_query(id, exp, 1, "OnlyAdd"))
                         .json()
                         .as_object();
        CHECK(str(again.at("message")) == rcbatch::sandbox::msg::action_pending);
    }

    TEST_CASE("modify-ns: 1 to 13 host names replace the set; details shows ns1..nsN") {
        SandboxFixture f;
        const auto id = active_domain(f);
        QueryParams q{{"order-id", std::to_string(id)},
                      {"ns", "ns1.new-host.example"},
                      {"ns", "ns2.new-host.example"}};
        auto a = f.post("/api/domains/modify-ns.json", q).json().as_object();
        CHECK(str(a.at("actiontype")) == "ModNS");
        auto d = details(f, id);
        CHECK(str(d.at("ns1")) == "ns1.new-host.example");
        CHECK(str(d.at("ns2")) == "ns2.new-host.example");
        CHECK_FALSE(d.contains("ns3"));
        CHECK(str(d.at("noOfNameServers")) == "2");

        QueryParams bad{{"order-id", std::to_string(id)}, {"ns", "not a host"}};
        CHECK(str(f.post("/api/domains/modify-ns.json", bad).json().at("status")) == "ERROR");
        QueryParams none{{"order-id", std::to_string(id)}};
        CHECK(str(f.post("/api/domains/modify-ns.json", none).json().at("status")) == "ERROR");
        QueryParams many{{"order-id", std::to_string(id)}};
        for (int i = 0; i < 14; ++i)
            many.emplace_back("ns", "ns" + std::to_string(i) + ".x.example");
        CHECK(str(f.post("/api/domains/modify-ns.json", many).json().at("status")) == "ERROR");
        CHECK(f.server->order(id)->name_servers.size() == 2);
    }

    TEST_CASE("theft protection on and off shows as transferlock in orderstatus") {
        SandboxFixture f;
        const auto id = active_domain(f, [](const Order& o) { return !o.theft_protection; });
        REQUIRE(id != 0);
        CHECK_FALSE(has_status(details(f, id), "transferlock"));
        const QueryParams q{{"order-id", std::to_string(id)}};
        auto on = f.post("/api/domains/enable-theft-protection.json", q).json().as_object();
        CHECK(str(on.at("actiontype")) == "EnableTheftProtection");
        CHECK(has_status(details(f, id), "transferlock"));
        f.post("/api/domains/disable-theft-protection.json", q);
        CHECK_FALSE(has_status(details(f, id), "transferlock"));
        CHECK(action_list(f, "archived", {id}).at("recsindb") == "2");
    }

    TEST_CASE("privacy: on and off where allowed; refused where the registry does not allow it") {
        SandboxFixture f;
        const auto allowed =
            active_domain(f, [](const Order& o) { return o.privacy_allowed && !o.privacy; });
        const auto barred = active_domain(f, [](const Order& o) { return !o.privacy_allowed; });
        REQUIRE(allowed != 0);
        REQUIRE(barred != 0);
        auto privacy = [&](std::uint64_t id, std::string on, std::string reason = "customer") {
            return f
                .post("/api/domains/modify-privacy-protection.json",
                      {{"order-id", std::to_string(id)},
                       {"protect-privacy", std::move(on)},
                       {"reason", std::move(reason)}})
                .json()
                .as_object();
        };
        CHECK(str(details(f, allowed).at("isprivacyprotected")) == "false");
        CHECK(str(privacy(allowed, "true").at("actiontype")) == "ModifyPrivacyProtection");
        CHECK(str(details(f, allowed).at("isprivacyprotected")) == "true");
        privacy(allowed, "false");
        CHECK(str(details(f, allowed).at("isprivacyprotected")) == "false");
        CHECK(str(privacy(allowed, "maybe").at("status")) == "ERROR");
        CHECK(str(privacy(allowed, "true", "").at("status")) == "ERROR");  // a reason is required

        CHECK(str(details(f, barred).at("privacyprotectedallowed")) == "false");
        auto refused = privacy(barred, "true");
        CHECK(str(refused.at("message")) == rcbatch::sandbox::msg::privacy_not_allowed);
        CHECK_FALSE(f.server->order(barred)->privacy);
    }

    TEST_CASE("another reseller's domain and a deleted one are refused") {
        SandboxFixture f;
        auto& data = f.server->service().data();
        std::uint64_t foreign = 0, deleted = 0;
        for (const auto& [id, o] : data.orders) {
            if (o.kind != OrderKind::domain) continue;
            if (o.reseller_id != data.reseller_id && foreign == 0) foreign = id;
            if (o.reseller_id == data.reseller_id && o.status == "Deleted" && deleted == 0)
                deleted = id;
        }
        REQUIRE(foreign != 0);
        REQUIRE(deleted != 0);
        const QueryParams theirs{{"order-id", std::to_string(foreign)}};
        CHECK(
            str(f.post("/api/domains/enable-theft-protection.json", theirs).json().at("message")) ==
            rcbatch::sandbox::msg::not_allowed);
        const QueryParams gone{{"order-id", std::to_string(deleted)}};
        CHECK(str(f.post("/api/domains/enable-theft-protection.json", gone).json().at("message")) ==
              rcbatch::sandbox::msg::order_deleted);
    }
}

}  // namespace domain_changes_test
