// The batch's two-phase stop: in-flight orders finish within the grace period or are
// cancelled after it, the rest are not run; SIGTERM and a second stop.
#include "tests/integration/engine/batch_fixture.hpp"
#include "tests/integration/engine/run_async.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>

#include <doctest/doctest.h>

#include <csignal>

namespace batch_stop_test {

using namespace rcbatch::test::batch;
using rcbatch::test::once;
using rcbatch::test::run_async;
using rcbatch::test::SeenRequest;
using rcbatch::test::Step;

TEST_SUITE("batch") {
    TEST_CASE_FIXTURE(Fixture, "a stop lets in-flight orders finish within the grace period") {
        server.respond_with([](const SeenRequest&) {
            Step s = Step::ok();
            s.delay = 300ms;
            return s;
        });
        CountingSource source(50, emitted, 100);
        BatchStats stats;
        run_async(ioc, [&]() -> asio::awaitable<void> {
            Batch batch(ioc.get_executor(), settings, order_fn(), sink());
            asio::co_spawn(ioc, once(sent(4), [&] { batch.request_stop("test stop"); }),
                           asio::detached);
            stats = co_await batch.run(source);
        });
        check_each_seq_once(50);
        CHECK(stats.stopped == StopReason::interrupted);
        CHECK(stats.stop_message == "test stop");
        CHECK(stats.tally.count(Outcome::ok) == 4);
        CHECK(stats.tally.count(Outcome::not_run) == 46);
        CHECK(server.requests().size() == 4);
    }

    TEST_CASE_FIXTURE(Fixture,
                      "after the grace period in-flight orders are cancelled, the rest not_run") {
        server.script({Step::of(Step::Kind::stall), Step::of(Step::Kind::stall),
                       Step::of(Step::Kind::stall), Step::of(Step::Kind::stall)});
        settings.grace_period = 100ms;
        mutating = true;
        CountingSource source(30, emitted, 100);
        BatchStats stats;
        run_async(ioc, [&]() -> asio::awaitable<void> {
            Batch batch(ioc.get_executor(), settings, order_fn(), sink());
            asio::co_spawn(ioc, once(sent(4), [&] { batch.request_stop(); }), asio::detached);
            stats = co_await batch.run(source);
        });
        check_each_seq_once(30);
        CHECK(stats.tally.count(Outcome::cancelled) == 4);
        CHECK(stats.tally.count(Outcome::not_run) == 26);
        for (const auto& r : results)
            if (r.outcome == Outcome::cancelled)
                CHECK(r.message.find("may have been processed") != std::string::npos);
    }

    TEST_CASE_FIXTURE(Fixture, "SIGTERM stops the run like request_stop when signals are handled") {
        server.respond_with([](const SeenRequest&) {
            Step s = Step::ok();
            s.delay = 300ms;
            return s;
        });
        settings.handle_signals = true;
        CountingSource source(20, emitted, 100);
        BatchStats stats;
        run_async(ioc, [&]() -> asio::awaitable<void> {
            Batch batch(ioc.get_executor(), settings, order_fn(), sink());
            // The batch's signal_set is armed by the time its requests arrive.
            asio::co_spawn(ioc, once(sent(4), [&] { std::raise(SIGTERM); }), asio::detached);
            stats = co_await batch.run(source);
        });
        check_each_seq_once(20);
        CHECK(stats.stopped == StopReason::interrupted);
        CHECK(stats.stop_message == "interrupted by SIGTERM");
        CHECK(stats.tally.count(Outcome::ok) == 4);
        CHECK(stats.tally.count(Outcome::not_run) == 16);
    }

    TEST_CASE_FIXTURE(Fixture, "a second stop cancels at once") {
        server.respond_with([](const SeenRequest&) { return Step::of(Step::Kind::stall); });
        settings.grace_period = 60s;
        CountingSource source(10, emitted, 100);
        BatchStats stats;
        run_async(
            ioc,
            [&]() -> asio::awaitable<void> {
                Batch batch(ioc.get_executor(), settings, order_fn(), sink());
                asio::co_spawn(ioc,
                               once(sent(4),
                                    [&] {
                                        batch.request_stop();
                                        batch.request_stop();
                                    }),
                               asio::detached);
                stats = co_await batch.run(source);
            },
            20s);
        CHECK(stats.tally.count(Outcome::cancelled) == 4);
        CHECK(stats.tally.count(Outcome::not_run) == 6);
    }
}

}  // namespace batch_stop_test
