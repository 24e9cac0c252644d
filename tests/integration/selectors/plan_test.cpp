// Plans (dry runs) send no changing request, record one truthful line per target with the
// request redacted; running a plan acts once on the orders that did not change since and
// skips the others as stale; max-orders refuses a search that finds too many, before
// anything is sent.

#include "jobs/run_folder/run_history.hpp"
#include "sandbox/api/api.hpp"
#include "tests/integration/selectors/selectors_fixture.hpp"
#include "tests/support/renew_params.hpp"

#include <cstdio>

namespace plan_test {

using namespace rcbatch;
using namespace rcbatch::test;
using engine::ExitCode;
using jobs::TargetKind;
using sandbox::Order;

namespace {

using rcbatch::test::renew_params;

// "2026-12-20" (UTC) for Unix seconds, computed here rather than by the code under test.
std::string ymd(std::int64_t unix_seconds) {
    using namespace std::chrono;
    const year_month_day d{floor<days>(sys_seconds{seconds{unix_seconds}})};
    char out[16];
    std::snprintf(out, sizeof out, "%04d-%02u-%02u", static_cast<int>(d.year()),
                  static_cast<unsigned>(d.month()), static_cast<unsigned>(d.day()));
    return out;
}

std::map<std::uint64_t, Order> snapshot(SelectorFixture& f, const std::set<std::uint64_t>& ids) {
    return f.sb.call([&](sandbox::Server& s) {
        std::map<std::uint64_t, Order> orders;
        for (auto id : ids) orders[id] = *s.order(id);
        return orders;
    });
}

std::size_t csv_rows(const std::string& csv) {
    std::size_t n = 0;
    for (std::size_t at = 0; (at = csv.find("\r\n", at)) != std::string::npos; at += 2) ++n;
    return n == 0 ? 0 : n - 1;
}

// A plan's common promises: plan files (no results), dry_run in the summary, one record per
// target, the key nowhere.
void check_plan_folder(SelectorFixture& f, const RunOutput& out, std::size_t targets) {
    CAPTURE(out.printed);
    CHECK(out.report.exit == ExitCode::ok);
    for (const char* name : {"plan.jsonl", "plan.csv", "targets.jsonl", "summary.json"})
        CHECK_MESSAGE(out.files.contains(name), name);
    CHECK(!out.files.contains("results.jsonl"));
    CHECK(out.report.summary.dry_run);
    CHECK(out.targets.size() == targets);
    CHECK(out.records.size() == targets);
    CHECK(csv_rows(out.files.at("plan.csv")) == targets);
    check_no_key(out, f.sb.api_key());
}

}  // namespace

TEST_SUITE("selectors: plan") {
    TEST_CASE(
        "planning a renew of every Active US order sends no renew and shows each end time move") {
        SelectorFixture f;
        const auto active =
            f.own([](const Order& o) { return backup_in(o, "us") && o.status == "Active"; });
        REQUIRE(active.size() > 500);
        const auto before = snapshot(f, active);
        jobs::SearchFilter filter;
        filter.status = {"Active"};
        Job job;
        job.action = f.action("backup.renew", "us", renew_params());
        job.search = f.search(filter, TargetKind::backup_order);
        job.dry_run = true;
        RunOutput out = f.run(std::move(job));
        check_plan_folder(f, out, active.size());
        CHECK(out.target_ids() == active);
        CHECK(f.received("backup.renew") == 0);
        CHECK(out.count("ok") == active.size());
        for (const auto& r : out.records) {
            const std::uint64_t id = std::stoull(text_of(r.at("order")));
            const Order& o = before.at(id);
            CAPTURE(id);
            CHECK(r.at("message").as_string() == "renew 12 months: endtime " + ymd(o.end_time) +
                                                     " -> " +
                                                     ymd(sandbox::add_months(o.end_time, 12)));
            CHECK(field(r, "endtime_before") == std::to_string(o.end_time));
            const std::string request = field(r, "request");
            CHECK(request.starts_with("POST /api/backup/us/renew.json"));
            CHECK(request.find("backup-order-id=" + std::to_string(id)) != std::string::npos);
            CHECK(request.find("months=12") != std::string::npos);
            CHECK(request.find("api-key=***") != std::string::npos);
        }
        const auto after = snapshot(f, active);
        for (const auto& [id, o] : before) {
            CHECK(after.at(id).end_time == o.end_time);
            CHECK(after.at(id).renewals == 0);
            CHECK(f.counter(id, "backup.details").applied == 1);  // the preflight's read
        }
    }

    TEST_CASE("planning deletes and resends over many orders sends neither") {
        SelectorFixture f;
        SUBCASE("delete every US order: Deleted ones skipped, the rest would be deleted") {
            const auto all = f.own([](const Order& o) { return backup_in(o, "us"); });
            const auto deleted =
                f.own([](const Order& o) { return backup_in(o, "us") && o.status == "Deleted"; });
            REQUIRE(!deleted.empty());
            Job job;
            job.action = f.action("backup.delete", "us");
            job.search = f.search({}, TargetKind::backup_order);
            job.dry_run = true;
            RunOutput out = f.run(std::move(job));
            check_plan_folder(f, out, all.size());
            CHECK(f.received("backup.delete") == 0);
            CHECK(out.count("skipped") == deleted.size());
            CHECK(out.count("ok") == all.size() - deleted.size());
            for (auto id : first(deleted, 5))
                CHECK(out.of(id).at("message").as_string() == "already Deleted");
            CHECK(f.own([](const Order& o) {
                return backup_in(o, "us") && o.status == "Deleted";
            }) == deleted);
        }
        SUBCASE("resend to every Active NIXI domain") {
            const auto active = f.own([](const Order& o) {
                return o.kind == sandbox::OrderKind::domain && nixi_key(o.product_key) &&
                       o.status == "Active";
            });
            jobs::SearchFilter filter;
            filter.status = {"Active"};
            Job job;
            job.action = f.action("nixi.resend");
            job.search = f.search(filter, TargetKind::domain_order);
            job.dry_run = true;
            RunOutput out = f.run(std::move(job));
            check_plan_folder(f, out, active.size());
            CHECK(f.received("nixi.resend") == 0);
            CHECK(out.count("ok") > 0);
            CHECK(out.count("skipped") > 0);
            for (const auto& r : out.records)
                if (r.at("outcome").as_string() == "ok") {
                    CHECK(r.at("message").as_string() == "resend the verification e-mail");
                    CHECK(field(r, "request")
                              .starts_with("POST /api/domains/nixi/verification/resend.json"));
                }
            CHECK(f.own([](const Order& o) { return !o.resends.empty(); }).empty());
        }
    }

    TEST_CASE("run --plan: changed orders are skipped as stale, the others renewed exactly once") {
        SelectorFixture f;
        const auto active = first(f.own([](const Order& o) {
            return backup_in(o, "us") && o.status == "Active" && !o.pending;
        }),
                                  12);
        const auto inactive = first(
            f.own([](const Order& o) { return backup_in(o, "us") && o.status == "InActive"; }), 2);
        REQUIRE(active.size() == 12);
        std::set<std::uint64_t> planned = active;
        planned.insert(inactive.begin(), inactive.end());
        const auto before = snapshot(f, planned);

        Job plan;
        plan.name = "renew-plan";
        plan.action = f.action("backup.renew", "us", renew_params());
        plan.source = std::make_unique<jobs::OrderIdSource>(as_ids(planned));
        plan.dry_run = true;
        RunOutput made = f.run(std::move(plan));
        REQUIRE(made.report.exit == ExitCode::ok);
        CHECK(made.count("ok") == active.size());
        CHECK(made.count("skipped") == inactive.size());
        const fs::path plan_dir = made.report.dir;

        // In between: a second job renews two of them, and one is suspended.
        auto it = active.begin();
        const std::set<std::uint64_t> renewed{*it, *std::next(it)};
        const std::uint64_t suspended = *std::next(it, 2);
        Job between;
        between.name = "in-between";
        between.action = f.action("backup.renew", "us", renew_params());
        between.source = std::make_unique<jobs::OrderIdSource>(as_ids(renewed));
        RunOutput other = f.run(std::move(between));
        REQUIRE(other.count("ok") == 2);
        f.sb.call([&](sandbox::Server& s) {
            s.service().data().orders.at(suspended).status = "Suspended";
            return 0;
        });

        const auto run_plan = [&] {
            Job run;
            run.name = "renew-plan";
            run.action = f.action("backup.renew", "us", renew_params());
            run.source = std::make_unique<jobs::PlanSource>(plan_dir);
            return f.run(std::move(run));
        };
        RunOutput out = run_plan();
        CAPTURE(out.printed);
        CHECK(out.report.exit == ExitCode::ok);
        CHECK(out.records.size() == active.size());  // the plan's skipped orders are not run
        for (auto id : active) {
            CAPTURE(id);
            const auto& r = out.of(id);
            const std::string message(r.at("message").as_string());
            const Order now = f.order(id);
            if (renewed.contains(id)) {
                CHECK(r.at("outcome").as_string() == "skipped");
                CHECK(message ==
                      "stale: end time moved since the plan: " + ymd(before.at(id).end_time) +
                          " -> " + ymd(sandbox::add_months(before.at(id).end_time, 12)));
                CHECK(f.counter(id, "backup.renew").received == 1);  // the in-between renew only
                CHECK(now.renewals == 1);
            } else if (id == suspended) {
                CHECK(r.at("outcome").as_string() == "skipped");
                CHECK(message == "stale: status changed since the plan: Active -> Suspended");
                CHECK(f.counter(id, "backup.renew").received == 0);
                CHECK(now.end_time == before.at(id).end_time);
            } else {
                CHECK(r.at("outcome").as_string() == "ok");
                CHECK(f.counter(id, "backup.renew").received == 1);
                CHECK(now.end_time == sandbox::add_months(before.at(id).end_time, 12));
            }
        }
        for (auto id : inactive) CHECK(f.counter(id, "backup.renew").received == 0);

        SUBCASE("the same plan again: every order is stale now, nothing is renewed twice") {
            RunOutput again = run_plan();
            CHECK(again.count("skipped") == active.size());
            for (const auto& r : again.records)
                CHECK(std::string(r.at("message").as_string()).starts_with("stale: "));
            for (auto id : active)
                CHECK(f.counter(id, "backup.renew").received == (id == suspended ? 0u : 1u));
        }
    }

    TEST_CASE(
        "a plan of a job with preflight = false still records each order's state, so its plan can "
        "run") {
        SelectorFixture f;
        const auto active = first(f.own([](const Order& o) {
            return backup_in(o, "asia") && o.status == "Active" && !o.pending;
        }),
                                  6);
        REQUIRE(active.size() == 6);
        const auto before = snapshot(f, active);
        Job plan;
        plan.name = "renew-fast";
        plan.action = f.action("backup.renew", "asia", renew_params(), false);
        plan.source = std::make_unique<jobs::OrderIdSource>(as_ids(active));
        plan.dry_run = true;
        RunOutput made = f.run(std::move(plan));
        REQUIRE(made.report.exit == ExitCode::ok);
        CHECK(f.received("backup.renew") == 0);
        for (auto id : active) {
            CAPTURE(id);
            const auto& r = made.of(id);
            CHECK(r.at("outcome").as_string() == "ok");
            CHECK(r.at("message").as_string() ==
                  "renew 12 months: endtime " + ymd(before.at(id).end_time) + " -> " +
                      ymd(sandbox::add_months(before.at(id).end_time, 12)));
            CHECK(field(r, "endtime_before") == std::to_string(before.at(id).end_time));
        }

        // `run --plan` always reads each order first (rcbatch turns the preflight on for it).
        Job run;
        run.name = "renew-fast";
        run.action = f.action("backup.renew", "asia", renew_params(), true);
        run.source = std::make_unique<jobs::PlanSource>(made.report.dir);
        RunOutput out = f.run(std::move(run));
        CAPTURE(out.printed);
        CHECK(out.report.exit == ExitCode::ok);
        CHECK(out.count("ok") == active.size());
        for (auto id : active) {
            CHECK(f.counter(id, "backup.renew").received == 1);
            CHECK(f.order(id).end_time == sandbox::add_months(before.at(id).end_time, 12));
        }
    }

    TEST_CASE("max-orders: a search that finds more refuses to start, exit 2, nothing sent") {
        SelectorFixture f;
        const auto expiring = f.own([&](const Order& o) {
            return backup_in(o, "us") && o.status == "Active" && o.end_time >= f.now &&
                   o.end_time <= f.now + 30 * day_seconds;
        });
        REQUIRE(expiring.size() > 50);
        jobs::SearchFilter filter;
        filter.status = {"Active"};
        filter.expires_within = std::chrono::hours(24 * 30);
        const auto job_with = [&](std::int64_t max_orders, bool dry_run) {
            Job job;
            job.action = f.action("backup.renew", "us", renew_params());
            job.search = f.search(filter, TargetKind::backup_order);
            job.max_orders = max_orders;
            job.dry_run = dry_run;
            return job;
        };

        RunOutput refused = f.run(job_with(50, false));
        const std::string message = "the search found " + std::to_string(expiring.size()) +
                                    " orders, more than max-orders = 50; nothing was sent";
        CHECK(refused.report.exit == ExitCode::bad_input);
        CHECK(refused.report.message == message);
        CHECK(refused.printed.find(message) != std::string::npos);
        CHECK(refused.records.empty());
        CHECK(!refused.files.contains("results.jsonl"));
        CHECK(f.received("backup.renew") == 0);
        CHECK(f.received("backup.details") == 0);
        CHECK(f.counter(0, "backup.search").received == 1);  // the first page told the count

        SUBCASE("a count above max-orders on a many-page search fetches the first page only") {
            Job all;
            all.action = f.action("backup.renew", "us", renew_params());
            all.search = f.search({}, TargetKind::backup_order);
            all.max_orders = 1000;
            RunOutput big = f.run(std::move(all));
            CHECK(big.report.exit == ExitCode::bad_input);
            CHECK(big.report.message ==
                  "the search found 1234 orders, more than max-orders = 1000; nothing was sent");
            CHECK(f.counter(0, "backup.search").received == 2);
            CHECK(f.received("backup.renew") == 0);
        }
        SUBCASE("exactly max-orders is allowed") {
            RunOutput ok = f.run(job_with(static_cast<std::int64_t>(expiring.size()), true));
            CHECK(ok.report.exit == ExitCode::ok);
            CHECK(ok.records.size() == expiring.size());
            CHECK(f.received("backup.renew") == 0);
        }
        SUBCASE("explicit order ids above max-orders are refused too") {
            Job ids = job_with(4, false);
            ids.search.reset();
            ids.source = std::make_unique<jobs::OrderIdSource>(as_ids(first(expiring, 5)));
            RunOutput r = f.run(std::move(ids));
            CHECK(r.report.exit == ExitCode::bad_input);
            CHECK(r.report.message ==
                  "the job names 5 orders, more than max-orders = 4; nothing was sent");
            CHECK(f.received("backup.renew") == 0);
            CHECK(f.received("backup.details") == 0);
        }
    }
}

}  // namespace plan_test
