#include "serve/pages/run_orders.hpp"

#include <doctest/doctest.h>

#include <algorithm>

namespace run_orders_test {

using namespace rcbatch::serve;
using rcbatch::engine::OrderResult;
using rcbatch::engine::Outcome;

namespace {
std::vector<OrderResult> records(std::size_t n) {
    std::vector<OrderResult> out;
    for (std::size_t i = 0; i < n; ++i) {
        OrderResult r;
        r.seq = i;
        r.order_id = std::to_string(1000 + i);
        r.target = "d" + std::to_string(i) + ".in";
        r.outcome = i % 10 == 3 ? Outcome::api_error : i % 50 == 7 ? Outcome::unknown : Outcome::ok;
        r.message = r.outcome == Outcome::ok ? "renewed" : "Order is Locked";
        r.latency = std::chrono::milliseconds(static_cast<std::int64_t>((i * 37) % 1000));
        out.push_back(r);
    }
    return out;
}

std::vector<OrderResult> page(const std::vector<OrderResult>& all, const OrdersView& view,
                              std::uint64_t& matched) {
    return page_of_orders(
        [&](const auto& sink) {
            for (const auto& r : all) sink(r);
        },
        view, matched);
}

PageQuery query_of(std::map<std::string, std::string> values) {
    return PageQuery{{}, std::move(values)};
}
}  // namespace

TEST_SUITE("serve: a run's orders") {
    TEST_CASE("the default: unknown first, then failed, then the rest, each in the run's order") {
        const auto all = records(1000);
        std::uint64_t matched = 0;
        const auto rows = page(all, OrdersView{}, matched);
        CHECK(matched == 1000);
        REQUIRE(rows.size() == orders_per_page);
        CHECK(rows[0].outcome == Outcome::unknown);
        CHECK(rows[0].seq == 7);
        const auto first_failed = std::find_if(rows.begin(), rows.end(), [](const auto& r) {
            return r.outcome == Outcome::api_error;
        });
        REQUIRE(first_failed != rows.end());
        CHECK(std::all_of(rows.begin(), first_failed,
                          [](const auto& r) { return r.outcome == Outcome::unknown; }));
    }

    TEST_CASE("every page of a sort holds the right rows, none twice, none missing") {
        const auto all = records(1000);
        std::string error;
        auto view = orders_view(query_of({{"sort", "latency"}, {"dir", "down"}}), error);
        REQUIRE(view);
        std::vector<OrderResult> sorted = all;
        std::sort(sorted.begin(), sorted.end(),
                  [&](const auto& a, const auto& b) { return order_before(a, b, *view); });
        for (std::size_t p = 0; p < 10; ++p) {
            view->page = p;
            std::uint64_t matched = 0;
            const auto rows = page(all, *view, matched);
            REQUIRE(rows.size() == orders_per_page);
            for (std::size_t i = 0; i < rows.size(); ++i)
                CHECK(rows[i].seq == sorted[p * orders_per_page + i].seq);
        }
        CHECK(sorted.front().latency >= sorted.back().latency);
    }

    TEST_CASE("search in the order id, target and message, any case; show by outcome") {
        const auto all = records(200);
        std::uint64_t matched = 0;
        OrdersView view;
        view.text = "LOCKED";
        page(all, view, matched);
        CHECK(matched == 20 + 4);
        view.text = "d17.in";
        CHECK(page(all, view, matched).size() == 1);
        view = OrdersView{};
        view.show = "attention";
        page(all, view, matched);
        CHECK(matched == 24);
        view.show = "unknown";
        page(all, view, matched);
        CHECK(matched == 4);
    }

    TEST_CASE("values the page does not take are refused with the value's name") {
        for (const auto& [name, value] :
             std::vector<std::pair<std::string, std::string>>{{"show", "everything"},
                                                              {"sort", "message"},
                                                              {"dir", "sideways"},
                                                              {"page", "0"},
                                                              {"page", "101"},
                                                              {"page", "x"}}) {
            CAPTURE(name);
            CAPTURE(value);
            std::string error;
            CHECK_FALSE(orders_view(query_of({{name, value}}), error));
            CHECK(error.rfind(name + ":", 0) == 0);
        }
    }

    TEST_CASE("the table: sort links, rows escaped, a next page only when there is one") {
        auto all = records(150);
        all[0].target = "<script>alert(1)</script>";
        std::uint64_t matched = 0;
        OrdersView view;
        view.sort = "seq";
        const auto rows = page(all, view, matched);
        const std::string html = orders_table(rows, matched, view, "/run/4", {});
        CHECK(html.find("<script>") == std::string::npos);
        CHECK(html.find("&lt;script&gt;alert(1)&lt;/script&gt;") != std::string::npos);
        CHECK(html.find("href=\"/run/4?show=all&amp;sort=seq&amp;dir=down#orders\"") !=
              std::string::npos);
        CHECK(html.find("page=2#orders\">next page</a>") != std::string::npos);
        view.page = 1;
        const std::string last =
            orders_table(page(all, view, matched), matched, view, "/run/4", {});
        CHECK(last.find("next page") == std::string::npos);
        CHECK(last.find("previous page") != std::string::npos);
    }
}

}  // namespace run_orders_test
