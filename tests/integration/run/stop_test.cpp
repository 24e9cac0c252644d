// How a run ends early: the fatal auth answer, SIGTERM mid-run, and a server that stalls
// past the attempt deadline. In every case the reports are complete: one line per target.

#include "sandbox/api/faults.hpp"
#include "tests/support/renew_params.hpp"
#include "tests/support/run_fixture.hpp"

#include <atomic>
#include <csignal>

namespace stop_test {

using namespace rcbatch;
using namespace rcbatch::test;
using engine::ExitCode;
using engine::StopReason;
using sandbox::FaultKind;

namespace {

using rcbatch::test::renew_params;

// Sends SIGTERM to this process once the sandbox has read `requests` API requests (so the
// batch, which arms its signal handler before its first request, is running), or gives up
// after `limit`. Joined by the destructor.
class TermWhenBusy {
  public:
    TermWhenBusy(RunFixture& f, std::uint64_t requests, std::chrono::seconds limit = 20s)
        : thread_([this, &f, requests, limit] {
              const auto until = std::chrono::steady_clock::now() + limit;
              while (!stop_ && std::chrono::steady_clock::now() < until) {
                  if (f.stats().api_requests >= requests) {
                      sent_ = true;
                      ::kill(::getpid(), SIGTERM);
                      return;
                  }
                  std::this_thread::sleep_for(2ms);  // polling the sandbox's counter
              }
          }) {}
    ~TermWhenBusy() {
        stop_ = true;
        thread_.join();
    }
    bool sent() const { return sent_; }

