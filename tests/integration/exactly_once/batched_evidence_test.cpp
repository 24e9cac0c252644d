// Batched evidence (issue #23): the lost answers of a run whose repeat guard reads the account's
// action lists are settled from a look at those lists begun after each order's doubt began — one
// look for every order waiting on it — with the same outcomes as reading both lists for each
// order alone. Counted with the sandbox's request counters and decide_fault, never timed.
#include "engine/net/solo_caller.hpp"
#include "jobs/evidence/account_actions.hpp"
#include "sandbox/api/faults.hpp"
#include "tests/support/renew_params.hpp"
#include "tests/support/run_fixture.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace batched_evidence_test {

using namespace rcbatch;
using namespace rcbatch::test;

namespace {
using rcbatch::test::renew_params;

constexpr std::uint64_t seed = 17;
// Applied with its answer lost, or lost before it was processed; every other call answered.
constexpr const char* lost_renews =
    "close-after=0.45,close-before=0.35,only-action=backup.renew,latency=20ms";

sandbox::Options faulted(const char* spec) {
    sandbox::Options o = run_options(seed);
    o.sizes.backups_per_region = 150;
    o.faults = sandbox::parse_fault_spec(spec);
    return o;
}

// Action-list requests: all of them, and those naming an order (one order's evidence).
struct ListCalls {
    std::uint64_t all = 0, per_order = 0;
};
ListCalls list_calls(RunFixture& f, const std::vector<std::uint64_t>& ids) {
    ListCalls n;
    n.all = f.received("actions.search-current") + f.received("actions.search-archived");
    for (auto id : ids)
        n.per_order += f.counter(id, "actions.search-current").received +
                       f.counter(id, "actions.search-archived").received;
    return n;
}

// The renews that lost their answer, by what the sandbox did (decide_fault of each attempt it
// received): applied, or not processed.
struct Doubts {
    std::size_t applied = 0, not_applied = 0;
    std::size_t orders() const { return applied + not_applied; }
    // The reads of both lists the order-by-order reconciliation makes, one page each: once when
    // the answer is lost; when that shows nothing, once more after the settle delay.
    std::size_t per_order_reads() const { return 2 * (applied + 2 * not_applied); }
};
Doubts doubts_of(RunFixture& f, const sandbox::FaultSpec& spec,
                 const std::vector<std::uint64_t>& ids) {
    Doubts d;
    for (auto id : ids) {
        const auto sent = f.counter(id, "backup.renew").received;
        for (std::uint64_t attempt = 1; attempt <= sent; ++attempt) {
            const auto kind = sandbox::decide_fault(spec, seed, id, "backup.renew", attempt).kind;
            d.applied += kind == sandbox::FaultKind::close_after;
            d.not_applied += kind == sandbox::FaultKind::close_before;
        }
    }
    return d;
}

struct OrderEnd {
    std::string outcome, change;
    bool reconciled = false;
    std::uint64_t sent = 0, applied = 0;
    bool operator==(const OrderEnd&) const = default;
};
std::map<std::uint64_t, OrderEnd> ends(RunFixture& f, const RunOutput& out,
                                       const std::vector<std::uint64_t>& ids) {
    std::map<std::uint64_t, OrderEnd> e;
    for (auto id : ids) {
        const auto& r = out.of(id);
        const auto c = f.counter(id, "backup.renew");
        const auto* fields = r.if_contains("fields");
        const auto* change = fields ? fields->as_object().if_contains("change") : nullptr;
        e[id] = {text_of(r.at("outcome")), change ? text_of(*change) : std::string(),
                 r.at("reconciled").as_bool(), c.received, c.applied};
    }
    return e;
}

std::shared_ptr<jobs::ActionSetup> renew_action(RunFixture& f) {
    auto action = f.action("backup.renew", "us", renew_params(1));
    action->flow.settle = std::chrono::milliseconds(150);
    return action;
}
}  // namespace

