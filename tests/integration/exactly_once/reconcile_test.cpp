// A change whose answer was lost is reconciled by reading the order again: applied -> ok,
// not applied -> sent again, undecidable -> unknown. The sandbox's counters prove that no
// order is ever changed twice, whatever the faults.

#include "sandbox/api/faults.hpp"
#include "tests/support/renew_params.hpp"
#include "tests/support/run_fixture.hpp"

namespace reconcile_test {

using namespace rcbatch;
using namespace rcbatch::test;

namespace {
sandbox::Options faulty(const char* spec, std::uint64_t seed = 11) {
    sandbox::Options o = run_options(seed);
    o.sizes.backups_per_region = 120;
    o.faults = sandbox::parse_fault_spec(spec);
    o.faults.stall_time = 3s;
    return o;
}

using rcbatch::test::renew_params;

// Every order's applied counter for `action`, and the records' outcomes, agree: ok means
// applied exactly once, anything else at most once.
void check_exactly_once(RunFixture& f, const RunOutput& out, const std::string& action) {
    for (const auto& r : out.records) {
        const std::string order = text_of(r.at("order"));
        const auto counter =
            f.sb.call([&](sandbox::Server& s) { return s.counter(std::stoull(order), action); });
        const std::string outcome = text_of(r.at("outcome"));
        CAPTURE(order);
        CAPTURE(outcome);
        CAPTURE(text_of(r.at("message")));
        CHECK(counter.applied <= 1);
        if (outcome == "ok") CHECK(counter.applied == 1);
        if (outcome == "skipped") CHECK(counter.received == 0);
    }
}
}  // namespace

TEST_SUITE("exactly once") {
    TEST_CASE(
        "renew with answers lost after it was applied: every renew applied once, reconciled") {
        RunFixture f(faulty("close-after=0.5"));
        const auto ids = f.own_orders([](const sandbox::Order& o) {
            return o.kind == sandbox::OrderKind::backup && o.region == "us" && o.status == "Active";
        });
        REQUIRE(ids.size() > 20);
        auto settings = f.settings(8);
        settings.retry.attempts = 8;  // reads are retried; keep undecidable re-reads rare
        RunOutput out = f.run_ids(f.action("backup.renew", "us", renew_params()), ids, settings);
        REQUIRE(out.records.size() == ids.size());
        check_exactly_once(f, out, "backup.renew");
        std::size_t reconciled = 0;
        for (const auto& r : out.records) reconciled += r.at("reconciled").as_bool();
        CHECK(reconciled > 0);
        CHECK(out.count("ok") + out.count("unknown") + out.count("ambiguous") == ids.size());
        CHECK(out.count("ok") >= ids.size() * 9 / 10);
    }

    TEST_CASE("renew with lost answers of every kind (applied or not): never twice") {
        RunFixture f(faulty("close-after=0.2,502=0.15,truncate=0.1,close-before=0.1"));
        const auto ids = f.own_orders([](const sandbox::Order& o) {
            return o.kind == sandbox::OrderKind::backup && o.region == "us" && o.status == "Active";
        });
        auto settings = f.settings(8);
        settings.retry.attempts = 8;
        RunOutput out = f.run_ids(f.action("backup.renew", "us", renew_params()), ids, settings);
        REQUIRE(out.records.size() == ids.size());
        check_exactly_once(f, out, "backup.renew");
        CHECK(out.count("ok") >= ids.size() * 8 / 10);
    }

    TEST_CASE("delete with lost answers: the Deleted status decides") {
        RunFixture f(faulty("close-after=0.4,502=0.1"));
        const auto ids = f.own_orders([](const sandbox::Order& o) {
            return o.kind == sandbox::OrderKind::backup && o.region == "asia" &&
                   o.status != "Deleted";
        });
        auto settings = f.settings(8);
        settings.retry.attempts = 8;
        RunOutput out = f.run_ids(f.action("backup.delete", "asia"), ids, settings);
        REQUIRE(out.records.size() == ids.size());
        check_exactly_once(f, out, "backup.delete");
        CHECK(out.count("ok") >= ids.size() * 8 / 10);
    }

    TEST_CASE(
        "without preflight there is nothing to compare: a lost answer is unknown, never resent") {
        RunFixture f(faulty("close-after=1"));
        const auto ids = f.own_orders(
            [](const sandbox::Order& o) {
                return o.kind == sandbox::OrderKind::backup && o.region == "us" &&
                       o.status == "Active";
            },
            5);
        RunOutput out =
            f.run_ids(f.action("backup.renew", "us", renew_params(), false), ids, f.settings());
        CHECK(out.count("unknown") == ids.size());
        for (std::uint64_t id : ids) {
            const auto c =
                f.sb.call([&](sandbox::Server& s) { return s.counter(id, "backup.renew"); });
            CHECK(c.received == 1);
            CHECK(c.applied == 1);
        }
    }

    TEST_CASE("install-agent: the action log decides a lost answer; every install applied once") {
        RunFixture f(faulty("close-after=0.5"));
        const auto ids = f.own_orders(
            [](const sandbox::Order& o) {
                return o.kind == sandbox::OrderKind::backup && o.region == "us" &&
                       o.status == "Active" &&
                       o.hosting_order_id == 0;  // an agent on another hosting order is refused
            },
            20);
        REQUIRE(ids.size() == 20);
        auto settings = f.settings();
        settings.retry.attempts = 8;  // preflight reads go through the same faults
        RunOutput out = f.run_ids(
            f.action("backup.install-agent", "us", {{"hosting-order-id", std::int64_t{40000001}}}),
            ids, settings);
        std::size_t reconciled = 0;
        for (const auto& r : out.records) {
            const std::uint64_t id = std::stoull(text_of(r.at("order")));
            const auto c = f.sb.call(
                [&](sandbox::Server& s) { return s.counter(id, "backup.install-agent"); });
            CAPTURE(json::serialize(r));
            CHECK(c.applied <=
                  1);  // installed once at most: resent only when the log shows nothing
            if (text_of(r.at("outcome")) == "ok") CHECK(c.applied == 1);
            reconciled += r.at("reconciled").as_bool();
        }
        CHECK(reconciled > 0);
        CHECK(out.count("ok") >= ids.size() * 3 / 4);
    }
}

}  // namespace reconcile_test