  private:
    std::atomic<bool> stop_{false};
    std::atomic<bool> sent_{false};
    std::thread thread_;
};

}  // namespace

TEST_SUITE("run: stopping") {
    TEST_CASE("the fatal auth answer stops the run after at most `concurrency` requests") {
        sandbox::Options options = run_options();
        options.faults.deny_userid = sandbox::credentials(options).userid;
        RunFixture f(options);
        const int concurrency = 4;
        auto ids = f.own_orders(active_backup("us"), 40);
        REQUIRE(ids.size() == 40);
        for (std::string action : {"backup.details", "backup.renew"}) {
            CAPTURE(action);
            const auto before = f.stats().api_requests;
            auto out =
                f.run_ids(f.action(action, "us",
                                   action == "backup.renew" ? renew_params()
                                                            : std::vector<jobs::CallParam>{}),
                          ids, f.settings(concurrency));
            CAPTURE(out.printed);
            CHECK(out.report.stop == StopReason::fatal);
            CHECK(out.report.exit == ExitCode::aborted);
            // A renew reads the list prices first (one request): its fatal answer stops the run
            // before any order is tried.
            const bool priced = action == "backup.renew";
            const auto sent = f.stats().api_requests - before;
            CHECK(sent >= 1);
            CHECK(sent <= static_cast<std::uint64_t>(priced ? 1 : concurrency));
            check_complete_reports(out, ids.size());
            const auto fatal = out.count("fatal");
            CHECK(fatal >= (priced ? 0u : 1u));
            CHECK(fatal <= static_cast<std::size_t>(priced ? 0 : concurrency));
            CHECK(fatal + out.count("not_run") == ids.size());
            for (const auto& r : out.records) {
                if (r.at("outcome").as_string() == "fatal") {
                    CHECK(text_of(r.at("message")) ==
                          "Access Denied. You are not authorized to perform this action.");
                    CHECK(r.at("attempts").to_number<int>() == 1);
                } else {
                    CHECK(r.at("attempts").to_number<int>() == 0);
                }
            }
            CHECK(text_of(out.summary.at("stop_reason")) == "fatal");
            CHECK(out.printed.find("check the API key") != std::string::npos);
            CHECK(out.printed.find("whitelist") != std::string::npos);
            check_no_key(out, f.sb.api_key());
            for (auto id : ids) CHECK(f.counter(id, action).applied == 0);
        }
    }

    TEST_CASE(
        "a stalled server hits the attempt deadline: read-only retried, mutating never resent") {
        sandbox::Options options = run_options();
        options.faults.set_rate(FaultKind::stall, 1.0);
        RunFixture f(options);
        auto ids = f.own_orders(active_backup("asia"), 3);
        auto settings = f.settings(2);
        settings.attempt_timeout = 300ms;
        settings.retry.attempts = 3;

        auto read = f.run_ids(f.action("backup.details", "asia"), {ids[0], ids[1]}, settings);
        CHECK(read.report.exit == ExitCode::orders_failed);
        for (auto id : {ids[0], ids[1]}) {
            const auto& r = read.at(std::to_string(id));
            CHECK(text_of(r.at("outcome")) == "ambiguous");
            CHECK(text_of(r.at("message")).find("attempt timeout (300 ms) passed") !=
                  std::string::npos);
            CHECK(r.at("attempts").to_number<int>() == 3);
            CHECK(f.counter(id, "backup.details").received == 3);
        }

        const auto before = f.order(ids[2]).end_time;
        // Without preflight, whose read would stall first.
        auto renew =
            f.run_ids(f.action("backup.renew", "asia", renew_params(), false), {ids[2]}, settings);
        const auto& r = renew.at(std::to_string(ids[2]));
        CHECK(text_of(r.at("outcome")) == "unknown");
        CHECK(r.at("attempts").to_number<int>() ==
              1 + 3);  // the renew, then the action log's stalled reads
        CHECK(text_of(r.at("message")).find("reading the action log failed") != std::string::npos);
        CHECK(f.counter(ids[2], "backup.renew").received == 1);
        CHECK(f.counter(ids[2], "backup.renew").applied == 1);  // the stall came after the renew
        CHECK(f.order(ids[2]).end_time != before);
        CHECK(renew.report.exit == ExitCode::orders_failed);
    }

    TEST_CASE("the order deadline ends an order whose attempts keep stalling") {
        sandbox::Options options = run_options();
        options.faults.set_rate(FaultKind::stall, 1.0);
        RunFixture f(options);
        auto ids = f.own_orders(active_backup("us"), 1);
        auto settings = f.settings(1);
        settings.attempt_timeout = 200ms;
        settings.order_deadline = 500ms;
        settings.retry = {.attempts = 100, .base = 10ms, .max = 20ms};
        auto out = f.run_ids(f.action("backup.details"), ids, settings);
        const auto& r = out.at(std::to_string(ids[0]));
        CHECK(text_of(r.at("outcome")) == "transient");
        CHECK(text_of(r.at("message")).find("order deadline (500 ms) passed") != std::string::npos);
        CHECK(f.counter(ids[0], "backup.details").received >= 2);
        CHECK(out.report.exit == ExitCode::orders_failed);

        // A renew whose one attempt outlives the order: flagged as maybe applied, never resent.
        // (The account's action lists stall too: the job turns the repeat guard off, so the
        // renew itself is what outlives the order.)
        f.repeat_guard = std::chrono::seconds(0);
        auto renew_id = f.own_orders(active_backup("asia"), 1);
        settings.attempt_timeout = 5s;
        settings.order_deadline = 300ms;
        auto renew =
            f.run_ids(f.action("backup.renew", "asia", renew_params(), false), renew_id, settings);
        const auto& rr = renew.at(std::to_string(renew_id[0]));
        const std::string outcome = text_of(rr.at("outcome"));
        CHECK(outcome == "unknown");
        CHECK(text_of(rr.at("message")).find("order deadline (300 ms) passed") !=
              std::string::npos);
        CHECK(text_of(rr.at("message")).find("may have been processed") != std::string::npos);
        CHECK(f.counter(renew_id[0], "backup.renew").received == 1);
        CHECK(f.counter(renew_id[0], "backup.renew").applied == 1);
        CHECK(renew.report.exit == ExitCode::orders_failed);
    }

    TEST_CASE("SIGTERM mid-run stops taking orders and leaves complete reports") {
        sandbox::Options options = run_options();
        options.sizes.backups_per_region = 300;
        options.faults.latency = 50ms;
        RunFixture f(options);
        auto ids = f.own_orders(
            [](const sandbox::Order& o) {
                return o.kind == sandbox::OrderKind::backup && o.region == "us" &&
                       o.status != "Deleted";
            },
            200);
        REQUIRE(ids.size() == 200);
        auto settings = f.settings(4);
        settings.handle_signals = true;
        RunOutput out;
        {
            TermWhenBusy term(f, 8);
            out = f.run_ids(f.action("backup.details"), ids, settings);
            REQUIRE(term.sent());
        }
        CAPTURE(out.printed);
        CHECK(out.report.stop == StopReason::interrupted);
        CHECK(out.report.exit == ExitCode::aborted);
        CHECK(out.report.stop_message == "interrupted by SIGTERM");
        check_complete_reports(out, ids.size());
        CHECK(out.count("ok") >= 8);
        CHECK(out.count("not_run") > 0);
        CHECK(out.count("ok") + out.count("not_run") ==
              ids.size());  // in-flight ones finished in the grace period
        CHECK(text_of(out.summary.at("stop_reason")) == "interrupted");
        CHECK(out.printed.find("interrupted") != std::string::npos);
        check_no_key(out, f.sb.api_key());
        // Nothing was sent for the orders reported not_run.
        for (const auto& r : out.records)
            if (r.at("outcome").as_string() == "not_run")
                CHECK(f.counter(std::stoull(text_of(r.at("order"))), "backup.details").received ==
                      0);
    }

    TEST_CASE(
        "SIGTERM with in-flight changes past the grace period: cancelled, flagged as maybe "
        "applied") {
        sandbox::Options options = run_options();
        options.faults.latency = 1s;  // every request waits in the sandbox
        RunFixture f(options);
        // Only the renews count: no look at the account's actions (repeat-guard 0) ahead of them.
        f.repeat_guard = std::chrono::seconds(0);
        auto ids = f.own_orders(active_backup("us"), 20);
        auto settings = f.settings(4);
        settings.handle_signals = true;
        settings.grace_period = 100ms;
        RunOutput out;
        {
            TermWhenBusy term(f, 4);
            // Without preflight: the renew itself is what is in flight.
            out = f.run_ids(f.action("backup.renew", "us", renew_params(), false), ids, settings);
            REQUIRE(term.sent());
        }
        CHECK(out.report.stop == StopReason::interrupted);
        CHECK(out.report.exit == ExitCode::aborted);
        check_complete_reports(out, ids.size());
        CHECK(out.count("cancelled") >= 1);
        CHECK(out.count("cancelled") + out.count("ok") == 4);
        CHECK(out.count("not_run") == 16);
        for (const auto& r : out.records)
            if (r.at("outcome").as_string() == "cancelled")
                CHECK(text_of(r.at("message")).find("may have been processed") !=
                      std::string::npos);
    }
}

}  // namespace stop_test
