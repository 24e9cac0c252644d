// Evidence on the server's clock and one reading of an action's status (issue #19, cases 3 and
// 4), against the sandbox: its clock an hour ahead of this machine's, its replies without a
// Date header, and renewals it answers "error" or "Cancelled".
#include "sandbox/api/faults.hpp"
#include "tests/support/renew_params.hpp"
#include "tests/support/run_fixture.hpp"

namespace clock_test {

using namespace rcbatch;
using namespace rcbatch::test;

namespace {
using rcbatch::test::renew_params;

sandbox::Options with_faults(const char* spec) {
    sandbox::Options o = run_options(13);
    o.faults = sandbox::parse_fault_spec(spec);
    return o;
}

RunOutput renew_one(RunFixture& f, std::uint64_t id) {
    auto action = f.action("backup.renew", "us", renew_params(1));
    action->flow.settle = std::chrono::milliseconds(20);
    return f.run_ids(action, {id}, f.settings());
}
}  // namespace

TEST_SUITE("exactly once: the server's clock") {
    TEST_CASE("client an hour behind: a renew 10 min before the intent is no proof (case 3)") {
        // Every renew is lost unprocessed; the panel renewed the order 10 min before, on the
        // server's clock, which runs an hour ahead. The job turns the repeat guard off, so the
        // order is sent and its lost answer reconciled.
        RunFixture f(with_faults("clock-offset=3600,close-before=1,only-action=backup.renew"));
        f.repeat_guard = std::chrono::seconds(0);
        const auto ids = f.own_orders(active_backup("us"), 1);
        REQUIRE(ids.size() == 1);
        f.panel_renew(ids[0], 600);
        auto out = renew_one(f, ids[0]);
        const auto& r = out.of(ids[0]);
        CAPTURE(json::serialize(r));
        CHECK(text_of(r.at("outcome")) == "unknown");  // was: ok, "applied (reconciled: ...)"
        CHECK(out.report.exit == engine::ExitCode::orders_failed);
        CHECK(f.counter(ids[0], "backup.renew").applied == 0);
        const auto offset = out.summary.at("server_clock_offset_ms").to_number<std::int64_t>();
        CHECK(offset > 3'590'000);
        CHECK(offset < 3'610'000);
    }

    TEST_CASE("no Date header and no look: an action that cannot be placed proves nothing") {
        RunFixture f(with_faults("no-date=1,close-before=1,only-action=backup.renew"));
        f.repeat_guard = std::chrono::seconds(0);
        const auto ids = f.own_orders(active_backup("us"), 1);
        f.panel_renew(ids[0], 600);
        auto out = renew_one(f, ids[0]);
        const auto& r = out.of(ids[0]);
        CAPTURE(json::serialize(r));
        CHECK(text_of(r.at("outcome")) == "unknown");
        CHECK(text_of(r.at("message")).find("cannot be placed after the intent") !=
              std::string::npos);
        CHECK_FALSE(out.summary.contains("server_clock_offset_ms"));
    }

    TEST_CASE("no Date header: the look before the send tells this run's renew from the panel's") {
        // The renew is applied and its answer lost; the panel's renew 2 h ago is older than the
        // job's one-hour repeat guard, so the order goes, and the look saw the panel's action.
        RunFixture f(with_faults("no-date=1,close-after=1,only-action=backup.renew"));
        f.repeat_guard = std::chrono::hours(1);
        const auto ids = f.own_orders(active_backup("us"), 1);
        f.panel_renew(ids[0], 7200);
        auto out = renew_one(f, ids[0]);
        const auto& r = out.of(ids[0]);
        CAPTURE(json::serialize(r));
        CHECK(text_of(r.at("outcome")) == "ok");
        CHECK(r.at("reconciled").as_bool());
        CHECK(text_of(r.at("message")).starts_with("applied (reconciled: action "));
        CHECK(f.counter(ids[0], "backup.renew").applied == 1);
    }
}

TEST_SUITE("exactly once: failed replies") {
    TEST_CASE("a renew answered 'error' (card declined) or 'Cancelled' is not ok (case 4)") {
        RunFixture f(with_faults("decline=1,only-action=backup.renew"));
        const auto ids = f.own_orders(active_backup("us"), 6);
        REQUIRE(ids.size() == 6);
        auto out = f.run_ids(f.action("backup.renew", "us", renew_params(1)), ids, f.settings());
        CHECK(out.count("api_error") == 6);
        CHECK(out.report.exit == engine::ExitCode::orders_failed);
        for (const auto& r : out.records) {
            CAPTURE(json::serialize(r));
            const std::string message = text_of(r.at("message"));
            CHECK((message == "error: Renewal failed: card declined" ||
                   message == "Cancelled: The action was cancelled"));
        }
        for (auto id : ids) CHECK(f.counter(id, "backup.renew").applied == 0);
    }
}

}  // namespace clock_test
