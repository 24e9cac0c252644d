// A faulted run against the sandbox with parking: orders waiting out a Retry-After or a
// backoff give their connection to the next order, yet no more than `concurrency` requests
// are ever in flight, and every change is applied exactly once. No wall-clock assertion.

#include "sandbox/api/faults.hpp"
#include "tests/support/run_fixture.hpp"

namespace parking_test {

using namespace rcbatch;
using namespace rcbatch::test;
using sandbox::FaultKind;

TEST_SUITE("run: parking") {
    TEST_CASE("a faulted renew run keeps every slot busy and applies each change once") {
        sandbox::Options options = run_options(23);
        options.sizes.backups_per_region = 120;
        options.faults.set_rate(FaultKind::unavailable, 0.08);
        options.faults.set_rate(FaultKind::too_many_requests, 0.08);
        options.faults.set_rate(FaultKind::bad_gateway, 0.05);
        options.faults.set_rate(FaultKind::close_after, 0.03);
        options.faults.retry_after_seconds = 1;
        options.faults.latency = std::chrono::milliseconds(5);
        RunFixture f(options);
        auto settings = f.settings(4);
        settings.retry.attempts = 8;
        const auto ids = f.own_orders(active_backup("us"), 60);
        REQUIRE(ids.size() == 60);
        auto out = f.run_ids(f.action("backup.renew", "us",
                                      {{"months", std::int64_t{12}},
                                       {"invoice-option", std::string("NoInvoice")},
                                       {"auto-renew", false}}),
                             ids, settings, 120s);
        CAPTURE(out.jsonl);
        check_complete_reports(out, ids.size());
        std::size_t parked = 0;
        for (auto id : ids) {
            CAPTURE(id);
            const auto c = f.counter(id, "backup.renew");
            const auto& r = out.at(std::to_string(id));
            CHECK(c.applied <= 1);
            if (text_of(r.at("outcome")) == "ok") CHECK(c.applied == 1);
            if (r.at("attempts").to_number<int>() > 2)
                ++parked;  // a read and a change, plus retries
        }
        CHECK(parked > 0);  // the faults did make orders wait
        const auto stats = f.stats();
        // Concurrency counts requests in flight: never more than 4, and all 4 were used.
        CHECK(stats.max_requests_in_flight <= 4);
        CHECK(stats.max_requests_in_flight == 4);
        CHECK(stats.max_open_connections <= 4);
    }
}

}  // namespace parking_test
