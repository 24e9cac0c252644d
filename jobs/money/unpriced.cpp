#include "jobs/money/unpriced.hpp"

#include "jobs/api/text_fields.hpp"

namespace rcbatch::jobs {

namespace json = boost::json;

namespace {
// The currency an assumed price is in: the order's plan's, else the first one the plans list
// (the limit is in the plans' currency; more than one is refused by charge_refusal anyway).
std::string plans_currency(const PriceTable& prices, const std::string& planid) {
    if (auto it = prices.find(planid); it != prices.end() && !it->second.currency.empty())
        return it->second.currency;
    for (const auto& [id, price] : prices)
        if (!price.currency.empty()) return price.currency;
    return {};
}

std::string quoted_policy(const std::string& text) {
    return text == "refuse" || text == "skip" ? "\"" + text + "\"" : text;
}
}  // namespace

std::string unpriced_text(const UnpricedPolicy& policy) {
    switch (policy.kind) {
        case UnpricedPolicy::Kind::refuse:
            return "refuse";
        case UnpricedPolicy::Kind::skip:
            return "skip";
        case UnpricedPolicy::Kind::assume:
            return milli_text(policy.per_month);
    }
    return "refuse";
}

void apply_unpriced(const UnpricedPolicy& policy, const PriceTable& prices,
                    const std::vector<CallParam>& params, engine::OrderResult& result) {
    json::object& f = result.fields;
    if (policy.kind == UnpricedPolicy::Kind::refuse || result.outcome != engine::Outcome::ok ||
        !f.contains("estimate") || parse_milli(string_field(f, "estimate")))
        return;
    f["unpriced"] = unpriced_text(policy);
    if (policy.kind == UnpricedPolicy::Kind::skip) {
        result.outcome = engine::Outcome::skipped;
        result.message = string_field(f, "estimate") + " (unpriced = \"skip\")";
        f.erase("estimate");
        f.erase("request");  // nothing will be sent
        return;
    }
    const std::string planid = string_field(f, "planid");
    PriceTable assumed;
    assumed[planid] = PlanPrice{policy.per_month, plans_currency(prices, planid)};
    add_estimate(assumed, params, f);
    if (parse_milli(string_field(f, "estimate")))
        f["estimate_assumed"] = milli_text(policy.per_month);
}

void UnpricedCount::add(const json::object& fields) {
    const std::string text = string_field(fields, "unpriced");
    if (text.empty()) return;
    policy = text;
    ++orders;
}

void UnpricedCount::into(json::object& summary) const {
    if (orders == 0) return;
    summary["unpriced_policy"] = {{"policy", policy}, {"orders", orders}};
    const std::string n = std::to_string(orders) + (orders == 1 ? " order" : " orders");
    std::string clause =
        policy == "skip"
            ? n + " without a list price skipped (unpriced = \"skip\")"
            : n + " without a list price at the assumed " + policy + " a month (unpriced)";
    if (const auto* text = summary.if_contains("estimate_text"); text && text->is_string())
        summary["estimate_text"] = std::string(text->as_string()) + "; " + clause;
    else
        summary["estimate_text"] = clause;
}

std::optional<std::string> unpriced_mismatch(const json::object& summary,
                                             const UnpricedPolicy& now) {
    const std::string wanted = unpriced_text(now);
    std::string planned = "refuse";
    std::uint64_t handled = 0;
    if (const auto* p = summary.if_contains("unpriced_policy"); p && p->is_object()) {
        planned = string_field(p->as_object(), "policy");
        if (const auto* n = p->as_object().if_contains("orders"); n && n->is_number())
            handled = n->to_number<std::uint64_t>();
    }
    std::uint64_t unpriced = 0;
    if (const auto* e = summary.if_contains("estimate"); e && e->is_object())
        if (const auto* n = e->as_object().if_contains("unpriced"); n && n->is_number())
            unpriced = n->to_number<std::uint64_t>();
    if (planned == wanted || (handled == 0 && unpriced == 0)) return std::nullopt;
    if (handled > 0)
        return "the plan was made with unpriced = " + quoted_policy(planned) + " (" +
               std::to_string(handled) + " order(s) without a list price), the job now says " +
               quoted_policy(wanted) + ": make the plan again";
    if (now.kind == UnpricedPolicy::Kind::refuse) return std::nullopt;  // charge_refusal says it
    return "the plan left " + std::to_string(unpriced) +
           " order(s) without a list price, made before unpriced = " + quoted_policy(wanted) +
           ": make the plan again";
}

std::optional<std::string> max_charge_refusal(const json::object& summary, double limit,
                                              const UnpricedPolicy& unpriced) {
    if (auto why = unpriced_mismatch(summary, unpriced)) return why;
    return charge_refusal(summary, limit);
}

}  // namespace rcbatch::jobs
