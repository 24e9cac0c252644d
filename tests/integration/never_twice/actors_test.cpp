// The repeat guard every actor shares (issue #19, case 5): the account's action lists, read
// once before the orders and again as the run goes on, skip an order that another user's or
// machine's rcbatch, or the reseller panel, renewed within repeat-guard. Counted with the
// sandbox's per-order counters.
#include "tests/support/renew_params.hpp"
#include "tests/support/run_fixture.hpp"

namespace actors_test {

using namespace rcbatch;
using namespace rcbatch::test;

namespace {
using rcbatch::test::renew_params;

RunOutput renew(RunFixture& f, const std::vector<std::uint64_t>& ids, const std::string& job,
                std::shared_ptr<jobs::ActionSetup> action = nullptr) {
    if (!action) action = f.action("backup.renew", "us", renew_params(1));
    return f.run(std::move(action), std::make_unique<jobs::OrderIdSource>(as_ids(ids)),
                 f.settings(), 40s, job);
}

std::uint64_t list_calls(RunFixture& f) {
    return f.received("actions.search-current") + f.received("actions.search-archived");
}
}  // namespace

TEST_SUITE("never twice: every actor") {
    TEST_CASE("the same job with two state directories renews each order once") {
        RunFixture f;
        const auto ids = f.own_orders(active_backup("us"), 3);
        REQUIRE(ids.size() == 3);
        auto first = renew(f, ids, "renew-a");
        CHECK(first.count("ok") == 3);
        f.state_folder = "state-of-another-machine";
        auto second = renew(f, ids, "renew-a");
        CHECK(second.report.exit == engine::ExitCode::ok);
        CHECK(second.count("skipped") == 3);
        for (const auto& r : second.records) {
            CAPTURE(json::serialize(r));
            const std::string message = text_of(r.at("message"));
            CHECK(message.starts_with("renewed 0 min ago by another client (action "));
            CHECK(message.ends_with(", Success; repeat-guard 24 h)"));
        }
        for (auto id : ids) CHECK(f.counter(id, "backup.renew").applied == 1);
    }

    TEST_CASE("a renew made in the reseller panel an hour earlier is skipped") {
        RunFixture f;
        const auto ids = f.own_orders(active_backup("us"), 3);
        REQUIRE(ids.size() == 3);
        const std::string eaqid = f.panel_renew(ids[0], 3600);
        auto out = renew(f, ids, "renew-after-panel");
        CHECK(text_of(out.of(ids[0]).at("outcome")) == "skipped");
        CHECK(text_of(out.of(ids[0]).at("message")) ==
              "renewed 1 h ago by another client (action " + eaqid +
                  ", Success; repeat-guard 24 h)");
        CHECK(f.counter(ids[0], "backup.renew").received == 0);
        CHECK(text_of(out.of(ids[1]).at("outcome")) == "ok");
        CHECK(text_of(out.of(ids[2]).at("outcome")) == "ok");

        SUBCASE("repeat-guard = 0 in the job: the panel's renew does not stop it") {
            f.repeat_guard = std::chrono::seconds(0);
            auto again = renew(f, {ids[0]}, "renew-anyway");
            CHECK(again.count("ok") == 1);
            CHECK(f.counter(ids[0], "backup.renew").applied == 1);
        }
    }

    TEST_CASE("a change this ledger made under another account name is named by its run") {
        RunFixture f;
        const auto ids = f.own_orders(active_backup("asia"), 2);
        REQUIRE(ids.size() == 2);
        f.defaults.account = "by-ip";  // the same reseller reached under another host name
        auto first =
            f.run(f.action("backup.renew", "asia", renew_params(1)),
                  std::make_unique<jobs::OrderIdSource>(as_ids(ids)), f.settings(), 40s, "renew-a");
        CHECK(first.count("ok") == 2);
        f.defaults.account = "by-name";
        auto second =
            f.run(f.action("backup.renew", "asia", renew_params(1)),
                  std::make_unique<jobs::OrderIdSource>(as_ids(ids)), f.settings(), 40s, "renew-b");
        for (const auto& r : second.records) {
            CAPTURE(json::serialize(r));
            CHECK(text_of(r.at("message"))
                      .starts_with("renewed 0 min ago by job renew-a (" +
                                   first.report.dir.string() + ") (action "));
        }
        for (auto id : ids) CHECK(f.counter(id, "backup.renew").applied == 1);
    }

    TEST_CASE("the action lists cannot be read: said once, and the ledger alone guards") {
        RunFixture f;
        const auto ids = f.own_orders(active_backup("us"), 4);
        auto action = f.action("backup.renew", "us", renew_params(1));
        action->log.current_path = "/api/actions/no-such-list.json";
        auto out = renew(f, ids, "renew-blind", action);
        CHECK(out.count("ok") == 4);
        const std::string said = "the account's action lists cannot be read (Unknown API path";
        const auto first = out.printed.find(said);
        CHECK(first != std::string::npos);
        CHECK(out.printed.find(said, first + 1) == std::string::npos);
        CHECK(out.printed.find("the repeat guard uses this machine's ledger alone") !=
              std::string::npos);
        CHECK(out.summary.at("action_scan").at("readable") == false);

        auto again = renew(f, ids, "renew-blind-again", f.action("backup.renew", "us"));
        CHECK(again.count("skipped") == 4);  // the ledger still knows its own runs
        for (auto id : ids) CHECK(f.counter(id, "backup.renew").applied == 1);
    }

    TEST_CASE("one look at the account for the whole run, not a call per order") {
        RunFixture f;
        const auto ids = f.own_orders(active_backup("us"), 30);
        REQUIRE(ids.size() == 30);
        auto out = renew(f, ids, "renew-many");
        CHECK(out.count("ok") == 30);
        // The read-ahead: each list's first page (the lists were empty, so also its last).
        CHECK(list_calls(f) == 2);
        CHECK(out.summary.at("action_scan").at("calls") == 2);
        CHECK(out.summary.at("action_scan").at("readable") == true);
    }

    TEST_CASE("a plan shows the orders the run would skip, for either guard") {
        RunFixture f;
        const auto ids = f.own_orders(active_backup("us"), 3);
        REQUIRE(ids.size() == 3);
        renew(f, {ids[0]}, "renew-one");
        f.panel_renew(ids[1], 600);
        Job plan;
        plan.name = "renew-plan";
        plan.action = f.action("backup.renew", "us", renew_params(1));
        plan.source = std::make_unique<jobs::OrderIdSource>(as_ids(ids));
        plan.dry_run = true;
        auto out = f.run(std::move(plan));
        CHECK(text_of(out.of(ids[0]).at("outcome")) == "skipped");
        CHECK(text_of(out.of(ids[0]).at("message")).starts_with("renewed by job renew-one ("));
        CHECK(text_of(out.of(ids[1]).at("outcome")) == "skipped");
        CHECK(text_of(out.of(ids[1]).at("message"))
                  .starts_with("renewed 10 min ago by another client (action "));
        CHECK(text_of(out.of(ids[2]).at("outcome")) == "ok");
        CHECK(f.counter(ids[2], "backup.renew").received == 0);
    }
}

}  // namespace actors_test
