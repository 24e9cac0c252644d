// Intents left open by a run that no longer exists (killed -9 and never resumed) are settled
// by the next run that touches the order, from the evidence — never skipped in silence
// (issue #19): applied -> skipped, naming the dead run and the action; not applied -> renewed
// once; undecidable -> unknown, exit 1. A run that is still going keeps blocking.
#include "engine/store/job_lock.hpp"
#include "jobs/state/state_dir.hpp"
#include "tests/support/killed_run_fixture.hpp"
#include "tests/support/renew_params.hpp"

namespace dead_run_test {

using namespace rcbatch;
using namespace rcbatch::test;

namespace {
RunOutput renew_again(RunFixture& f, const std::vector<std::uint64_t>& ids) {
    return f.run(f.action("backup.renew", "us", renew_params(1)),
                 std::make_unique<jobs::OrderIdSource>(as_ids(ids)), f.settings(), 40s,
                 "renew-now");
}
}  // namespace

TEST_SUITE("never twice: a dead run's intents") {
    TEST_CASE("its renew never reached the API: settled as not applied, then renewed once") {
        RunFixture f;
        const auto ids = f.own_orders(active_backup("us"), 2);
        REQUIRE(ids.size() == 2);
        const KilledRun dead = make_killed_run(
            f, "nightly", *f.action("backup.renew", "us", renew_params(1)), ids, unix_now() - 30);
        auto out = renew_again(f, ids);
        CHECK(out.report.exit == engine::ExitCode::ok);
        CHECK(out.count("ok") == 2);
        for (auto id : ids) {
            CAPTURE(id);
            CHECK(f.counter(id, "backup.renew").applied == 1);
            const auto& r = out.of(id);
            CHECK(text_of(r.at("fields").at("settled_intent").at("outcome")) == "not_run");
        }
        const auto closed = changes_of(f, dead.run_id, ids);
        REQUIRE(closed.size() == 2);
        for (const auto& c : closed) {
            CHECK(c.outcome == "not_run");
            CHECK(c.evidence.starts_with("not applied: "));
            CHECK(c.evidence.ends_with("(settled by job renew-now)"));
        }
    }

    TEST_CASE("its renew was applied: skipped, naming the dead run and the action") {
        RunFixture f;
        const auto ids = f.own_orders(active_backup("us"), 1);
        REQUIRE(ids.size() == 1);
        auto action = f.action("backup.renew", "us", renew_params(1));
        const KilledRun dead = make_killed_run(f, "nightly", *action, ids, unix_now() - 30);
        // What the dead run's request did before the kill: the API renewed the order.
        f.ledger = false;
        f.run(action, std::make_unique<jobs::OrderIdSource>(as_ids(ids)), f.settings(), 40s,
              "the-dead-request");
        f.ledger = true;
        auto out = renew_again(f, ids);
        CHECK(out.report.exit == engine::ExitCode::ok);
        const auto& r = out.of(ids[0]);
        CHECK(text_of(r.at("outcome")) == "skipped");
        CHECK(text_of(r.at("message"))
                  .starts_with("renewed by job nightly (" + dead.dir.string() +
                               "), which died before recording it: action "));
        CHECK(f.counter(ids[0], "backup.renew").applied == 1);
        CHECK(changes_of(f, dead.run_id, ids).at(0).outcome == "ok");
    }

    TEST_CASE("it died between the ledger and its journal: never sent, renewed at once") {
        RunFixture f;
        const auto ids = f.own_orders(active_backup("us"), 1);
        REQUIRE(ids.size() == 1);
        const KilledRun dead =
            make_killed_run(f, "nightly", *f.action("backup.renew", "us", renew_params(1)), ids,
                            unix_now() - 30, KilledAt::before_intent);
        auto out = renew_again(f, ids);
        CHECK(out.count("ok") == 1);
        CHECK(f.counter(ids[0], "backup.renew").applied == 1);
        CHECK(changes_of(f, dead.run_id, ids)
                  .at(0)
                  .evidence.starts_with("never sent: its journal has no intent"));
    }

    TEST_CASE("nothing can decide it (its journal is gone): unknown, exit 1 — never a skip") {
        RunFixture f;
        const auto ids = f.own_orders(active_backup("us"), 1);
        REQUIRE(ids.size() == 1);
        const KilledRun dead = make_killed_run(
            f, "nightly", *f.action("backup.renew", "us", renew_params(1)), ids, unix_now() - 30);
        fs::remove_all(dead.dir);
        auto out = renew_again(f, ids);
        CHECK(out.report.exit == engine::ExitCode::orders_failed);
        const auto& r = out.of(ids[0]);
        CHECK(text_of(r.at("outcome")) == "unknown");
        CHECK(text_of(r.at("message"))
                  .starts_with("job nightly (" + dead.dir.string() +
                               "), which died, may have sent a backup.renew"));
        CHECK(f.counter(ids[0], "backup.renew").received == 0);
        CHECK(changes_of(f, dead.run_id, ids).at(0).outcome == "unknown");
    }

    TEST_CASE("a run that is still going (its job lock held) keeps blocking, with its message") {
        RunFixture f;
        const auto ids = f.own_orders(active_backup("us"), 1);
        REQUIRE(ids.size() == 1);
        const KilledRun live = make_killed_run(
            f, "nightly", *f.action("backup.renew", "us", renew_params(1)), ids, unix_now() - 30);
        std::string holder;
        const auto lock = engine::JobLock::try_acquire(
            jobs::job_lock_dir(f.state_dir(), f.account(), "nightly"), holder);
        REQUIRE(lock.has_value());
        auto out = renew_again(f, ids);
        const auto& r = out.of(ids[0]);
        CHECK(text_of(r.at("outcome")) == "skipped");
        CHECK(text_of(r.at("message"))
                  .starts_with("job nightly (" + live.dir.string() +
                               ") has had a backup.renew of this order in doubt since"));
        CHECK(f.counter(ids[0], "backup.renew").received == 0);
        CHECK(open_changes(f, live.run_id, ids) == 1);
    }
}

}  // namespace dead_run_test
