// Parking: an order waiting out a retry gives its slot (its connection) to the next ready
// order and takes one again, ahead of new orders, when the wait ends. No wall-clock
// assertion: the tests look at the order in which results come out and at what was sent.

#include "engine/batch/batch.hpp"
#include "tests/integration/engine/batch_fixture.hpp"
#include "tests/integration/engine/run_async.hpp"
#include "tests/support/batch_runner.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <map>
#include <string>

namespace parking_test {

using namespace rcbatch::engine;
using rcbatch::test::run_async;
using rcbatch::test::run_batch;
using rcbatch::test::SeenRequest;
using rcbatch::test::Step;
using namespace std::chrono_literals;
namespace asio = boost::asio;

using namespace rcbatch::test::batch;

namespace {

std::size_t position_of(const std::vector<OrderResult>& results, std::uint64_t seq) {
    auto it = std::find_if(results.begin(), results.end(),
                           [&](const OrderResult& r) { return r.seq == seq; });
    return static_cast<std::size_t>(it - results.begin());
}

}  // namespace

TEST_SUITE("batch: parking") {
    TEST_CASE_FIXTURE(Fixture,
                      "orders waiting out a Retry-After leave their workers to the other orders") {
        settings.concurrency = 2;
        settings.adaptive.enabled = false;  // parking alone
        settings.retry = RetrySettings{3, 1ms, 10s};
        // The first two requests (orders 0 and 1) are refused with a long Retry-After.
        server.script({Step::status_code(503, "2"), Step::status_code(503, "2")});
        const std::uint64_t n = 12;
        CountingSource source(n, emitted, n + 1);
        BatchStats stats;
        run_async(ioc, [&]() -> asio::awaitable<void> {
            stats = co_await run_batch(settings, source, order_fn(), sink());
        });
        check_each_seq_once(n);
        CHECK(stats.tally.count(Outcome::ok) == n);
        CHECK(stats.tally.attempts() == n + 2);
        // Each refused order gave its slot away while it waited: another order's request
        // reached the server between its refusal and its retry. (Counted from the server's
        // sequence of requests; "the ten others ended first" raced the 2 s wait against ten
        // TLS orders and failed on a loaded machine.) Without parking both slots sleep
        // through the wait and nothing else is sent in between.
        const auto sent = server.requests();
        REQUIRE(sent.size() == n + 2);
        std::map<std::string, std::vector<std::size_t>> places_of;
        for (std::size_t i = 0; i < sent.size(); ++i) places_of[order_id_of(sent[i])].push_back(i);
        int parked = 0;
        for (const auto& [order, places] : places_of) {
            if (places.size() != 2) continue;
            ++parked;
            CAPTURE(order);
            std::size_t others = 0;  // requests of orders that were never refused
            for (std::size_t i = places[0] + 1; i < places[1]; ++i)
                others += places_of.at(order_id_of(sent[i])).size() == 1 ? 1 : 0;
            CHECK(others >= 1);
        }
        CHECK(parked == 2);
        // Still at most two connections: concurrency counts requests, not orders.
        CHECK(stats.connections_opened <= 2);
        CHECK(server.connections_accepted() <= 2);
    }

    TEST_CASE_FIXTURE(Fixture, "a parked order still ends at its deadline; its slot is not lost") {
        settings.concurrency = 1;
        settings.order_deadline = 300ms;
        settings.adaptive.enabled = false;  // parking alone
        settings.retry = RetrySettings{3, 1ms, 10s};
        server.script({Step::status_code(503, "5")});
        CountingSource source(4, emitted, 100);
        BatchStats stats;
        run_async(ioc, [&]() -> asio::awaitable<void> {
            stats = co_await run_batch(settings, source, order_fn(), sink());
        });
        check_each_seq_once(4);
        CHECK(stats.tally.count(Outcome::ok) == 3);
        const auto& first = results[position_of(results, 0)];
        CHECK(first.outcome == Outcome::transient);
        CHECK(first.message.find("order deadline") != std::string::npos);
        CHECK(server.requests().size() == 4);
    }

    TEST_CASE_FIXTURE(Fixture,
                      "orders in progress stay bounded by concurrency plus parked orders") {
        settings.concurrency = 2;
        settings.max_parked = 3;
        settings.adaptive.enabled = false;  // parking alone
        settings.retry = RetrySettings{2, 1ms, 10s};
        // Every order's first attempt is refused for a second, the retry succeeds.
        CountingSource source(10, emitted, 2 + 3 + 1);
        BatchStats stats;
        std::map<std::string, int> seen;
        server.respond_with([&seen](const SeenRequest& r) {
            return ++seen[order_id_of(r)] == 1 ? Step::status_code(503, "1")
                                               : Step::ok(R"({"orderid":"1"})");
        });
        run_async(ioc, [&]() -> asio::awaitable<void> {
            stats = co_await run_batch(settings, source, order_fn(), sink());
        });
        check_each_seq_once(10);
        CHECK(stats.tally.count(Outcome::ok) == 10);
        CHECK(source.overrun_ == 0);
        CHECK(stats.tally.attempts() == 20);
    }
}

}  // namespace parking_test
