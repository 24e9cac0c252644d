// The cross-run guard (the ledger in the state directory): two jobs, or two processes, can no
// longer change one order twice by accident. Counted with the sandbox's per-order counters.
#include "engine/store/job_lock.hpp"
#include "jobs/state/ledger.hpp"
#include "jobs/state/state_dir.hpp"
#include "tests/support/renew_params.hpp"
#include "tests/support/run_fixture.hpp"

namespace guard_test {

using namespace rcbatch;
using namespace rcbatch::test;

namespace {
using rcbatch::test::renew_params;

// A state directory of the test's own, removed after it.
struct TempDirForLedger {
    std::filesystem::path path = std::filesystem::temp_directory_path() /
                                 ("rcbatch-ledger-test-" + std::to_string(::getpid()));
    TempDirForLedger() { std::filesystem::remove_all(path); }
    ~TempDirForLedger() {
        std::error_code ignored;
        std::filesystem::remove_all(path, ignored);
    }
};
}  // namespace

TEST_SUITE("never twice: the cross-run guard") {
    TEST_CASE(
        "a second job renewing the same orders within repeat-guard skips them, naming the first") {
        RunFixture f;
        const auto ids = f.own_orders(active_backup("us"), 6);
        REQUIRE(ids.size() == 6);
        auto first =
            f.run(f.action("backup.renew", "us", renew_params(1)),
                  std::make_unique<jobs::OrderIdSource>(as_ids(ids)), f.settings(), 40s, "renew-a");
        CHECK(first.count("ok") == 6);
        auto second =
            f.run(f.action("backup.renew", "us", renew_params(1)),
                  std::make_unique<jobs::OrderIdSource>(as_ids(ids)), f.settings(), 40s, "renew-b");
        CHECK(second.report.exit == engine::ExitCode::ok);
        CHECK(second.count("skipped") == 6);
        for (const auto& r : second.records) {
            CAPTURE(json::serialize(r));
            CHECK(
                text_of(r.at("message"))
                    .starts_with("renewed by job renew-a (" + first.report.dir.string() + ") at "));
            CHECK(text_of(r.at("message")).ends_with("(ok; repeat-guard 24 h)"));
        }
        for (auto id : ids) CHECK(f.counter(id, "backup.renew").applied == 1);

        SUBCASE("repeat-guard = 0: only open intents block, so a third job renews again") {
            f.repeat_guard = std::chrono::seconds(0);
            auto third = f.run(f.action("backup.renew", "us", renew_params(1)),
                               std::make_unique<jobs::OrderIdSource>(as_ids(ids)), f.settings(),
                               40s, "renew-c");
            CHECK(third.count("ok") == 6);
            for (auto id : ids) CHECK(f.counter(id, "backup.renew").applied == 2);
        }
    }

    TEST_CASE("two jobs at once on the same orders: every order renewed exactly once") {
        RunFixture f;
        const auto ids = f.own_orders(active_backup("asia"), 30);
        REQUIRE(ids.size() == 30);
        auto one = std::async(std::launch::async, [&] {
            return f.run(f.action("backup.renew", "asia", renew_params(1)),
                         std::make_unique<jobs::OrderIdSource>(as_ids(ids)), f.settings(4), 40s,
                         "renew-one");
        });
        std::vector<std::uint64_t> reversed(ids.rbegin(), ids.rend());
        auto two = f.run(f.action("backup.renew", "asia", renew_params(1)),
                         std::make_unique<jobs::OrderIdSource>(as_ids(reversed)), f.settings(4),
                         40s, "renew-two");
        auto first = one.get();
        CHECK(first.count("ok") + two.count("ok") == 30);
        CHECK(first.count("skipped") + two.count("skipped") == 30);
        for (auto id : ids) {
            CAPTURE(id);
            CHECK(f.counter(id, "backup.renew").applied == 1);
        }
    }

    TEST_CASE("an open intent of a run that is still going blocks the order") {
        RunFixture f;
        const auto ids = f.own_orders(active_backup("us"), 2);
        REQUIRE(ids.size() == 2);
        // The run holds its job's lock (a dead run's intent is settled instead: dead_run_test).
        std::string holder;
        const auto lock = engine::JobLock::try_acquire(
            jobs::job_lock_dir(f.state_dir(), f.account(), "dead-job"), holder);
        REQUIRE(lock.has_value());
        {
            // What a run killed between sending a renew and recording its answer leaves behind.
            jobs::Ledger ledger(f.reports / "state");
            const auto dead =
                ledger.begin_run({0, "/reports/dead/run", "dead-job", "/jobs/dead.toml",
                                  "sandbox/run-fixture/" + f.sb.userid(), "backup.renew", "run", 1,
                                  0, 1, "", "", 2});
            ledger.begin_group();
            CHECK(ledger
                      .claim({dead, "sandbox/run-fixture/" + f.sb.userid(), std::to_string(ids[0]),
                              "backup.renew", 2, 0})
                      .granted);
            ledger.commit_group();
        }
        auto out = f.run(f.action("backup.renew", "us", renew_params(1)),
                         std::make_unique<jobs::OrderIdSource>(as_ids(ids)), f.settings());
        const auto& blocked = out.at(std::to_string(ids[0]));
        CHECK(text_of(blocked.at("outcome")) == "skipped");
        CHECK(text_of(blocked.at("message"))
                  .starts_with("job dead-job (/reports/dead/run) has had a backup.renew of this "
                               "order in doubt since"));
        CHECK(
            text_of(blocked.at("message"))
                .ends_with(
                    "rcbatch run /jobs/dead.toml --resume /reports/dead/run, or check the order"));
        CHECK(text_of(out.at(std::to_string(ids[1])).at("outcome")) == "ok");
        CHECK(f.counter(ids[0], "backup.renew").received == 0);
    }

    TEST_CASE(
        "a run folder name taken again (the earlier folder removed): both runs kept, the "
        "earlier one's claim still guards") {
        TempDirForLedger dir;
        jobs::Ledger ledger(dir.path);
        const jobs::RunEntry entry{0,
                                   "/reports/job/20261130T100000Z",
                                   "job",
                                   "/jobs/job.toml",
                                   "test/host/1",
                                   "backup.renew",
                                   "run",
                                   1,
                                   0,
                                   1,
                                   "",
                                   "",
                                   1};
        const auto first = ledger.begin_run(entry);
        ledger.begin_group();
        CHECK(ledger.claim({first, "test/host/1", "42", "backup.renew", 1, 0}).granted);
        ledger.commit_group();
        const auto second = ledger.begin_run(entry);  // threw "UNIQUE constraint failed" before
        CHECK(second != first);
        REQUIRE(ledger.find_run(entry.folder).has_value());
        CHECK(ledger.find_run(entry.folder)->id == second);
        CHECK(ledger.runs(std::nullopt, 10).size() == 2);
        ledger.begin_group();
        CHECK_FALSE(ledger.claim({second, "test/host/1", "42", "backup.renew", 2, 3600}).granted);
        ledger.commit_group();
    }

    TEST_CASE("runs that open a new ledger at the same moment all get it (none is 'locked')") {
        // Changing a new file's journal mode fails at once, without the busy timeout, while
        // another connection does the same; CI saw one of two simultaneous jobs refused so.
        TempDirForLedger dir;
        int refused = 0;
        for (int round = 0; round < 40; ++round) {
            const auto state = dir.path / std::to_string(round);
            std::vector<std::future<std::string>> opening;
            for (int i = 0; i < 4; ++i)
                opening.push_back(std::async(std::launch::async, [state] {
                    try {
                        jobs::Ledger ledger(state);
                        return std::string();
                    } catch (const std::exception& e) {
                        return std::string(e.what());
                    }
                }));
            for (auto& f : opening) {
                const std::string error = f.get();
                CAPTURE(error);
                refused += error.empty() ? 0 : 1;
            }
        }
        CHECK(refused == 0);
    }
}

}  // namespace guard_test
