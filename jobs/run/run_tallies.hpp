#pragma once
// What a run adds up from its records as they are written, for its summary and its end: the
// money (a plan's estimate, a run's charges, the orders without a list price) and the orders
// left in doubt. Header-only: small folds over engine::OrderResult.

#include "engine/batch/order_result.hpp"
#include "jobs/actions/action_spec.hpp"
#include "jobs/money/charge_summary.hpp"
#include "jobs/money/charges.hpp"
#include "jobs/money/unpriced.hpp"

#include <boost/json/object.hpp>

#include <cstddef>
#include <string>
#include <vector>

namespace rcbatch::jobs {

// What a plan's records estimate, or what a run's changes charged, per currency, into the
// summary.
struct MoneyView {
    MoneyTotals estimate;
    ChargeSummary charged;
    UnpricedCount unpriced;  // orders without a list price that max-charge's unpriced took
    void add(const engine::OrderResult& r) {
        estimate.add_estimate(r.fields);
        unpriced.add(r.fields);
        charged.add(r);
    }
    void into(boost::json::object& extra, const ActionSpec& spec, bool dry_run, bool priced) const {
        if (dry_run && (!estimate.empty() || priced)) {
            extra["estimate"] = estimate.json();
            extra["estimate_text"] = estimate_line(estimate, "would renew");
        }
        unpriced.into(extra);
        if (spec.costs_money && !dry_run) charged.into(extra);
    }
};

// The orders of the whole run left in doubt (`unknown`), for the end of the run to name.
struct DoubtList {
    static constexpr std::size_t listed = 100;
    std::vector<std::string> orders;
    void add(const engine::OrderResult& r) {
        if (r.outcome == engine::Outcome::unknown && orders.size() < listed)
            orders.push_back(r.order_id.empty() ? r.target : r.order_id);
    }
};

}  // namespace rcbatch::jobs
