// A batched read is trusted only when it is an answer to the ids asked (issue #20): entries
// asked for, once each, with the fields the preflight reads; an order not returned is read on
// its own; anything else stops batched reads. And the targets read ahead for them.
#include "jobs/order/batch_read_reply.hpp"

#include "jobs/actions/action_behaviour.hpp"
#include "jobs/actions/registry.hpp"
#include "jobs/order/lookahead_source.hpp"

#include <boost/json/parse.hpp>

#include <doctest/doctest.h>

namespace batch_read_reply_test {

using rcbatch::jobs::check_batch_reply;
using rcbatch::jobs::details_of_entry;
using rcbatch::jobs::PreflightOptions;

namespace {
const std::vector<std::string> renew_fields{"currentstatus", "endtime", "planid"};

boost::json::object entry(const std::string& id, const std::string& status = "Active") {
    return {{"orders.orderid", id},
            {"entity.currentstatus", status},
            {"orders.endtime", "1800000000"},
            {"orders.planid", "11"},
            {"entity.description", "backup " + id}};
}

boost::json::value reply(std::vector<boost::json::object> entries, int total = -1) {
    boost::json::object r{{"recsonpage", std::to_string(entries.size())},
                          {"recsindb", std::to_string(total < 0 ? int(entries.size()) : total)}};
    for (std::size_t i = 0; i < entries.size(); ++i) r[std::to_string(i + 1)] = entries[i];
    return r;
}
}  // namespace

TEST_CASE("a search entry reads as the order's details") {
    const auto d = details_of_entry(entry("7"));
    CHECK(d.at("orderid").as_string() == "7");
    CHECK(d.at("currentstatus").as_string() == "Active");
    CHECK(d.at("endtime").as_string() == "1800000000");
    CHECK(d.at("planid").as_string() == "11");
    CHECK(d.at("domainname").as_string() == "backup 7");
    CHECK(details_of_entry({{"entitytype.entitytypekey", "dotin"}}).at("productkey") == "dotin");
    // A plain member wins over a prefixed one of the same name.
    CHECK(details_of_entry({{"endtime", "1"}, {"orders.endtime", "2"}}).at("endtime") == "1");
}

TEST_CASE("an answer to the ids asked is used, and an order it lacks is read alone") {
    const auto r = check_batch_reply(reply({entry("1"), entry("3")}), {"1", "2", "3"}, renew_fields,
                                     PreflightOptions{});
    CHECK(r.untrusted.empty());
    CHECK(r.found.size() == 2);
    CHECK(r.found.contains("1"));
    CHECK(r.found.contains("3"));
    CHECK(r.missing == std::vector<std::string>{"2"});
}

TEST_CASE("an entry nobody asked for means the filter was ignored: nothing is used") {
    const auto r = check_batch_reply(reply({entry("1"), entry("9")}), {"1", "2"}, renew_fields,
                                     PreflightOptions{});
    CHECK(r.untrusted.find("order 9") != std::string::npos);
    CHECK(r.found.empty());
}

TEST_CASE("more records than asked, an order twice, or no search reply are not trusted") {
    const PreflightOptions o;
    CHECK(
        !check_batch_reply(reply({entry("1")}, 57), {"1", "2"}, renew_fields, o).untrusted.empty());
    CHECK(!check_batch_reply(reply({entry("1"), entry("1")}), {"1", "2"}, renew_fields, o)
               .untrusted.empty());
    CHECK(
        !check_batch_reply(boost::json::parse("[1,2]"), {"1"}, renew_fields, o).untrusted.empty());
    CHECK(!check_batch_reply(boost::json::parse(R"({"recsonpage":"2","recsindb":"2","1":{}})"),
                             {"1", "2"}, renew_fields, o)
               .untrusted.empty());
    boost::json::object no_id = entry("1");
    no_id.erase("orders.orderid");
    CHECK(!check_batch_reply(reply({no_id}), {"1"}, renew_fields, o).untrusted.empty());
}

TEST_CASE("an entry without a field the preflight reads is read alone, and names the field") {
    boost::json::object no_plan = entry("2");
    no_plan.erase("orders.planid");
    const auto r = check_batch_reply(reply({entry("1"), no_plan}), {"1", "2"}, renew_fields,
                                     PreflightOptions{});
    CHECK(r.untrusted.empty());
    CHECK(r.found.size() == 1);
    CHECK(r.incomplete == std::vector<std::string>{"2"});
    CHECK(r.lacking_field == "planid");
}

TEST_CASE("the fields an action's rules read come from its declaration") {
    using rcbatch::jobs::behaviour_of;
    using rcbatch::jobs::find_action;
    const auto& renew = behaviour_of(*find_action("domain.renew")).read_fields;
    CHECK(std::find(renew.begin(), renew.end(), "endtime") != renew.end());
    CHECK(std::find(renew.begin(), renew.end(), "currentstatus") != renew.end());
    // NIXI's verification statuses are profile settings: no search carries them.
    const auto& resend = behaviour_of(*find_action("nixi.resend")).read_fields;
    CHECK(std::find(resend.begin(), resend.end(), "@email-verification-field") != resend.end());
    PreflightOptions o;
    CHECK(!rcbatch::jobs::carries(details_of_entry(entry("1")), "@email-verification-field", o));
    CHECK(rcbatch::jobs::carries({{"ns1", "a"}}, "ns*", o));
    CHECK(rcbatch::jobs::carries({{"orderstatus", boost::json::array{}}},
                                 "orderstatus[transferlock]", o));
}

namespace {
struct ListSource : rcbatch::engine::TargetSource {
    std::vector<std::string> ids;
    std::size_t next_i = 0, pulled = 0;
    std::optional<rcbatch::engine::Target> next() override {
        if (next_i >= ids.size()) return std::nullopt;
        ++pulled;
        rcbatch::engine::Target t;
        t.seq = next_i;
        t.id = ids[next_i++];
        return t;
    }
};
}  // namespace

TEST_CASE("the targets read ahead: handed out in order, upcoming ids within the window") {
    ListSource inner;
    inner.ids = {"1", "2", "", "2", "3", "4", "5"};
    rcbatch::jobs::LookaheadSource ahead(inner, 4);
    auto none = [](const std::string&) { return false; };
    CHECK(ahead.next()->id == "1");
    // The window holds 4 targets: 2, "", 2, 3 -> ids 2 and 3, once each.
    CHECK(ahead.upcoming(10, none) == std::vector<std::string>{"2", "3"});
    CHECK(inner.pulled == 5);
    CHECK(ahead.upcoming(10, [](const std::string& id) { return id == "2"; }) ==
          std::vector<std::string>{"3"});
    std::vector<std::string> rest;
    while (auto t = ahead.next()) rest.push_back(t->id);
    CHECK(rest == std::vector<std::string>{"2", "", "2", "3", "4", "5"});
}

}  // namespace batch_read_reply_test
