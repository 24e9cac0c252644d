#include "sandbox/api/api.hpp"
#include "sandbox/api/params.hpp"
#include "sandbox/api/reply.hpp"
#include "sandbox/api/search.hpp"
#include "sandbox/data/seed_data.hpp"

#include <doctest/doctest.h>

#include <set>
#include <tuple>

namespace data_test {

using namespace rcbatch::sandbox;

namespace {
constexpr std::int64_t now = 1767225600;  // 2026-01-01T00:00:00Z
constexpr std::int64_t day = 86400;

Dataset make(std::uint64_t seed, std::size_t backups = 300, std::size_t domains = 60) {
    SeedSizes sizes;
    sizes.backups_per_region = backups;
    sizes.domains = domains;
    return make_dataset(seed, sizes, now, "111111", "222222");
}

std::vector<std::tuple<std::uint64_t, std::string, std::string, std::int64_t>> summary(
    const Dataset& d) {
    std::vector<std::tuple<std::uint64_t, std::string, std::string, std::int64_t>> out;
    for (const auto& [id, o] : d.orders) out.emplace_back(id, o.description, o.status, o.end_time);
    return out;
}
}  // namespace

TEST_SUITE("sandbox seed data") {
    TEST_CASE("the same seed gives the same data; another seed other data") {
        CHECK(summary(make(5)) == summary(make(5)));
        CHECK(summary(make(5)) != summary(make(6)));
    }

    TEST_CASE("sizes, distinct ids, mixed statuses, some expiring within 30 days") {
        auto d = make(9, 500, 80);
        std::map<std::string, std::size_t> per_region, statuses;
        std::size_t expiring = 0, foreign = 0;
        std::set<std::string> names;
        for (const auto& [id, o] : d.orders) {
            CHECK(o.id == id);
            CHECK(o.creation_time < o.end_time);
            if (o.reseller_id != "111111") {
                CHECK(o.reseller_id == "222222");
                ++foreign;
                continue;
            }
            if (o.kind == OrderKind::backup) {
                ++per_region[o.region];
                ++statuses[o.status];
                CHECK(o.product_key == backup_product_key(o.region));
                if (o.status == "Active" && o.end_time > now && o.end_time < now + 30 * day)
                    ++expiring;
            } else {
                CHECK(names.insert(o.description).second);
                CHECK(d.by_domain.at(o.description) == id);
            }
            CHECK(d.customers.count(o.customer_id) == 1);
        }
        CHECK(per_region["us"] == 500);
        CHECK(per_region["asia"] == 500);
        CHECK(statuses["Active"] > 600);
        for (const char* s : {"InActive", "Suspended", "Deleted"}) CHECK(statuses[s] > 0);
        CHECK(expiring > 20);
        CHECK(foreign == 9);
        CHECK(names.size() == 80);
        CHECK(d.orders.size() == 1000 + 80 + 9);
    }

    TEST_CASE("every NIXI product key has every verification state, InActive and Deleted") {
        auto d = make(3, 10, 0);
        std::set<std::tuple<std::string, std::string, std::string, std::string>> seen;
        for (const auto& [id, o] : d.orders)
            if (o.kind == OrderKind::domain && o.reseller_id == "111111")
                seen.emplace(o.product_key, o.status, o.email_verification, o.ekyc_verification);
        for (std::string key : {"dotin", "thirdleveldotin", "dotbharat"}) {
            for (std::string email : {"Pending", "Verified"})
                for (std::string ekyc : {"Pending", "Verified", "Pending Partner Confirmation"})
                    CHECK(seen.count({key, "Active", email, ekyc}) == 1);
            CHECK(seen.count({key, "InActive", "Pending", "Pending"}) == 1);
            CHECK(seen.count({key, "Deleted", "Pending", "Pending"}) == 1);
        }
        CHECK(seen.count({"domcno", "Active", "", ""}) == 1);
        CHECK(d.orders.size() == 20 + minimum_domains() + 9);
    }

    TEST_CASE("plans for both Acronis product keys; some customers cannot pay") {
        auto d = make(1);
        std::set<std::string> keys;
        for (const auto& p : d.plans) keys.insert(p.product_key);
        CHECK(keys == std::set<std::string>{"acronisbackupus", "acronisbackupasia"});
        std::size_t poor = 0;
        for (const auto& [id, c] : d.customers) poor += c.balance_milli < 3000;
        CHECK(poor > 0);
        CHECK(poor < d.customers.size());
    }
}

TEST_SUITE("sandbox paging and search") {
    TEST_CASE("page bounds") {
        struct Row {
            std::size_t total, per_page, page, first, last;
        };
        for (auto r : {Row{0, 10, 1, 0, 0}, Row{5, 10, 1, 0, 5}, Row{10, 10, 1, 0, 10},
                       Row{10, 10, 2, 10, 10}, Row{1234, 100, 13, 1200, 1234},
                       Row{1234, 100, 12, 1100, 1200}, Row{1234, 100, 99, 1234, 1234},
                       Row{25, 10, 3, 20, 25}}) {
            CAPTURE(r.total);
            CAPTURE(r.page);
            auto b = page_bounds(r.total, r.per_page, r.page);
            CHECK(b.first == r.first);
            CHECK(b.last == r.last);
        }
    }

    TEST_CASE("search parameters are checked") {
        Params p;
        CHECK(!parse_search(p, false).query);
        CHECK(parse_search(p, false).error == "Required parameter missing: no-of-records");
        p.add("no-of-records", "500");
        p.add("page-no", "2");
        p.add("status", "Active");
        p.add("status", "Suspended");
        p.add("order-by", "endtime desc");
        p.add("order-by", "orderid");
        auto q = parse_search(p, true);
        REQUIRE(q.query);
        CHECK(q.query->per_page == 500);
        CHECK(q.query->page_no == 2);
        CHECK(q.query->statuses == std::vector<std::string>{"Active", "Suspended"});
        REQUIRE(q.query->order_by.size() == 2);
        CHECK(q.query->order_by[0].field == SortField::endtime);
        CHECK(q.query->order_by[0].descending);
        for (auto [key, value] :
             {std::pair{"order-by", "color"}, {"order-id", "x1"}, {"expiry-date-end", "soon"}}) {
            Params bad = p;
            bad.add(key, value);
            CAPTURE(key);
            CHECK(!parse_search(bad, true).query);
        }
    }

    TEST_CASE("expiry bounds are exclusive and the reseller's scope holds") {
        Order o;
        o.kind = OrderKind::backup;
        o.product_key = "acronisbackupus";
        o.reseller_id = "1";
        o.end_time = 1000;
        SearchQuery q;
        SearchScope scope{"1", OrderKind::backup, "acronisbackupus"};
        CHECK(matches(q, scope, o));
        q.expiry_start = 1000;
        CHECK(!matches(q, scope, o));
        q.expiry_start = 999;
        q.expiry_end = 1000;
        CHECK(!matches(q, scope, o));
        q.expiry_end = 1001;
        CHECK(matches(q, scope, o));
        CHECK(!matches(q, SearchScope{"2", OrderKind::backup, "acronisbackupus"}, o));
        CHECK(!matches(q, SearchScope{"1", OrderKind::backup, "acronisbackupasia"}, o));
    }
}

TEST_SUITE("sandbox params") {
    TEST_CASE("query then body, decoded, repeated keys kept in order") {
        Params p;
        CHECK(p.add_encoded("auth-userid=1&status=Active&name=a+b%20c"));
        CHECK(p.add_encoded("status=InActive&order-id=5"));
        CHECK(p.get("auth-userid") == "1");
        CHECK(p.get("name") == "a b c");
        CHECK(p.all("status") == std::vector<std::string>{"Active", "InActive"});
        CHECK(p.get("order-id") == "5");
        CHECK(!p.get("missing"));
        CHECK(!p.add_encoded("a=%zz"));
        CHECK(p.items().size() == 5);
    }

    TEST_CASE("ids and integers") {
        CHECK(parse_id("84311819") == 84311819u);
        for (const char* bad : {"", "-1", "+1", " 1", "1 ", "1x", "99999999999999999999999"}) {
            CAPTURE(bad);
            CHECK(!parse_id(bad));
        }
        CHECK(parse_int("-5") == -5);
        CHECK(!parse_int("+5"));
    }
}

TEST_SUITE("sandbox replies") {
    TEST_CASE("money and month arithmetic") {
        CHECK(format_milli(-15000) == "-15.000");
        CHECK(format_milli(3125) == "3.125");
        CHECK(format_milli(0) == "0.000");
        CHECK(format_milli(-5) == "-0.005");
        constexpr std::int64_t jan31 = 1769817600 + 3600;  // 2026-01-31T01:00:00Z
        constexpr std::int64_t feb28 = 1772236800 + 3600;  // 2026-02-28T01:00:00Z
        CHECK(add_months(jan31, 1) == feb28);
        CHECK(add_months(now, 12) == now + 365 * day);
        CHECK(msg::no_entity(7) == "No Entity found for Entityid: 7");
    }
}

TEST_SUITE("sandbox plans") {
    TEST_CASE(
        "every plan has a monthly price and a currency; one unlisted plan, used by few orders") {
        for (std::uint64_t seed : {1, 2, 3, 42}) {
            CAPTURE(seed);
            auto d = make(seed, 60, 0);
            std::set<std::string> unlisted;
            for (const auto& p : d.plans) {
                CHECK(p.monthly_price_milli > 0);
                CHECK(p.currency == "USD");
                if (!p.price_listed) unlisted.insert(p.id);
            }
            REQUIRE(unlisted.size() == 1);
            std::size_t users = 0, active_users = 0, backups = 0;
            for (const auto& [id, o] : d.orders) {
                if (o.kind != OrderKind::backup || o.reseller_id != "111111") continue;
                ++backups;
                users += unlisted.count(o.plan_id);
                active_users += unlisted.count(o.plan_id) && o.status == "Active";
                bool known = false;
                for (const auto& p : d.plans) known = known || p.id == o.plan_id;
                CHECK(known);
            }
            CHECK(active_users >= 1);
            CHECK(users * 10 < backups);
        }
    }
}

}  // namespace data_test
