// Batched preflight reads (issue #20) against the sandbox, decided from its counters: a renew
// costs one request when the search answers its order-id filter; an order the answer lacks is
// read on its own; an answer that ignores the filter stops batched reads for the run (said
// once) and every order is read on its own; a state older than the bound is read again; the
// outcomes are those of the per-order reads, and nothing is renewed twice.

#include "jobs/order/batched_reads.hpp"
#include "tests/support/renew_params.hpp"
#include "tests/support/run_fixture.hpp"

namespace batch_reads_test {

using namespace rcbatch;
using namespace rcbatch::test;

namespace {

// The action as `rcbatch run` sets it up with batched reads on (the profile's default).
std::shared_ptr<jobs::ActionSetup> batched(std::shared_ptr<jobs::ActionSetup> action,
                                           std::chrono::milliseconds max_age = 60s,
                                           std::size_t size = 200) {
    action->reads = jobs::make_batched_reads(
        *action, {size, max_age}, [&](const auto& search) { return jobs::path_for(search, "us"); });
    REQUIRE(action->reads != nullptr);
    return action;
}

// Every US backup order of the fixture's account: Active ones and others, which the preflight
// skips.
std::vector<std::uint64_t> us_backups(RunFixture& f) {
    return f.own_orders([](const sandbox::Order& o) {
        return o.kind == sandbox::OrderKind::backup && o.region == "us" && !o.pending;
    });
}

std::uint64_t calls(RunFixture& f, const std::vector<std::uint64_t>& ids, const char* action) {
    std::uint64_t n = 0;
    for (auto id : ids) n += f.counter(id, action).received;
    return n;
}

std::uint64_t searches(RunFixture& f) { return f.counter(0, "backup.search").received; }

const json::object& reads_of(const RunOutput& out) {
    return out.summary.at("batch_reads").as_object();
}

// Each order renewed once when Active (ok), skipped otherwise; never twice.
void check_renewed_once(RunFixture& f, const RunOutput& out,
                        const std::vector<std::uint64_t>& ids) {
    for (auto id : ids) {
        CAPTURE(id);
        const bool active = f.order(id).status == "Active";
        const auto& r = out.at(std::to_string(id));
        CHECK(f.counter(id, "backup.renew").applied == (active ? 1u : 0u));
        CHECK(text_of(r.at("outcome")) == (active ? "ok" : "skipped"));
    }
}
}  // namespace

TEST_SUITE("run: batched reads") {
    TEST_CASE("the search answers its filter: one search reads many orders, no details call") {
        RunFixture f;
        const auto ids = us_backups(f);
        REQUIRE(ids.size() > 20);
        auto out =
            f.run_ids(batched(f.action("backup.renew", "us", renew_params())), ids, f.settings(8));
        check_complete_reports(out, ids.size());
        CHECK(calls(f, ids, "backup.details") == 0);
        // The first order's search reads every order after it (the window holds them all).
        CHECK(searches(f) == 1);
        const auto& reads = reads_of(out);
        CHECK(reads.at("on").as_bool());
        CHECK(reads.at("judged").to_number<std::size_t>() == ids.size());
        // Every renew cost one request: the search's share aside, renews alone.
        std::uint64_t active = 0;
        for (auto id : ids) active += f.order(id).status == "Active" ? 1 : 0;
        CHECK(calls(f, ids, "backup.renew") == active);
        check_renewed_once(f, out, ids);
    }

    TEST_CASE("batches of 10: a search per batch, read ahead of the workers") {
        RunFixture f;
        const auto ids = us_backups(f);
        auto out = f.run_ids(batched(f.action("backup.renew", "us", renew_params()), 60s, 10), ids,
                             f.settings(4));
        check_complete_reports(out, ids.size());
        CHECK(calls(f, ids, "backup.details") == 0);
        CHECK(searches(f) >= (ids.size() + 9) / 10);
        CHECK(searches(f) <= (ids.size() + 9) / 10 + 1);
        check_renewed_once(f, out, ids);
    }

    TEST_CASE("an order the answer lacks is read on its own, never judged from its absence") {
        RunFixture f;
        auto ids = us_backups(f);
        const std::uint64_t unknown = 999'999'001;  // no such order in the sandbox
        ids.insert(ids.begin() + 3, unknown);
        auto out =
            f.run_ids(batched(f.action("backup.renew", "us", renew_params())), ids, f.settings(4));
        check_complete_reports(out, ids.size());
        CHECK(f.counter(unknown, "backup.details").received == 1);
        const auto& r = out.at(std::to_string(unknown));
        CHECK(text_of(r.at("outcome")) == "api_error");
        CHECK(f.counter(unknown, "backup.renew").received == 0);
        ids.erase(ids.begin() + 3);
        CHECK(calls(f, ids, "backup.details") == 0);
        CHECK(reads_of(out).at("read_alone").to_number<int>() == 1);
        check_renewed_once(f, out, ids);
    }

    TEST_CASE("an API that ignores the filter: batched reads stop, said once, each order read") {
        sandbox::Options options = run_options();
        options.faults.ignore_order_ids = true;
        RunFixture f(options);
        f.progress.style = engine::ProgressStyle::lines;
        const auto ids = us_backups(f);
        // Ask for a few orders only, so the account's others are "not asked for".
        const std::vector<std::uint64_t> some(ids.begin(), ids.begin() + 12);
        auto out =
            f.run_ids(batched(f.action("backup.renew", "us", renew_params())), some, f.settings(4));
        check_complete_reports(out, some.size());
        CHECK(searches(f) == 1);
        CHECK(calls(f, some, "backup.details") == some.size());
        const auto& reads = reads_of(out);
        CHECK_FALSE(reads.at("on").as_bool());
        CHECK(text_of(reads.at("off")).find("did not answer its order-id filter") !=
              std::string::npos);
        const std::string said = "batched reads stopped";
        const auto first = out.printed.find(said);
        CHECK(first != std::string::npos);
        CHECK(out.printed.find(said, first + 1) == std::string::npos);
        check_renewed_once(f, out, some);
    }

    TEST_CASE("a state older than the bound is read again before its change") {
        RunFixture f;
        const auto ids = us_backups(f);
        auto out = f.run_ids(batched(f.action("backup.renew", "us", renew_params()), 0ms), ids,
                             f.settings(4));
        check_complete_reports(out, ids.size());
        CHECK(calls(f, ids, "backup.details") == ids.size());
        CHECK(reads_of(out).at("read_again_stale").to_number<std::size_t>() == ids.size());
        check_renewed_once(f, out, ids);
    }

    TEST_CASE("domain.renew: its fence (exp-date <- endtime) comes from the domain search") {
        RunFixture f;
        const auto ids = f.own_orders([](const sandbox::Order& o) {
            return o.kind == sandbox::OrderKind::domain && o.status == "Active" && !o.pending;
        });
        REQUIRE(ids.size() > 5);
        std::map<std::uint64_t, std::int64_t> before;
        for (auto id : ids) before[id] = f.order(id).end_time;
        auto action = f.action("domain.renew", "",
                               {{"years", std::int64_t{1}},
                                {"invoice-option", std::string("NoInvoice")},
                                {"auto-renew", false}});
        action->reads = jobs::make_batched_reads(
            *action, {}, [](const auto& search) { return jobs::path_for(search, ""); });
        auto out = f.run_ids(action, ids, f.settings(4));
        check_complete_reports(out, ids.size());
        CHECK(calls(f, ids, "domain.details") == 0);
        CHECK(f.counter(0, "domain.search").received == 1);
        for (auto id : ids) {
            CAPTURE(id);
            CHECK(f.counter(id, "domain.renew").applied == 1);
            CHECK(f.order(id).end_time > before[id]);
            CHECK(text_of(out.at(std::to_string(id)).at("outcome")) == "ok");
        }
    }

    TEST_CASE("a preflight reading what no search carries (NIXI statuses) reads each order") {
        RunFixture f;
        const auto ids = f.own_orders(
            [](const sandbox::Order& o) {
                return o.kind == sandbox::OrderKind::domain && !o.email_verification.empty();
            },
            8);
        REQUIRE(!ids.empty());
        auto action = f.action("nixi.resend", "");
        action->reads = jobs::make_batched_reads(
            *action, {}, [](const auto& search) { return jobs::path_for(search, ""); });
        auto out = f.run_ids(action, ids, f.settings(2));
        check_complete_reports(out, ids.size());
        CHECK(calls(f, ids, "domain.details") == ids.size());
        CHECK(f.counter(0, "domain.search").received == 1);
        const auto& reads = reads_of(out);
        CHECK_FALSE(reads.at("on").as_bool());
        CHECK(text_of(reads.at("off")).find("VerificationStatus") != std::string::npos);
    }
}

}  // namespace batch_reads_test
