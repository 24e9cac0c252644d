// The action log's query, paging and entries; the reply rewrites of huge-number and echo-key.
#include "sandbox/api/action_log.hpp"

#include "sandbox/api/reply.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <doctest/doctest.h>

namespace action_log_test {

using namespace rcbatch::sandbox;

namespace {

std::string str(const boost::json::value& v) { return std::string(v.as_string()); }

Params params_of(std::string_view query) {
    Params p;
    REQUIRE(p.add_encoded(query));
    return p;
}

// Orders 1..3 of reseller "111", order 9 of "222"; `n` actions cycling over orders 1, 2, 3, 9.
Dataset log_of(int n) {
    Dataset d;
    for (std::uint64_t id : {1, 2, 3, 9}) {
        Order o;
        o.id = id;
        o.reseller_id = id == 9 ? "222" : "111";
        d.orders.emplace(id, o);
    }
    const std::uint64_t cycle[] = {1, 2, 3, 9};
    for (int i = 0; i < n; ++i) {
        ActionRecord a;
        a.eaqid = 1000 + static_cast<std::uint64_t>(i);
        a.order_id = cycle[i % 4];
        a.actiontype = i % 2 ? "Delete" : "Renew";
        a.current = i % 3 == 0;
        a.added_time = 1767225600 + i;
        d.actions.emplace(a.eaqid, a);
    }
    return d;
}

}  // namespace

TEST_SUITE("sandbox action log") {
    TEST_CASE("the query: paging required and bounded, order-id repeatable") {
        auto q = parse_action_query(params_of("no-of-records=25&page-no=3&order-id=7&order-id=8"));
        REQUIRE(q.query);
        CHECK(q.query->per_page == 25);
        CHECK(q.query->page_no == 3);
        CHECK(q.query->order_ids == std::vector<std::uint64_t>{7, 8});
        for (const char* bad : {"page-no=1", "no-of-records=10", "no-of-records=9&page-no=1",
                                "no-of-records=501&page-no=1", "no-of-records=10&page-no=0",
                                "no-of-records=10&page-no=1&order-id=-4"}) {
            CAPTURE(bad);
            auto r = parse_action_query(params_of(bad));
            CHECK(!r.query);
            CHECK(!r.error.empty());
        }
        CHECK(parse_action_query(params_of("page-no=1")).error ==
              "Required parameter missing: no-of-records");
    }

    TEST_CASE("current and archived split the log; another reseller's orders never show") {
        const auto d = log_of(40);
        ActionQuery all{500, 1, {}};
        std::size_t current = 0, archived = 0, own = 0;
        for (const auto& [eaqid, a] : d.actions) {
            if (a.order_id == 9) continue;
            ++own;
            (a.current ? current : archived) += 1;
        }
        auto c = run_action_search(d, all, "111", true);
        auto a = run_action_search(d, all, "111", false);
        CHECK(str(c.at("recsindb")) == std::to_string(current));
        CHECK(str(a.at("recsindb")) == std::to_string(archived));
        CHECK(current + archived == own);
        CHECK(str(run_action_search(d, ActionQuery{10, 1, {9}}, "111", false).at("recsindb")) ==
              "0");
        CHECK(str(run_action_search(d, ActionQuery{10, 1, {9}}, "222", false).at("recsindb")) !=
              "0");
    }

    TEST_CASE("paging by eaqid and the order filter") {
        const auto d = log_of(40);  // orders 1 and 2: ten actions each
        ActionQuery q{10, 1, {1, 2}};
        std::uint64_t previous = 0;
        std::size_t total = 0;
        for (std::size_t page = 1; page <= 3; ++page) {
            q.page_no = page;
            auto r = run_action_search(d, q, "111", false);
            const auto n = std::stoul(str(r.at("recsonpage")));
            for (std::size_t i = 1; i <= n; ++i) {
                const auto& e = r.at(std::to_string(i)).as_object();
                const auto eaqid = std::stoull(str(e.at("eaqid")));
                CHECK(eaqid > previous);
                previous = eaqid;
                const auto order = str(e.at("entityid"));
                CHECK((order == "1" || order == "2"));
            }
            total += n;
            CHECK(r.size() == n + 2);
        }
        CHECK(total ==
              std::stoul(str(
                  run_action_search(d, ActionQuery{500, 1, {1, 2}}, "111", false).at("recsindb"))));
        auto empty = run_action_search(Dataset{}, ActionQuery{}, "111", true);
        CHECK(boost::json::serialize(empty) == R"({"recsonpage":"0","recsindb":"0"})");
    }

    TEST_CASE("an entry holds every field as a string") {
        ActionRecord a{77,
                       60000001,
                       "x-us.backup",
                       "Renew",
                       "Renewal of x-us.backup for 1 month",
                       "InProcess",
                       "The action is being processed",
                       1767225600,
                       true,
                       0};
        auto e = action_entry(a);
        CHECK(
            boost::json::serialize(e) ==
            R"({"eaqid":"77","entityid":"60000001","description":"x-us.backup","actiontype":"Renew",)"
            R"("actiontypedesc":"Renewal of x-us.backup for 1 month","actionstatus":"InProcess",)"
            R"("actionstatusdesc":"The action is being processed","actionaddedtime":"1767225600"})");
        CHECK(counter_action("Renew") == "backup.renew");
        CHECK(counter_action("Delete") == "backup.delete");
        CHECK(counter_action("InstallAgent") == "backup.install-agent");
        CHECK(counter_action("RenewBackup").empty());
    }
}

TEST_SUITE("sandbox reply rewrites") {
    TEST_CASE("huge-number puts the raw 1e999 in sellingamount") {
        CHECK(with_huge_amount(R"({"eaqid":"1","sellingamount":"-12.000"})") ==
              R"({"eaqid":"1","sellingamount":1e999})");
        CHECK(with_huge_amount(R"({"status":"Success"})") ==
              R"({"status":"Success","sellingamount":1e999})");
        CHECK(with_huge_amount("{}") == R"({"sellingamount":1e999})");
        CHECK(with_huge_amount("true") == "true");
        CHECK(with_huge_amount("<html>") == "<html>");
    }

    TEST_CASE("echo-key appends the request to ERROR messages only") {
        Reply r = api_error("No Entity found for Entityid: 1");
        append_to_error_message(r, "/api/x.json?api-key=K body: a=b");
        CHECK(str(boost::json::parse(r.body).at("message")) ==
              "No Entity found for Entityid: 1 (request: /api/x.json?api-key=K body: a=b)");
        Reply ok = json_reply(boost::json::object{{"status", "Success"}, {"message", "sent"}});
        const auto before = ok.body;
        append_to_error_message(ok, "api-key=K");
        CHECK(ok.body == before);
        Reply html = html_reply(boost::beast::http::status::bad_gateway, "Bad Gateway",
                                "/api/x?api-key=K&a=<b>");
        CHECK(html.body.find("request: /api/x?api-key=K&amp;a=&lt;b&gt;") != std::string::npos);
        CHECK(html_reply(boost::beast::http::status::bad_gateway, "Bad Gateway")
                  .body.find("request:") == std::string::npos);
    }
}

}  // namespace action_log_test
