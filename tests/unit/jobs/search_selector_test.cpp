#include "jobs/search_selector.hpp"

#include <doctest/doctest.h>

using namespace rcbatch::jobs;
namespace engine = rcbatch::engine;
namespace json = boost::json;

namespace {
const CallParam* param(const SearchSelector& s, std::string_view name) {
    for (const CallParam& p : s.params)
        if (p.name == name) return &p;
    return nullptr;
}
}  // namespace

TEST_SUITE("search selector") {
    TEST_CASE("backup orders: path per region, filters, an expiry window sent and re-checked") {
        SearchFilter f;
        f.status = {"Active"};
        f.expires_within = std::chrono::hours(24 * 30);
        f.customer_ids = {7, 8};
        SearchSelector s = make_search_selector(f, TargetKind::backup_order, "asia", 1000, {});
        CHECK(s.spec->name == "backup.search");
        CHECK(s.path == "/api/backup/asia/search.json");
        REQUIRE(param(s, "status"));
        CHECK(std::get<std::vector<std::string>>(param(s, "status")->value) ==
              std::vector<std::string>{"Active"});
        CHECK(std::get<std::vector<std::int64_t>>(param(s, "customer-id")->value).size() == 2);
        CHECK(param(s, "product-key") == nullptr);
        CHECK(s.end_from == 1000);
        CHECK(s.end_to == 1000 + 30 * 86400);
        // The API's bounds are exclusive: widened by a second so the window's edges are asked for.
        CHECK(std::get<std::int64_t>(param(s, "expiry-date-start")->value) == 999);
        CHECK(std::get<std::int64_t>(param(s, "expiry-date-end")->value) == 1000 + 30 * 86400 + 1);

        CHECK(entry_selected(s, json::object{{"orders.endtime", "1000"}}));
        CHECK(
            entry_selected(s, json::object{{"orders.endtime", std::to_string(1000 + 30 * 86400)}}));
        CHECK_FALSE(entry_selected(s, json::object{{"orders.endtime", "999"}}));
        CHECK_FALSE(
            entry_selected(s, json::object{{"orders.endtime", std::to_string(1001 + 30 * 86400)}}));
        CHECK_FALSE(entry_selected(s, json::object{{"orders.endtime", "soon"}}));
    }

    TEST_CASE("expired-since looks back from now") {
        SearchFilter f;
        f.expired_since = std::chrono::hours(24);
        SearchSelector s = make_search_selector(f, TargetKind::backup_order, "us", 100000, {});
        CHECK(s.end_from == 100000 - 86400);
        CHECK(s.end_to == 100000);
    }

    TEST_CASE("without a window every entry passes") {
        SearchSelector s = make_search_selector({}, TargetKind::backup_order, "us", 5, {});
        CHECK_FALSE(s.end_from.has_value());
        CHECK(entry_selected(s, json::object{}));
    }

    TEST_CASE("domains: the NIXI product keys by default, or the job's") {
        SearchSelector s =
            make_search_selector({}, TargetKind::domain_order, "", 5, default_nixi_product_keys());
        CHECK(s.spec->name == "domain.search");
        CHECK(s.path == "/api/domains/search.json");
        CHECK(std::get<std::vector<std::string>>(param(s, "product-key")->value) ==
              default_nixi_product_keys());
        SearchFilter f;
        f.product_keys = {"dotbharat"};
        f.domain_name = "x.in";
        SearchSelector own =
            make_search_selector(f, TargetKind::domain_order, "", 5, default_nixi_product_keys());
        CHECK(std::get<std::vector<std::string>>(param(own, "product-key")->value) ==
              std::vector<std::string>{"dotbharat"});
        CHECK(std::get<std::string>(param(own, "domain-name")->value) == "x.in");
    }

    TEST_CASE("an entry becomes a target: domains by name, backups by id, state kept") {
        json::object e{{"orders.orderid", "42"},
                       {"entity.description", "shop.in"},
                       {"entity.currentstatus", "Active"},
                       {"orders.endtime", "1700000000"}};
        engine::Target d = target_of(e, TargetKind::domain_order);
        CHECK(d.given == "shop.in");
        CHECK(d.id == "42");
        CHECK(d.extra.at("endtime") == "1700000000");
        engine::Target b = target_of(e, TargetKind::backup_order);
        CHECK(b.given == "42");
        CHECK(b.extra.at("status") == "Active");
    }
}
