#include "fixture.hpp"

#include <doctest/doctest.h>

#include <set>

namespace domains_test {

using namespace rcbatch::test;
using rcbatch::sandbox::Order;
using rcbatch::sandbox::OrderKind;

namespace {

std::uint64_t domain_where(SandboxFixture& f, std::string_view status, std::string_view email,
                           std::string_view ekyc) {
    return f.find_order([&](const Order& o) {
        return o.kind == OrderKind::domain && o.status == status && o.email_verification == email &&
               o.ekyc_verification == ekyc;
    });
}

}  // namespace

TEST_SUITE("sandbox domains") {
    TEST_CASE("search pages with product-key, status and domain-name filters") {
        SandboxFixture f;
        std::set<std::string> keys;
        std::size_t total = 0;
        for (int page = 1;; ++page) {
            auto r = f.get_json("/api/domains/search.json",
                                {{"no-of-records", "10"}, {"page-no", std::to_string(page)}});
            const auto n = std::stoul(str(r.at("recsonpage")));
            total += n;
            for (std::size_t i = 1; i <= n; ++i)
                keys.insert(str(r.at(std::to_string(i)).at("entitytype.entitytypekey")));
            if (n == 0) {
                CHECK(std::stoul(str(r.at("recsindb"))) == total);
                break;
            }
        }
        CHECK(keys == std::set<std::string>{"dotin", "thirdleveldotin", "dotbharat", "domcno"});

        auto bharat = f.get_json("/api/domains/search.json", {{"no-of-records", "50"},
                                                              {"page-no", "1"},
                                                              {"product-key", "dotbharat"},
                                                              {"status", "Deleted"}});
        const auto n = std::stoul(str(bharat.at("recsonpage")));
        CHECK(n >= 1);
        for (std::size_t i = 1; i <= n; ++i) {
            CHECK(str(bharat.at(std::to_string(i)).at("entitytype.entitytypekey")) == "dotbharat");
            CHECK(str(bharat.at(std::to_string(i)).at("entity.currentstatus")) == "Deleted");
        }

        const auto id = domain_where(f, "Active", "Pending", "Pending");
        const auto name = f.server->order(id)->description;
        auto one = f.get_json("/api/domains/search.json",
                              {{"no-of-records", "10"}, {"page-no", "1"}, {"domain-name", name}});
        CHECK(str(one.at("recsindb")) == "1");
        CHECK(str(one.at("1").at("orders.orderid")) == std::to_string(id));
        CHECK(str(one.at("1").at("entity.description")) == name);
        auto none =
            f.get_json("/api/domains/search.json",
                       {{"no-of-records", "10"}, {"page-no", "1"}, {"domain-name", "nothing.in"}});
        CHECK(none == boost::json::object{{"recsonpage", "0"}, {"recsindb", "0"}});
    }

    TEST_CASE("details carry the NIXI verification statuses") {
        SandboxFixture f;
        const auto id = domain_where(f, "Active", "Verified", "Pending Partner Confirmation");
        REQUIRE(id != 0);
        auto r = f.get_json("/api/domains/details.json",
                            {{"order-id", std::to_string(id)}, {"options", "All"}});
        CHECK(str(r.at("orderid")) == std::to_string(id));
        CHECK(str(r.at("emailVerificationStatus")) == "Verified");
        CHECK(str(r.at("eKYCVerificationStatus")) == "Pending Partner Confirmation");
        CHECK(r.at("orderstatus").is_array());
        CHECK(r.at("domainstatus").is_array());
        const auto plain = f.find_order([](const Order& o) { return o.product_key == "domcno"; });
        auto com = f.get_json("/api/domains/details.json", {{"order-id", std::to_string(plain)}});
        CHECK(!com.contains("emailVerificationStatus"));
        CHECK(str(com.at("productkey")) == "domcno");
        auto unknown = f.get("/api/domains/details.json", {{"order-id", "7"}});
        CHECK(f.message_of(unknown) == "No Entity found for Entityid: 7");
    }

    TEST_CASE("orderid by name is a bare number; unknown names and foreign domains are errors") {
        SandboxFixture f;
        const auto id = domain_where(f, "Active", "Pending", "Verified");
        auto r =
            f.get("/api/domains/orderid.json", {{"domain-name", f.server->order(id)->description}});
        CHECK(r.status == 200);
        CHECK(r.body == std::to_string(id));
        CHECK(r.json().is_number());
        auto missing = f.get("/api/domains/orderid.json", {{"domain-name", "no-such-name.in"}});
        CHECK(f.message_of(missing) == "Website doesn't exist for no-such-name.in");
        const auto foreign = f.foreign_order(OrderKind::domain);
        auto theirs = f.get("/api/domains/orderid.json",
                            {{"domain-name", f.server->order(foreign)->description}});
        CHECK(f.message_of(theirs) == "You are not allowed to perform this action");
    }

    TEST_CASE(
        "resend records the time, and refuses inactive, deleted and eKYC-in-progress domains") {
        SandboxFixture f;
        const auto pending = domain_where(f, "Active", "Pending", "Pending");
        auto ok = f.post_form("/api/domains/nixi/verification/resend.json",
                              {{"order-id", std::to_string(pending)}});
        REQUIRE(ok.status == 200);
        CHECK(str(ok.json().at("status")) == "Success");
        CHECK(f.message_of(ok) == "Verification email has been sent to the Registrant contact");
        CHECK(f.server->order(pending)->resends.size() == 1);
        CHECK(f.server->counter(pending, "nixi.resend").applied == 1);

        for (std::string status : {"InActive", "Deleted"}) {
            const auto id = domain_where(f, status, "Pending", "Pending");
            REQUIRE(id != 0);
            auto r = f.post("/api/domains/nixi/verification/resend.json",
                            {{"order-id", std::to_string(id)}});
            CHECK(r.status == 500);
            CHECK(f.message_of(r) ==
                  "Resend verification email is not supported for InActive or Deleted domains.");
            CHECK(f.server->order(id)->resends.empty());
        }
        const auto ekyc = domain_where(f, "Active", "Pending", "Pending Partner Confirmation");
        auto busy = f.post("/api/domains/nixi/verification/resend.json",
                           {{"order-id", std::to_string(ekyc)}});
        CHECK(str(busy.json().at("status")) == "ERROR");
        CHECK(f.server->order(ekyc)->resends.empty());
        const auto foreign = f.foreign_order(OrderKind::domain);
        auto theirs = f.post("/api/domains/nixi/verification/resend.json",
                             {{"order-id", std::to_string(foreign)}});
        CHECK(f.message_of(theirs) == "You are not allowed to perform this action");
        auto get = f.get("/api/domains/nixi/verification/resend.json",
                         {{"order-id", std::to_string(pending)}});
        CHECK(get.status == 405);
        CHECK(f.server->order(pending)->resends.size() == 1);
    }
}

}  // namespace domains_test
