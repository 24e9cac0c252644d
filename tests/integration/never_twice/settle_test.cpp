// rcbatch settle's core (jobs/run/settle_run.hpp) on a run killed with renews in doubt: the
// evidence is read, nothing is sent, each verdict becomes a settle line; one found not applied
// is reopened, so a --resume sends it — once.
#include "jobs/run/settle_run.hpp"
#include "tests/support/killed_run_fixture.hpp"
#include "tests/support/renew_params.hpp"

namespace settle_test {

using namespace rcbatch;
using namespace rcbatch::test;

TEST_SUITE("never twice: settle") {
    TEST_CASE(
        "a killed run settled later: applied and not applied told apart; resume sends the "
        "rest once") {
        RunFixture f;
        const auto ids = f.own_orders(active_backup("us"), 2);
        REQUIRE(ids.size() == 2);
        auto action = f.action("backup.renew", "us", renew_params(1));
        const KilledRun killed = make_killed_run(f, "nightly", *action, ids, unix_now() - 30);
        // ids[0]'s request reached the API before the kill; ids[1]'s did not.
        f.ledger = false;
        f.run(action,
              std::make_unique<jobs::OrderIdSource>(as_ids(std::vector<std::uint64_t>{ids[0]})),
              f.settings(), 40s, "the-request");
        f.ledger = true;

        auto settling = std::make_shared<jobs::ActionSetup>(*action);
        settling->flow.settle_only = true;
        jobs::SettleRequest request;
        request.dir = killed.dir;
        request.action = settling;
        request.batch = f.settings();
        request.batch.action = "backup.renew";
        request.state_dir = f.state_dir();
        const jobs::SettleOutcome settled = jobs::settle_run(std::move(request));
        CHECK(settled.looked_up == 2);
        CHECK(settled.applied == 1);
        CHECK(settled.not_applied == 1);
        CHECK(settled.unknown == 0);
        CHECK(f.counter(ids[0], "backup.renew").received == 1);  // settle sent nothing
        CHECK(f.counter(ids[1], "backup.renew").received == 0);
        const auto changes = changes_of(f, killed.run_id, ids);
        REQUIRE(changes.size() == 2);
        for (const auto& c : changes)
            CHECK(c.outcome == (c.order_id == std::to_string(ids[0]) ? "ok" : "not_run"));
        CHECK(settled.summary.count(engine::Outcome::ok) == 1);
        CHECK(settled.summary.count(engine::Outcome::not_run) == 1);

        auto resumed = f.resume(action, killed.dir, f.settings(), "nightly");
        CHECK(resumed.report.exit == engine::ExitCode::ok);
        CHECK(resumed.count("ok") == 2);
        for (auto id : ids) CHECK(f.counter(id, "backup.renew").applied == 1);
    }
}

}  // namespace settle_test
