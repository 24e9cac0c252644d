// Money from the API's records (issue #19 cases 11 and 12): a faulted, invoiced renew run
// whose answers are lost for some orders — some reconciled as applied, some left in doubt —
// reports as charged exactly the sandbox's invoices of the orders known applied, and the
// orders in doubt apart, in every output: the terminal, summary.json, report.html, the JUnit
// file, `rcbatch report` (text and JSON) and the metrics file.

#include "jobs/money/charges.hpp"
#include "tests/e2e/money/money_fixture.hpp"

#include <doctest/doctest.h>

#include <map>
#include <set>

namespace faulted_money_test {

using namespace rcbatch::test::money;
using rcbatch::jobs::milli_text;
using rcbatch::jobs::money_text;
using rcbatch::jobs::parse_milli;
using rcbatch::sandbox::FaultKind;
using rcbatch::test::slurp;
using rcbatch::test::text_of;
using rcbatch::test::usd_amount;
using rcbatch::test::usd_count;

namespace {
// Lost answers: close-after applies the renew and closes without a reply; a 502 on a read of
// the action log (with one attempt a request) leaves the order undecided.
const std::string faults = "close-after=0.25,502=0.15";

enum class Fate { answered, reconciled, in_doubt };

// What the run will make of `o` with one attempt a request, or nullopt when its reads would
// fail too (such orders are not used).
std::optional<Fate> fate_of(const MoneyFixture& f, const rcbatch::sandbox::Order& o) {
    const auto fault = [&](std::string_view action) {
        return rcbatch::sandbox::decide_fault(f.fault_spec, f.seed, o.id, action, 1).kind;
    };
    if (o.plan_id == "1014" || fault("backup.details") != FaultKind::none) return std::nullopt;
    const FaultKind renew = fault("backup.renew");
    if (renew == FaultKind::none) return Fate::answered;
    if (renew != FaultKind::close_after) return std::nullopt;
    const FaultKind current = fault("actions.search-current");
    if (current == FaultKind::bad_gateway) return Fate::in_doubt;
    if (current == FaultKind::none && fault("actions.search-archived") == FaultKind::none)
        return Fate::reconciled;
    return std::nullopt;
}

// The sum of the sandbox's invoices of `orders` (the charge: the API writes a debit negative).
std::int64_t invoiced(const MoneyFixture& f, const std::set<std::string>& orders,
                      std::size_t& count) {
    std::int64_t sum = 0;
    const json::object invoices = f.sb.admin("/_sandbox/invoices");
    for (const auto& inv : invoices.at("invoices").as_array())
        if (orders.count(text_of(inv.at("orderid")))) {
            sum -= *parse_milli(text_of(inv.at("amount")));
            ++count;
        }
    return sum;
}

}  // namespace

TEST_SUITE("e2e: money") {
    TEST_CASE(
        "a faulted invoiced run: charged = the sandbox's invoices of the orders known applied, "
        "the orders in doubt apart, in every output") {
        MoneyFixture f(faults);
        REQUIRE(rcbatch::sandbox::decide_fault(f.fault_spec, f.seed, 0, "plan.details", 1).kind ==
                FaultKind::none);  // the list prices are read
        std::map<Fate, std::vector<std::string>> chosen;
        for (const auto* o : f.active_us(1000)) {
            const auto fate = fate_of(f, *o);
            if (fate && chosen[*fate].size() < 3) chosen[*fate].push_back(std::to_string(o->id));
        }
        for (Fate fate : {Fate::answered, Fate::reconciled, Fate::in_doubt})
            REQUIRE(chosen[fate].size() == 3);
        std::string csv = "order-id\n";
        for (const auto& [fate, ids] : chosen)
            for (const auto& id : ids) csv += id + "\n";
        const auto job = f.write_job(
            "faulted-money", "backup.renew", "renew.csv", csv,
            "\n[params]\nmonths = 12\ninvoice-option = \"KeepInvoice\"\nauto-renew = false\n",
            "retry = { attempts = 1 }\n");
        const fs::path metrics = f.tmp.path / "rcbatch.prom";
        auto r = f.rcbatch("run", job, {"--metrics-file", metrics.string()});
        CAPTURE(r.err);
        CHECK(r.exit_code == 1);  // orders in doubt

        const fs::path dir = newest_run(f.reports, "faulted-money");
        std::map<std::string, std::string> outcome;
        for (const auto& rec : read_jsonl(dir / "results.jsonl"))
            outcome[text_of(rec.at("order"))] = text_of(rec.at("outcome"));
        std::set<std::string> applied, reconciled, in_doubt;
        for (const auto& [fate, ids] : chosen)
            for (const auto& id : ids) {
                CAPTURE(id);
                CHECK(outcome[id] == (fate == Fate::in_doubt ? "unknown" : "ok"));
                (fate == Fate::in_doubt ? in_doubt : applied).insert(id);
                if (fate == Fate::reconciled) reconciled.insert(id);
            }
        std::size_t n_applied = 0, n_reconciled = 0, n_doubt = 0;
        const std::int64_t charged = invoiced(f, applied, n_applied);
        const std::int64_t listed = invoiced(f, reconciled, n_reconciled);
        const std::int64_t doubt = invoiced(f, in_doubt, n_doubt);
        REQUIRE(n_applied == 6);  // every renew was applied once, lost answers too
        REQUIRE(n_doubt == 3);

        // summary.json: `charged` as it always was, the list-price part and the rest beside it.
        const auto summary = json::parse(slurp(dir / "summary.json")).as_object();
        CHECK(usd_amount(summary, "charged") == milli_text(charged));
        CHECK(usd_count(summary, "charged") == 6);
        CHECK(usd_amount(summary, "charged_list_prices") == milli_text(listed));
        CHECK(usd_count(summary, "charged_list_prices") == 3);
        CHECK(usd_amount(summary, "charged_in_doubt") == milli_text(doubt));
        CHECK(usd_count(summary, "charged_in_doubt") == 3);
        const std::string line = "charged " + money_text("USD", charged) + " on 6 orders (" +
                                 money_text("USD", listed) +
                                 " on 3 orders at list prices: their answers were lost); up to " +
                                 money_text("USD", doubt) + " more on 3 orders in doubt";
        CHECK(text_of(summary.at("charged_text")) == line);

        // The terminal.
        CHECK(r.err.find("money      " + line) != std::string::npos);

        // report.html: the one figure, rows of it, each order's charge; no JSON, no sign.
        const std::string html = slurp(dir / "report.html");
        CHECK(html.find("<dt>charged</dt><dd>" + money_text("USD", charged) +
                        " on 6 orders</dd>") != std::string::npos);
        CHECK(html.find("<dt>in doubt</dt><dd>up to " + money_text("USD", doubt) +
                        " more on 3 orders in doubt</dd>") != std::string::npos);
        CHECK(html.find("{&quot;amount&quot;") == std::string::npos);
        CHECK(html.find("{\"amount\"") == std::string::npos);
        CHECK(html.find("USD -") == std::string::npos);
        CHECK(html.find("(list price; the answer was lost)") != std::string::npos);
        CHECK(html.find("(list price; in doubt)") != std::string::npos);
        CHECK(html.find("(invoice 7") != std::string::npos);

        // The JUnit file.
        CHECK(slurp(dir / "results.junit.xml")
                  .find("<property name=\"charged\" value=\"" + line + "\"/>") !=
              std::string::npos);

        // rcbatch report, as text and as JSON.
        auto report = f.rcbatch({"report", dir.string()});
        CHECK(report.out.find("money      " + line) != std::string::npos);
        auto as_json = f.rcbatch({"report", dir.string(), "--json"});
        const auto o = json::parse(as_json.out).as_object();
        CHECK(o.at("charged") == summary.at("charged"));
        CHECK(o.at("charged_in_doubt") == summary.at("charged_in_doubt"));

        // The metrics file: a money gauge, known and in doubt.
        const std::string prom = slurp(metrics);
        const std::string gauge =
            charged % 1000 == 0 ? std::to_string(charged / 1000) : milli_text(charged);
        CHECK(prom.find("rcbatch_last_run_charged{job=\"faulted-money\",currency=\"USD\"} " +
                        gauge + "\n") != std::string::npos);
        CHECK(
            prom.find("rcbatch_last_run_charge_in_doubt{job=\"faulted-money\",currency=\"USD\"}") !=
            std::string::npos);
    }
}

}  // namespace faulted_money_test
