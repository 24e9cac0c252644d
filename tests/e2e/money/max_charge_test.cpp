// The plan is the run (issue #19 case 9), against a `rcbatch sandbox` child: `plan` applies
// max-charge and exits 2 where `run` and `run --plan` would, with the same reason; what a plan
// would run is what its run renews; and `[run] unpriced` answers for orders without a list
// price — refuse (the default), skip, or an assumed price — on a search job too.

#include "jobs/money/charges.hpp"
#include "tests/e2e/money/money_fixture.hpp"

#include <doctest/doctest.h>

#include <set>

namespace max_charge_test {

using namespace rcbatch::test::money;
using rcbatch::sandbox::Order;
using rcbatch::test::slurp;
using rcbatch::test::text_of;

namespace {
const std::string renew_params =
    "\n[params]\nmonths = 12\ninvoice-option = \"KeepInvoice\"\nauto-renew = false\n";

bool listed(const Order& o) { return o.plan_id != "1014"; }
bool unlisted(const Order& o) { return o.plan_id == "1014"; }

// What the refusal says after "refuse this plan: " up to " (plan ": the reason itself.
std::string reason_in(const std::string& err) {
    const std::string from = "the run would refuse this plan: ";
    const auto at = err.find(from);
    if (at == std::string::npos) return {};
    const auto begin = at + from.size();
    return err.substr(begin, err.find(" (plan ", begin) - begin);
}

// A backup.renew job over `search = { status = ["Active"], order-ids = [...] }`, with `run`
// in [run].
fs::path write_search_job(const MoneyFixture& f, const std::string& name,
                          const std::vector<const Order*>& orders, const std::string& run) {
    std::string ids;
    for (const Order* o : orders) ids += (ids.empty() ? "" : ", ") + std::to_string(o->id);
    const fs::path job = f.tmp.path / (name + ".toml");
    std::ofstream(job) << "name = \"" << name
                       << "\"\naction = \"backup.renew\"\nregion = \"us\"\nprofile = \"sandbox\"\n"
                       << "\n[targets]\nsearch = { status = [\"Active\"], order-ids = [" << ids
                       << "] }\n"
                       << renew_params << "\n[run]\nconcurrency = 4\nrate = 0.0\ntimeout = \"5s\"\n"
                       << run;
    return job;
}

// Order id -> the plan record's outcome, from a plan folder's plan.jsonl.
std::map<std::string, std::string> planned_outcomes(const fs::path& dir) {
    std::map<std::string, std::string> out;
    for (const auto& rec : read_jsonl(dir / "plan.jsonl"))
        out[text_of(rec.at("order"))] = text_of(rec.at("outcome"));
    return out;
}
}  // namespace

TEST_SUITE("e2e: max-charge in plans") {
    TEST_CASE(
        "plan over max-charge exits 2 as run does; plan, run --plan and run give one reason") {
        MoneyFixture f;
        auto orders = f.active_us(5, listed);
        REQUIRE(orders.size() == 5);
        std::string csv = "order-id\n";
        for (const auto* o : orders) csv += std::to_string(o->id) + "\n";
        const auto job = f.write_job("plan-over", "backup.renew", "renew.csv", csv, renew_params,
                                     "max-charge = 20.0\n");

        auto plan = f.rcbatch("plan", job);
        CAPTURE(plan.err);
        CHECK(plan.exit_code == 2);
        const std::string why = reason_in(plan.err);
        CHECK(why.starts_with("the estimate ~USD "));
        CHECK(why.ends_with("(list prices) is over max-charge = 20.00 (USD)"));
        CHECK(plan.out.find("(run it with:") == std::string::npos);  // not offered to run
        CHECK(plan.out.find("estimate: would renew 5 orders") != std::string::npos);
        const fs::path plan_dir = newest_run(f.reports, "plan-over");

        auto run_plan = f.rcbatch("run", job, {"--plan", plan_dir.string()});
        CAPTURE(run_plan.err);
        CHECK(run_plan.exit_code == 2);
        CHECK(run_plan.err.find(why + " (plan " + plan_dir.string() + "); nothing was sent") !=
              std::string::npos);
        auto run = f.rcbatch("run", job);
        CAPTURE(run.err);
        CHECK(run.exit_code == 2);
        CHECK(run.err.find(why) != std::string::npos);
        CHECK(f.sb.counters("backup.renew").empty());
    }

    TEST_CASE("plan and run --plan agree on the orders: what the plan would run is what renews") {
        MoneyFixture f;
        auto priced = f.active_us(4, listed);
        auto no_price = f.active_us(1, unlisted);
        REQUIRE(priced.size() == 4);
        REQUIRE(no_price.size() == 1);
        const Order* inactive = nullptr;  // the preflight skips it
        for (const auto& [id, o] : f.data.data().orders)
            if (!inactive && o.reseller_id == f.data.credentials().userid &&
                o.kind == rcbatch::sandbox::OrderKind::backup && o.region == "us" &&
                o.status == "InActive")
                inactive = &o;
        REQUIRE(inactive);
        std::string csv = "order-id\n";
        for (const auto* o : {priced[0], no_price[0], priced[1], inactive, priced[2], priced[3]})
            csv += std::to_string(o->id) + "\n";
        const auto job = f.write_job("agree", "backup.renew", "renew.csv", csv, renew_params,
                                     "max-charge = 100000.0\nunpriced = \"skip\"\n");

        auto plan = f.rcbatch("plan", job);
        CAPTURE(plan.err);
        REQUIRE(plan.exit_code == 0);
        CHECK(plan.out.find("skip: no list price for plan 1014 (unpriced = \"skip\")") !=
              std::string::npos);
        const fs::path plan_dir = newest_run(f.reports, "agree");
        const auto outcomes = planned_outcomes(plan_dir);
        std::set<std::string> would_run;
        for (const auto& [id, outcome] : outcomes)
            if (outcome == "ok") would_run.insert(id);
        CHECK(would_run.size() == 4);
        CHECK(outcomes.at(std::to_string(no_price[0]->id)) == "skipped");
        CHECK(outcomes.at(std::to_string(inactive->id)) == "skipped");

        auto run = f.rcbatch("run", job, {"--plan", plan_dir.string()});
        CAPTURE(run.err);
        CHECK(run.exit_code == 0);
        std::set<std::string> renewed;
        for (const auto& [id, counts] : f.sb.counters("backup.renew")) {
            CHECK(counts.second == 1);
            renewed.insert(id);
        }
        CHECK(renewed == would_run);
    }

    TEST_CASE("a search job with an order without a list price: refuse, assume a price, skip") {
        MoneyFixture f;
        auto orders = f.active_us(3, listed);
        auto no_price = f.active_us(1, unlisted);
        REQUIRE(orders.size() == 3);
        REQUIRE(no_price.size() == 1);
        orders.push_back(no_price[0]);
        const std::string unpriced_id = std::to_string(no_price[0]->id);

        // refuse (the default): plan and run both exit 2, nothing sent.
        const auto refusing = write_search_job(f, "unpriced-refuse", orders, "max-charge = 1e6\n");
        auto plan = f.rcbatch("plan", refusing);
        CAPTURE(plan.err);
        CHECK(plan.exit_code == 2);
        CHECK(reason_in(plan.err) ==
              "1 order(s) have no list price, so max-charge = 1,000,000.00 cannot be kept (set "
              "[run] unpriced = \"skip\" or a price per month)");
        auto run = f.rcbatch("run", refusing);
        CHECK(run.exit_code == 2);
        CHECK(run.err.find(reason_in(plan.err)) != std::string::npos);

        // A price: the order is estimated at it, marked assumed, and the plan may run.
        const auto assuming =
            write_search_job(f, "unpriced-assume", orders, "max-charge = 1e6\nunpriced = 5.0\n");
        auto assumed = f.rcbatch("plan", assuming);
        CAPTURE(assumed.err);
        CHECK(assumed.exit_code == 0);
        CHECK(assumed.out.find("(estimate at the assumed 5.000 a month") != std::string::npos);
        const fs::path dir = newest_run(f.reports, "unpriced-assume");
        const auto summary = json::parse(slurp(dir / "summary.json")).as_object();
        CHECK(summary.at("unpriced_policy") == json::object{{"policy", "5.000"}, {"orders", 1}});
        CHECK(!summary.at("estimate").as_object().contains("unpriced"));
        std::int64_t sum = 0;
        for (const auto& rec : read_jsonl(dir / "plan.jsonl")) {
            const auto& fields = rec.at("fields").as_object();
            sum += *rcbatch::jobs::parse_milli(text_of(fields.at("estimate")));
            if (text_of(rec.at("order")) == unpriced_id) {
                CHECK(text_of(fields.at("estimate")) == "60.000");
                CHECK(text_of(fields.at("estimate_assumed")) == "5.000");
            }
        }
        CHECK(text_of(summary.at("estimate").at("USD").at("amount")) ==
              rcbatch::jobs::milli_text(sum));

        // skip: the run renews the priced orders and leaves the other one, with the reason.
        const auto skipping =
            write_search_job(f, "unpriced-skip", orders, "max-charge = 1e6\nunpriced = \"skip\"\n");
        auto skipped = f.rcbatch("run", skipping);
        CAPTURE(skipped.err);
        CHECK(skipped.exit_code == 0);
        const auto renews = f.sb.counters("backup.renew");
        CHECK(renews.size() == 3);
        CHECK(!renews.contains(unpriced_id));
    }
}

}  // namespace max_charge_test
