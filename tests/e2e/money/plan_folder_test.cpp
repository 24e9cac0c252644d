// A plan folder is bound to the orders it planned (issue #19 case 7): a per-order parameter
// added to its targets.jsonl, or an order added to its plan.jsonl, after `plan` makes `run
// --plan` refuse (exit 2, saying what changed, nothing sent), where it used to renew 120 months
// past max-charge or an order never planned. The folder as the plan left it still runs.

#include "jobs/order/preflight.hpp"
#include "tests/e2e/money/money_fixture.hpp"

#include <doctest/doctest.h>

namespace plan_folder_test {

using namespace rcbatch::test::money;
using rcbatch::test::slurp;
using rcbatch::test::text_of;

namespace {
void write_file(const fs::path& path, const std::string& text) {
    std::ofstream(path, std::ios::trunc) << text;
}
}  // namespace

TEST_SUITE("e2e: money") {
    TEST_CASE("run --plan refuses a plan folder edited after the plan: parameters or orders") {
        MoneyFixture f;
        auto orders =
            f.active_us(3, [](const rcbatch::sandbox::Order& o) { return o.plan_id != "1014"; });
        REQUIRE(orders.size() == 3);
        const std::string a = std::to_string(orders[0]->id), b = std::to_string(orders[1]->id),
                          c = std::to_string(orders[2]->id);
        const auto job = f.write_job(
            "bound", "backup.renew", "renew.csv", "order-id,months\n" + a + ",1\n" + b + ",1\n",
            "\n[params]\ninvoice-option = \"NoInvoice\"\nauto-renew = false\n",
            "max-charge = 1000.0\n");
        auto plan = f.rcbatch("plan", job, {"--quiet"});
        CAPTURE(plan.err);
        REQUIRE(plan.exit_code == 0);
        const fs::path dir = newest_run(f.reports, "bound");
        const std::string targets = slurp(dir / "targets.jsonl");
        const std::string planned = slurp(dir / "plan.jsonl");
        REQUIRE(targets.find("{\"months\":1}") != std::string::npos);
        const auto run_plan = [&] { return f.rcbatch("run", job, {"--plan", dir.string()}); };

        // 120 months for the first order, past max-charge.
        std::string edited = targets;
        edited.replace(edited.find("{\"months\":1}"), 12, "{\"months\":120}");
        write_file(dir / "targets.jsonl", edited);
        auto months = run_plan();
        CAPTURE(months.err);
        CHECK(months.exit_code == 2);
        CHECK(months.err.find("was edited since the plan: an order's parameters or the state the "
                              "plan saw differ") != std::string::npos);
        CHECK(months.err.find("nothing was sent") != std::string::npos);

        // An order the plan never saw.
        write_file(dir / "targets.jsonl", targets);
        const auto first = read_jsonl(dir / "plan.jsonl").front();
        json::object added = first;
        added["seq"] = 2;
        added["order"] = c;
        added["target"] = c;
        write_file(dir / "plan.jsonl", planned + json::serialize(added) + "\n");
        auto extra = run_plan();
        CAPTURE(extra.err);
        CHECK(extra.exit_code == 2);
        CHECK(extra.err.find("it planned 2 orders and now holds 3") != std::string::npos);
        CHECK(f.sb.counters("backup.renew").empty());

        // As the plan left it: both orders renewed one month, nothing else.
        write_file(dir / "plan.jsonl", planned);
        const std::int64_t before = std::stoll(text_of(f.order(a).at("endtime")));
        auto as_planned = run_plan();
        CAPTURE(as_planned.err);
        CHECK(as_planned.exit_code == 0);
        const auto renewed = f.sb.counters("backup.renew");
        CHECK(renewed.size() == 2);
        CHECK(renewed.count(c) == 0);
        for (const auto& [id, counts] : renewed) CHECK(counts.second == 1);
        CHECK(text_of(f.order(a).at("endtime")) ==
              std::to_string(rcbatch::jobs::add_months(before, 1)));
    }
}

}  // namespace plan_folder_test
