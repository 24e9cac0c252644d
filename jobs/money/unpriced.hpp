#pragma once
// `[run] unpriced` (README "What a run will cost and did cost"): max-charge's answer for an
// order whose plan lists no price. "refuse" (the default) refuses the run, as an estimate
// that cannot be made cannot keep a limit; "skip" skips such orders in the plan, so the run
// never sends them; a price per month is used for their estimate, marked as assumed.

#include "engine/batch/order_result.hpp"
#include "jobs/api/request_builder.hpp"
#include "jobs/money/charges.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rcbatch::jobs {

struct UnpricedPolicy {
    enum class Kind { refuse, skip, assume };
    Kind kind = Kind::refuse;
    std::int64_t per_month = 0;  // thousandths of the plans' currency, for `assume`
    bool operator==(const UnpricedPolicy&) const = default;
};

// "refuse", "skip", or the assumed price as the API writes amounts ("5.000").
std::string unpriced_text(const UnpricedPolicy& policy);

// A plan record (`result`, ok, after add_estimate) whose order has no list price, under
// `policy`: `skip` makes it `skipped` with the reason and no request; `assume` gives it the
// estimate at the assumed price in the plans' currency (`estimate_assumed`). Either marks the
// record `unpriced` = unpriced_text(policy). A priced record, or `refuse`: unchanged. Pure.
void apply_unpriced(const UnpricedPolicy& policy, const PriceTable& prices,
                    const std::vector<CallParam>& params, engine::OrderResult& result);

// How a plan's records met the policy, for summary.json ("unpriced_policy") and the estimate
// line: the policy's text and the orders it skipped or priced.
struct UnpricedCount {
    std::string policy;
    std::uint64_t orders = 0;
    void add(const boost::json::object& fields);
    // {"policy": "skip", "orders": 2} into `summary`, and a clause after `estimate_text`.
    void into(boost::json::object& summary) const;
};

// Why a plan whose summary.json is `summary` was made under another unpriced policy than
// `now` in a way that matters (it skipped or priced orders `now` would not, or left orders
// without a price that `now` would skip or price); nullopt when it fits.
std::optional<std::string> unpriced_mismatch(const boost::json::object& summary,
                                             const UnpricedPolicy& now);

// Why a run of the plan whose summary.json is `summary` must not start under max-charge
// `limit` with `unpriced`: unpriced_mismatch, else charge_refusal. `plan` and `run` ask it
// alike, so a plan says what its run would refuse.
std::optional<std::string> max_charge_refusal(const boost::json::object& summary, double limit,
                                              const UnpricedPolicy& unpriced);

}  // namespace rcbatch::jobs
