// Money of a resumed run (issue #19 case 11): renews that an earlier session left in doubt
// (stopped while they were in flight, applied by the API) and a later --resume reconciled as
// applied are charged — at their list prices, marked so — not left out as "charged nothing".

#include "faults_support.hpp"
#include "jobs/money/charges.hpp"

namespace resumed_charges_test {

namespace {
std::vector<jobs::CallParam> keep_invoice() {
    return {{"months", std::int64_t{3}},
            {"invoice-option", std::string("KeepInvoice")},
            {"auto-renew", false}};
}

// Active US orders whose first renew gets `renew` and whose first reads (the details, both
// action lists) get no fault.
std::vector<std::uint64_t> renew_fault(RunFixture& f, const sandbox::Options& o, FaultKind renew,
                                       std::size_t n) {
    std::vector<std::uint64_t> out;
    const auto fault = [&](std::uint64_t id, std::string_view action) {
        return sandbox::decide_fault(o.faults, o.seed, id, action, 1).kind;
    };
    for (auto id : f.own_orders(active_backup("us")))
        if (out.size() < n && fault(id, "backup.renew") == renew &&
            fault(id, "backup.details") == FaultKind::none &&
            fault(id, "actions.search-current") == FaultKind::none &&
            fault(id, "actions.search-archived") == FaultKind::none)
            out.push_back(id);
    REQUIRE(out.size() == n);
    return out;
}

}  // namespace

TEST_SUITE("run: money of a resumed run") {
    TEST_CASE("renews left in doubt by a stopped session and reconciled by --resume are charged") {
        sandbox::Options o = run_options(11);
        o.sizes.backups_per_region = 200;
        o.faults.set_rate(FaultKind::stall, 0.3);  // applied, the reply held past the deadline
        RunFixture f(o);
        std::vector<std::uint64_t> ids = renew_fault(f, o, FaultKind::none, 3);
        for (auto id : renew_fault(f, o, FaultKind::stall, 3)) ids.push_back(id);
        auto settings = f.settings(6);
        settings.grace_period = 100ms;
        // The stop comes while the stalled renews wait for their reply (attempt timeout 2 s).
        f.max_runtime = 800ms;
        auto first = f.run_ids(f.action("backup.renew", "us", keep_invoice()), ids, settings);
        const std::size_t left_in_doubt = first.count("cancelled");
        REQUIRE(left_in_doubt >= 1);
        // Cut off in flight, their records keep nothing of what was read: in doubt, no price.
        CHECK(first.summary.at("charged_in_doubt").at("unpriced").to_number<std::size_t>() ==
              left_in_doubt);

        f.max_runtime = 0ms;
        auto resumed = f.resume(f.action("backup.renew", "us", keep_invoice()), first.report.dir,
                                f.settings(6));
        CHECK(resumed.report.exit == ExitCode::ok);
        std::size_t earlier = 0;
        for (const auto& r : resumed.records) {
            CHECK(text_of(r.at("outcome")) == "ok");
            earlier += text_of(r.at("message")).starts_with("applied in an earlier session");
        }
        CHECK(earlier == left_in_doubt);

        const auto all_invoices =
            f.sb.call([](sandbox::Server& s) { return s.service().data().invoices; });
        std::int64_t invoiced = 0;
        std::size_t invoices = 0;
        for (auto id : ids) {
            CHECK(f.counter(id, "backup.renew").applied == 1);
            for (const auto& [number, invoice] : all_invoices)
                if (invoice.order_id == id) {
                    invoiced += invoice.amount_milli;
                    ++invoices;
                }
        }
        CHECK(invoices == ids.size());
        const json::object& s = resumed.summary;
        CHECK(usd_amount(s, "charged") == jobs::milli_text(invoiced));
        CHECK(usd_count(s, "charged") == static_cast<std::int64_t>(ids.size()));
        CHECK(usd_count(s, "charged_list_prices") == static_cast<std::int64_t>(earlier));
        CHECK_FALSE(s.contains("charged_in_doubt"));
        CHECK(text_of(s.at("charged_text")).starts_with("charged USD "));
    }
}

}  // namespace resumed_charges_test