TEST_SUITE("exactly once: batched evidence") {
    TEST_CASE(
        "a look under way when a doubt begins is not its evidence; the next look serves all") {
        namespace asio = boost::asio;
        RunFixture f;
        const auto action = f.action("backup.renew", "us", renew_params(1));
        asio::io_context ioc;  // outlives the looks' timer
        jobs::AccountActions actions(action->log, std::chrono::hours(24), std::chrono::seconds(5),
                                     std::make_shared<engine::ServerClock>());
        const auto settings = f.settings(1);
        engine::SoloCaller guard(ioc.get_executor(), settings), first(ioc.get_executor(), settings),
            second(ioc.get_executor(), settings), later(ioc.get_executor(), settings);
        const std::int64_t reach = engine::local_unix_now() - 60;
        const auto rethrow = [](std::exception_ptr e) {
            if (e) std::rethrow_exception(e);
        };
        // The guard's look begins first; each order in doubt takes its ticket while it is under
        // way (begun, not ended: it awaits the network), so it must not be their evidence.
        asio::co_spawn(
            ioc,
            [&]() -> asio::awaitable<void> {
                co_await actions.look(*action, guard.context(), std::chrono::seconds(60));
                co_await guard.close();
            },
            rethrow);
        struct Waiter {
            std::uint64_t ticket = 0;
            bool under_way = false;
            std::optional<jobs::LookMark> mark;
        } one, two, three;
        const auto wait_for_look = [&](Waiter& w, engine::SoloCaller& caller) {
            asio::co_spawn(
                ioc,
                [&]() -> asio::awaitable<void> {
                    w.ticket = actions.looks_begun();
                    w.under_way =
                        actions.summary().at("looks").to_number<std::uint64_t>() + 1 == w.ticket;
                    w.mark =
                        co_await actions.look_since(*action, caller.context(), w.ticket, reach);
                    co_await caller.close();
                },
                rethrow);
        };
        wait_for_look(one, first);
        wait_for_look(two, second);
        ioc.run_for(20s);
        CHECK(one.ticket == 1);
        CHECK(two.ticket == 1);
        CHECK(one.under_way);
        CHECK(two.under_way);
        REQUIRE(one.mark.has_value());
        REQUIRE(two.mark.has_value());
        CHECK(one.mark->number == 2);  // not the look under way: the next, for both
        CHECK(two.mark->number == 2);
        CHECK(one.mark->cutoff <= reach);
        // Two looks of one page a list (the lists are empty): the guard's and the orders'.
        CHECK(f.received("actions.search-current") == 2);
        CHECK(f.received("actions.search-archived") == 2);

        // A doubt that begins when no look is under way starts its own.
        ioc.restart();
        wait_for_look(three, later);
        ioc.run_for(20s);
        CHECK(three.ticket == 2);
        CHECK_FALSE(three.under_way);
        REQUIRE(three.mark.has_value());
        CHECK(three.mark->number == 3);
        CHECK(f.received("actions.search-current") == 3);
        CHECK(actions.readable());
    }

    TEST_CASE("many orders in doubt: a few looks at the account settle them all, as one by one") {
        const auto spec = sandbox::parse_fault_spec(lost_renews);
        RunFixture looked(faulted(lost_renews));
        const auto ids = looked.own_orders(active_backup("us"), 80);
        REQUIRE(ids.size() == 80);
        auto settings = looked.settings(16);
        settings.retry.attempts = 8;
        auto with_looks = looked.run_ids(renew_action(looked), ids, settings, 60s);
        REQUIRE(with_looks.records.size() == ids.size());
        const Doubts doubts = doubts_of(looked, spec, ids);
        const ListCalls calls = list_calls(looked, ids);

        // The same orders and faults, the repeat guard off: no account lists are read, so each
        // order in doubt reads its own.
        RunFixture alone(faulted(lost_renews));
        alone.repeat_guard = std::chrono::seconds(0);
        auto one_by_one = alone.run_ids(renew_action(alone), ids, alone.settings(16), 60s);
        const ListCalls alone_calls = list_calls(alone, ids);
        MESSAGE("orders in doubt: " << doubts.orders() << " (" << doubts.applied << " applied, "
                                    << doubts.not_applied << " not); action-list requests: "
                                    << calls.all << " with looks (" << calls.per_order
                                    << " for one order), " << alone_calls.all << " one by one");

        REQUIRE(doubts.applied > 10);
        REQUIRE(doubts.not_applied > 10);
        // Not one order read its own lists, and the looks made far fewer requests than the
        // orders in doubt (one by one: two or four each).
        CHECK(calls.per_order == 0);
        CHECK(calls.all < doubts.orders());
        CHECK(alone_calls.all == doubts.per_order_reads());
        CHECK(alone_calls.per_order == alone_calls.all);
        CHECK(doubts_of(alone, spec, ids).orders() == doubts.orders());

        // The same ends, order by order: applied ones reconciled ok, the others sent again
        // (each renew accepted exactly once).
        const auto a = ends(looked, with_looks, ids), b = ends(alone, one_by_one, ids);
        std::size_t reconciled = 0, resent = 0;
        for (auto id : ids) {
            CAPTURE(id);
            CAPTURE(json::serialize(with_looks.of(id)));
            CHECK(a.at(id) == b.at(id));
            CHECK(a.at(id).outcome == "ok");
            CHECK(a.at(id).applied == 1);
            reconciled += a.at(id).reconciled;
            resent += a.at(id).sent > 1;
        }
        CHECK(reconciled > 0);
        CHECK(resent > 0);
        CHECK(with_looks.summary.at("action_scan").at("readable") == true);
    }

    TEST_CASE("pending renews whose answers were lost: the look says pending, as the order's own") {
        const char* spec_text = "close-after=0.6,only-action=backup.renew";
        RunFixture f(faulted(spec_text));
        const auto ids = f.own_orders(active_backup("asia"), 30);
        REQUIRE(ids.size() == 30);
        auto action = f.action("backup.renew", "asia",
                               {{"months", std::int64_t{1}},
                                {"invoice-option", std::string("OnlyAdd")},
                                {"auto-renew", false}});
        auto out = f.run_ids(action, ids, f.settings(8));
        const ListCalls calls = list_calls(f, ids);
        CHECK(calls.per_order == 0);
        std::size_t lost = 0;
        for (auto id : ids) {
            const auto& r = out.of(id);
            CAPTURE(json::serialize(r));
            CHECK(text_of(r.at("outcome")) == "ok");
            CHECK(text_of(r.at("fields").at("change")) == "pending");
            CHECK(f.counter(id, "backup.renew").applied == 1);
            if (r.at("reconciled").as_bool()) {
                ++lost;
                CHECK(text_of(r.at("message")).find("is in the current actions") !=
                      std::string::npos);
            }
        }
        CHECK(lost > 5);
    }

    TEST_CASE("the account's lists turn unreadable: each order in doubt reads its own") {
        // One page of ten actions a look: once the run's renews are more than ten, the
        // account's lists cannot be read whole in a look, so the guard and the evidence fall
        // back (the guard to the ledger, the evidence to the order's own lists).
        RunFixture f(faulted("close-after=0.5,only-action=backup.renew"));
        const auto ids = f.own_orders(active_backup("us"), 30);
        REQUIRE(ids.size() == 30);
        auto action = renew_action(f);
        action->log.scan_page_size = 10;
        action->log.scan_max_pages = 1;
        auto out = f.run_ids(action, ids, f.settings(4));
        CHECK(out.summary.at("action_scan").at("readable") == false);
        CHECK(out.count("ok") == ids.size());
        std::size_t read_alone = 0;
        for (auto id : ids) {
            CHECK(f.counter(id, "backup.renew").applied == 1);
            read_alone += f.counter(id, "actions.search-current").received > 0;
        }
        CHECK(read_alone > 0);
    }
}

}  // namespace batched_evidence_test
