#include "engine/batch/batch.hpp"

#include "engine/net/tls_context.hpp"
#include "engine/report/result_record.hpp"
#include "engine/store/journal.hpp"
#include "engine/store/journal_lines.hpp"
#include "engine/store/journal_scan.hpp"
#include "tests/integration/engine/batch_fixture.hpp"
#include "tests/integration/engine/run_async.hpp"
#include "tests/integration/engine/test_interpreter.hpp"
#include "tests/support/batch_runner.hpp"
#include "tests/support/file_size_limit.hpp"
#include "tests/support/files.hpp"
#include "tests/support/scripted_tls_server.hpp"
#include "tests/support/temp_dir.hpp"

#include <boost/json/serialize.hpp>

#include <doctest/doctest.h>

#include <algorithm>
#include <fstream>
#include <functional>
#include <map>
#include <set>
#include <stdexcept>

namespace batch_test {

using namespace rcbatch::engine;
using rcbatch::test::interpret_test_reply;
using rcbatch::test::run_async;
using rcbatch::test::run_batch;
using rcbatch::test::ScriptedTlsServer;
using rcbatch::test::SeenRequest;
using rcbatch::test::Step;
using namespace std::chrono_literals;
namespace asio = boost::asio;

using namespace rcbatch::test::batch;

TEST_SUITE("batch") {
    TEST_CASE_FIXTURE(
        Fixture, "a keep-alive run: every order ok, one connection per worker, results streamed") {
        CountingSource source(60, emitted, static_cast<std::uint64_t>(settings.concurrency) + 1);
        BatchStats stats;
        run_async(ioc, [&]() -> asio::awaitable<void> {
            stats = co_await run_batch(settings, source, order_fn(), sink());
        });
        check_each_seq_once(60);
        CHECK(stats.tally.count(Outcome::ok) == 60);
        CHECK(stats.tally.orders() == 60);
        CHECK(stats.tally.attempts() == 60);
        CHECK(stats.tally.retries() == 0);
        CHECK(stats.connections_opened == 4);
        CHECK(server.connections_accepted() == 4);
        CHECK(stats.stopped == StopReason::none);
        CHECK(source.overrun_ == 0);
        for (const auto& r : results) {
            CHECK(r.action == "test.action");
            CHECK(r.order_id == std::to_string(1000 + r.seq));
            CHECK(r.target == "t" + std::to_string(r.seq));
            CHECK(r.attempts == 1);
            CHECK(r.finished >= r.started);
        }
    }

    TEST_CASE_FIXTURE(Fixture, "retries are counted and transient faults end ok") {
        server.respond_with([seen = std::set<std::string>()](const SeenRequest& r) mutable {
            return seen.insert(order_id_of(r)).second ? Step::status_code(503) : Step::ok();
        });
        CountingSource source(12, emitted, 100);
        BatchStats stats;
        run_async(ioc, [&]() -> asio::awaitable<void> {
            stats = co_await run_batch(settings, source, order_fn(), sink());
        });
        check_each_seq_once(12);
        CHECK(stats.tally.count(Outcome::ok) == 12);
        CHECK(stats.tally.retries() == 12);
        for (const auto& r : results) {
            CHECK(r.attempts == 2);
            CHECK(r.retries == 1);
        }
        CHECK(stats.tally.attempts() == 12 + stats.tally.retries());
        CHECK(server.requests().size() == stats.tally.attempts());
    }

    TEST_CASE_FIXTURE(
        Fixture,
        "a fatal answer stops the run: at most `concurrency` requests after it, the rest not_run") {
        const std::string fatal_id = std::to_string(1000 + 10);
        std::size_t fatal_index = 0;
        server.respond_with([&](const SeenRequest& r) {
            if (order_id_of(r) == fatal_id) {
                fatal_index = server.requests().size() - 1;
                return Step::make(
                    Step::Kind::reply, 500,
                    R"({"status":"ERROR","message":"Access Denied. You are not authorized to perform this action."})");
            }
            Step s = Step::ok();
            s.delay = 20ms;
            return s;
        });
        CountingSource source(200, emitted, 100);
        BatchStats stats;
        run_async(ioc, [&]() -> asio::awaitable<void> {
            stats = co_await run_batch(settings, source, order_fn(), sink());
        });
        check_each_seq_once(200);
        CHECK(stats.stopped == StopReason::fatal);
        CHECK(stats.stop_message.find("Access Denied") != std::string::npos);
        CHECK(stats.tally.count(Outcome::fatal) == 1);
        CHECK(server.requests().size() <=
              fatal_index + 1 + static_cast<std::size_t>(settings.concurrency));
        CHECK(stats.tally.count(Outcome::not_run) >=
              200 - 10 - 1 - static_cast<std::uint64_t>(settings.concurrency));
        CHECK(stats.tally.count(Outcome::ok) + stats.tally.count(Outcome::not_run) + 1 == 200);
        for (const auto& r : results)
            if (r.outcome != Outcome::not_run)
                CHECK(r.seq <= 10 + static_cast<std::uint64_t>(settings.concurrency));
    }

    TEST_CASE_FIXTURE(
        Fixture, "the order deadline ends a stalled order: unknown if mutating, else transient") {
        for (bool m : {true, false}) {
            Fixture f;
            f.server.respond_with([](const SeenRequest&) { return Step::of(Step::Kind::stall); });
            f.settings.order_deadline = 200ms;
            f.settings.concurrency = 1;
            f.mutating = m;
            CountingSource source(2, f.emitted, 100);
            BatchStats stats;
            run_async(f.ioc, [&]() -> asio::awaitable<void> {
                stats = co_await run_batch(f.settings, source, f.order_fn(), f.sink());
            });
            CAPTURE(m);
            REQUIRE(f.results.size() == 2);
            for (const auto& r : f.results) {
                CHECK(r.outcome == (m ? Outcome::unknown : Outcome::transient));
                CHECK(r.message.find("order deadline") != std::string::npos);
                CHECK(r.attempts == 1);
            }
            CHECK(f.server.requests().size() == 2);  // the second order got a fresh connection
        }
    }

    TEST_CASE_FIXTURE(
        Fixture,
        "with a journal, each mutating attempt's intent is on disk before the server sees it") {
        rcbatch::test::TempDir dir("rcbatch-batch-journal");
        const auto path = dir.path / "journal.jsonl";
        std::ofstream(path) << R"({"type":"run","targets":20})" << '\n';
        Journal journal(ioc.get_executor(), path);
        settings.journal = &journal;
        mutating = true;
        std::map<std::string, int> attempts_seen;  // by order id
        int missing_intents = 0;
        server.respond_with([&](const SeenRequest& r) {
            const std::string id = order_id_of(r);
            const int attempt = ++attempts_seen[id];
            // What is on disk now: this order's intent for this attempt must be there already.
            const std::string seq = std::to_string(std::stoull(id) - 1000);
            const std::string want =
                "\"type\":\"intent\",\"seq\":" + seq + ",\"attempt\":" + std::to_string(attempt);
            if (rcbatch::test::slurp(path).find(want) == std::string::npos) ++missing_intents;
            return attempt == 1 && std::stoull(seq) % 3 == 0 ? Step::status_code(503) : Step::ok();
        });
        CountingSource source(20, emitted, 100);
        BatchStats stats;
        auto journaling_sink = [&, plain = sink()](const OrderResult& r) {
            plain(r);
            journal.write(journal_result_line(boost::json::serialize(to_json(r)), r.retries));
        };
        run_async(ioc, [&]() -> asio::awaitable<void> {
            stats = co_await run_batch(settings, source, order_fn(), journaling_sink);
        });
        journal.close();
        CHECK(stats.tally.count(Outcome::ok) == 20);
        CHECK(missing_intents == 0);
        CHECK(server.requests().size() == 27);  // seqs 0, 3, ..., 18 refused once
        CHECK(journal.syncs() < 27);            // intents share syncs
        const auto scan = scan_journal(path);
        CHECK(scan.final_orders == 20);
        CHECK(scan.open_intents.empty());
    }

    TEST_CASE_FIXTURE(
        Fixture, "a journal that cannot be written: no mutating request leaves and the run stops") {
        rcbatch::test::TempDir dir("rcbatch-batch");
        const rcbatch::test::FileSizeLimit full_disk(0);
        Journal journal(ioc.get_executor(), dir.path / "journal.jsonl");
        settings.journal = &journal;
        mutating = true;
        CountingSource source(10, emitted, 100);
        BatchStats stats;
        run_async(ioc, [&]() -> asio::awaitable<void> {
            stats = co_await run_batch(settings, source, order_fn(), sink());
        });
        CHECK(server.requests().empty());
        CHECK(stats.stopped == StopReason::failed);
        CHECK(stats.stop_message.find("the journal cannot be written") != std::string::npos);
        check_each_seq_once(10);
        CHECK(stats.tally.count(Outcome::ok) == 0);
    }

    TEST_CASE_FIXTURE(Fixture, "a throwing order function is one failed order, not a crashed run") {
        CountingSource source(5, emitted, 100);
        BatchStats stats;
        auto fn = order_fn();
        OrderFn throwing = [fn](Target t, CallContext& ctx) -> asio::awaitable<OrderResult> {
            if (t.seq == 2) throw std::logic_error("bad index");
            co_return co_await fn(std::move(t), ctx);
        };
        run_async(ioc, [&]() -> asio::awaitable<void> {
            stats = co_await run_batch(settings, source, throwing, sink());
        });
        check_each_seq_once(5);
        CHECK(stats.internal_errors == 1);
        CHECK(stats.tally.count(Outcome::ok) == 4);
        const auto bad =
            std::find_if(results.begin(), results.end(), [](auto& r) { return r.seq == 2; });
        CHECK(bad->outcome == Outcome::transient);
        CHECK(bad->message.find("bad index") != std::string::npos);
    }

    TEST_CASE_FIXTURE(Fixture, "a failing sink or source stops the run and is rethrown") {
        SUBCASE("sink") {
            CountingSource source(20, emitted, 100);
            int calls = 0;
            ResultSink failing = [&](const OrderResult&) {
                if (++calls == 3) throw std::runtime_error("disk full");
            };
            CHECK_THROWS_WITH(run_async(ioc,
                                        [&]() -> asio::awaitable<void> {
                                            co_await run_batch(settings, source, order_fn(),
                                                               failing);
                                        }),
                              "disk full");
            CHECK(calls == 3);
            CHECK(source.pulled_ < 20);
        }
        SUBCASE("source") {
            CountingSource source(20, emitted, 100);
            source.throw_at_ = 6;
            CHECK_THROWS_WITH(run_async(ioc,
                                        [&]() -> asio::awaitable<void> {
                                            co_await run_batch(settings, source, order_fn(),
                                                               sink());
                                        }),
                              "orders.txt: read error");
            CHECK(results.size() == 5);
        }
    }

    TEST_CASE_FIXTURE(Fixture, "settings that cannot run are refused") {
        settings.tls = nullptr;
        CHECK_THROWS_AS(Batch(ioc.get_executor(), settings, order_fn(), sink()),
                        std::invalid_argument);
        settings.tls = &tls;
        settings.concurrency = 0;
        CHECK_THROWS_AS(Batch(ioc.get_executor(), settings, order_fn(), sink()),
                        std::invalid_argument);
    }

    TEST_CASE_FIXTURE(Fixture, "an empty source is an empty run") {
        CountingSource source(0, emitted, 100);
        BatchStats stats;
        run_async(ioc, [&]() -> asio::awaitable<void> {
            stats = co_await run_batch(settings, source, order_fn(), sink());
        });
        CHECK(results.empty());
        CHECK(stats.tally.orders() == 0);
        CHECK(stats.connections_opened == 0);
    }
}

}  // namespace batch_test
