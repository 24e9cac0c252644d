#include "jobs/select/search_selector.hpp"

#include <doctest/doctest.h>

namespace search_selector_test {

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

    TEST_CASE("a page whose counts are impossible cannot be trusted: each reason named") {
        const auto entry = [](std::string id) {
            return json::object{{"orders.orderid", std::move(id)}, {"orders.endtime", "9"}};
        };
        const auto page_of = [&](json::value total, json::value on_page, int entries) {
            json::object p{{"recsindb", std::move(total)}, {"recsonpage", std::move(on_page)}};
            for (int i = 1; i <= entries; ++i)
                p[std::to_string(i)] = entry(std::to_string(100 + i));
            return p;
        };
        struct Case {
            json::object page;
            std::int64_t page_no;
            std::string problem;
        };
        std::vector<Case> cases{
            {page_of("3", "3", 3), 1, ""},
            {page_of(3, 3, 3), 1, ""},
            {page_of("0", "0", 0), 1, ""},
            {page_of("1200", "0", 0), 2, ""},  // short: a count mismatch, not a broken page
            {page_of("-1", "3", 3), 1, "page 1 has '-1' recsindb, not a count"},
            {page_of("lots", "3", 3), 1, "page 1 has 'lots' recsindb, not a count"},
            {page_of(-5, "3", 3), 2, "page 2 has '-5' recsindb, not a count"},
            {page_of("3", "3.5", 3), 1, "page 1 has '3.5' recsonpage, not a count"},
            {page_of("5000", "501", 501), 3,
             "page 3 holds 501 entries, more than the 500 asked for"},
            {page_of("2", "3", 3), 1,
             "page 1 holds 3 entries, more than the 2 its recsindb counts"},
            {page_of("10", "4", 3), 1, "page 1 says it holds 4 entries, but entry 4 is missing"},
        };
        json::object no_recsindb = page_of("1", "1", 1);
        no_recsindb.erase("recsindb");
        cases.push_back({no_recsindb, 1, "page 1 has no recsindb, not a count"});
        json::object no_id = page_of("2", "2", 2);
        no_id["2"] = json::object{{"orders.orderid", "0"}};
        cases.push_back({no_id, 1, "page 1's entry 2 has no order id"});
        for (const Case& c : cases) {
            CAPTURE(json::serialize(c.page));
            CHECK(page_problem(c.page, c.page_no).value_or("") == c.problem);
        }
    }

    TEST_CASE("exclusions: sorted into the selector, named in the summary") {
        SearchFilter f;
        f.excluded = {30, 10, 20};
        SearchSelector s = make_search_selector(f, TargetKind::backup_order, "us", 5, {});
        CHECK(s.excluded == std::vector<std::int64_t>{10, 20, 30});
        CHECK(param(s, "order-id") == nullptr);  // the API is not told: the client leaves them out
        CHECK(search_filter_text(f).find("excluded=3 sha256:") != std::string::npos);
        json::object summary;
        std::vector<std::int64_t> many;
        for (std::int64_t i = 1; i <= 12; ++i) many.push_back(i);
        add_excluded(many, summary);
        CHECK(summary.at("excluded").at("count") == 12);
        CHECK(summary.at("excluded").at("order_ids").as_array().size() == 12);
        CHECK(json::value_to<std::string>(summary.at("excluded_text")) ==
              "12 orders found by the search and left out by the job's exclusions: 1, 2, 3, 4, 5, "
              "6, 7, 8, 9, 10 and 2 more");
    }
}

}  // namespace search_selector_test
