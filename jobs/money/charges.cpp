#include "jobs/money/charges.hpp"

#include "engine/text/display_text.hpp"
#include "jobs/api/text_fields.hpp"
#include "jobs/money/term.hpp"
#include "jobs/select/param_cells.hpp"

#include <charconv>
#include <cmath>
#include <cstdlib>

namespace rcbatch::jobs {

namespace json = boost::json;

bool estimates_charges(const ActionSpec& spec) {
    return spec.costs_money && spec.plan_prices && takes_term(spec);
}

std::optional<std::int64_t> parse_milli(std::string_view text) {
    bool negative = false;
    if (!text.empty() && (text.front() == '-' || text.front() == '+')) {
        negative = text.front() == '-';
        text.remove_prefix(1);
    }
    const auto dot = text.find('.');
    std::string_view whole = text.substr(0, dot);
    std::string_view frac =
        dot == std::string_view::npos ? std::string_view{} : text.substr(dot + 1);
    if (whole.empty() || whole.size() > 15 || frac.size() > 3) return std::nullopt;
    std::int64_t w = 0, f = 0;
    auto [we, wec] = std::from_chars(whole.data(), whole.data() + whole.size(), w);
    if (wec != std::errc() || we != whole.data() + whole.size()) return std::nullopt;
    if (!frac.empty()) {
        auto [fe, fec] = std::from_chars(frac.data(), frac.data() + frac.size(), f);
        if (fec != std::errc() || fe != frac.data() + frac.size() || frac.front() == '-')
            return std::nullopt;
        for (std::size_t i = frac.size(); i < 3; ++i) f *= 10;
    }
    const std::int64_t v = w * 1000 + f;
    return negative ? -v : v;
}

std::string milli_text(std::int64_t milli) {
    const std::int64_t a = std::llabs(milli);
    std::string frac = std::to_string(a % 1000);
    frac.insert(0, 3 - frac.size(), '0');
    return (milli < 0 ? "-" : "") + std::to_string(a / 1000) + "." + frac;
}

std::string money_text(const std::string& currency, std::int64_t milli) {
    const std::int64_t cents = (std::llabs(milli) + 5) / 10;
    std::string whole = std::to_string(cents / 100);
    for (int i = static_cast<int>(whole.size()) - 3; i > 0; i -= 3)
        whole.insert(static_cast<std::size_t>(i), ",");
    std::string c = std::to_string(cents % 100);
    if (c.size() < 2) c.insert(0, "0");
    // The currency is the server's word: escaped and bounded, so it cannot forge a line.
    return (currency.empty() ? "" : engine::printable_field(currency, max_currency_bytes) + " ") +
           (milli < 0 ? "-" : "") + whole + "." + c;
}

PriceTable price_table(const json::value& reply) {
    PriceTable out;
    const json::object* products = reply.if_object();
    if (!products) return out;
    for (const auto& [product, plans] : *products) {
        if (!plans.is_object()) continue;
        for (const auto& [planid, plan] : plans.get_object()) {
            if (!plan.is_object()) continue;
            PlanPrice p;
            p.currency = string_field(plan.get_object(), "currency");
            // A price that is not a positive number ("-50.000", "0", "NaN") is no price: an
            // estimate from it would pass max-charge while the invoice charges in full.
            if (std::string price = string_field(plan.get_object(), "price_per_month");
                !price.empty())
                if (auto milli = parse_milli(price); milli && *milli > 0) p.per_month = milli;
            out[std::string(planid)] = std::move(p);
        }
    }
    return out;
}

void add_estimate(const PriceTable& prices, const std::vector<CallParam>& params,
                  json::object& fields) {
    const std::string planid = string_field(fields, "planid");
    auto plan = prices.find(planid);
    const std::int64_t months = term_months(params).value_or(0);
    if (plan == prices.end() || !plan->second.per_month || months <= 0) {
        fields["estimate"] =
            planid.empty() ? "no plan in the order's details" : "no list price for plan " + planid;
        return;
    }
    double discount = 0;
    for (const CallParam& p : params)
        if (p.name == "discount-amount") {
            if (auto* d = std::get_if<double>(&p.value)) discount = *d;
            if (auto* i = std::get_if<std::int64_t>(&p.value)) discount = static_cast<double>(*i);
        }
    // Neither an overflow nor a discount beyond the price becomes a number: the invoice of such
    // a renewal is anybody's guess, so the estimate is unknown (max-charge refuses it).
    std::int64_t milli = 0;
    const bool in_range = !__builtin_mul_overflow(*plan->second.per_month, months, &milli) &&
                          std::isfinite(discount) && std::abs(discount) < 1e12 &&
                          milli >= std::llround(discount * 1000);
    if (!in_range) {
        fields["estimate"] = "no estimate for plan " + planid + " (price or discount out of range)";
        return;
    }
    milli -= std::llround(discount * 1000);
    fields["estimate"] = milli_text(milli);
    fields["estimate_currency"] = plan->second.currency;
}

void MoneyTotals::add_estimate(const json::object& fields) {
    if (!fields.contains("estimate")) return;
    const auto milli = parse_milli(string_field(fields, "estimate"));
    if (!milli) {
        ++unpriced_;
        return;
    }
    auto& slot = by_currency_[string_field(fields, "estimate_currency")];
    slot.first += *milli;
    ++slot.second;
}

void MoneyTotals::add(const std::string& currency, std::int64_t milli) {
    auto& slot = by_currency_[currency];
    slot.first += milli;
    ++slot.second;
}

std::uint64_t MoneyTotals::priced() const noexcept {
    std::uint64_t n = 0;
    for (const auto& [currency, total] : by_currency_) n += total.second;
    return n;
}

json::object MoneyTotals::json() const {
    json::object o;
    for (const auto& [currency, total] : by_currency_)
        o[currency.empty() ? "?" : currency] =
            json::object{{"amount", milli_text(total.first)}, {"count", total.second}};
    if (unpriced_ > 0) o["unpriced"] = unpriced_;
    return o;
}

MoneyTotals MoneyTotals::from_json(const json::object& o) {
    MoneyTotals out;
    for (const auto& [key, value] : o) {
        if (key == "unpriced" && value.is_number()) {
            out.unpriced_ = value.to_number<std::uint64_t>();
            continue;
        }
        const json::object* slot = value.if_object();
        const json::value* count = slot ? slot->if_contains("count") : nullptr;
        const auto milli = slot ? parse_milli(string_field(*slot, "amount")) : std::nullopt;
        if (!milli || !count || !count->is_number()) continue;
        out.by_currency_[key == "?" ? std::string() : std::string(key)] = {
            *milli, count->to_number<std::uint64_t>()};
    }
    return out;
}

std::string MoneyTotals::text() const {
    std::string out;
    for (const auto& [currency, total] : by_currency_)
        out += (out.empty() ? "" : " + ") + money_text(currency, total.first);
    return out;
}

std::string estimate_line(const MoneyTotals& estimate, std::string_view verb) {
    const std::uint64_t priced = estimate.priced();
    const std::uint64_t n = priced + estimate.unpriced();
    std::string line =
        std::string(verb) + " " + std::to_string(n) + (n == 1 ? " order" : " orders");
    line += priced > 0 ? " for ~" + estimate.text() + " (list prices; the invoice decides)"
                       : " (no list price known)";
    if (estimate.unpriced() > 0 && priced > 0)
        line += "; " + std::to_string(estimate.unpriced()) + " without a list price, not counted";
    return line;
}

std::optional<std::string> charge_refusal(const json::object& summary, double limit) {
    const std::int64_t limit_milli = std::llround(limit * 1000);
    const std::string shown_limit = "max-charge = " + money_text("", limit_milli);
    const json::value* e = summary.if_contains("estimate");
    if (!e || !e->is_object())
        return "no estimate of the cost (the plan prices could not be read), so " + shown_limit +
               " cannot be kept";
    std::string currency;
    std::int64_t total = 0;
    for (const auto& [key, value] : e->get_object()) {
        if (key == "unpriced")
            return std::to_string(value.is_number() ? value.to_number<std::int64_t>() : 0) +
                   " order(s) have no list price, so " + shown_limit +
                   " cannot be kept (set [run] unpriced = \"skip\" or a price per month)";
        if (!currency.empty())
            return "the estimate is in more than one currency, so " + shown_limit +
                   " cannot be kept";
        currency = std::string(key);
        total = value.is_object()
                    ? parse_milli(string_field(value.get_object(), "amount")).value_or(0)
                    : 0;
    }
    if (total <= limit_milli) return std::nullopt;
    return "the estimate ~" + money_text(currency, total) + " (list prices) is over " +
           shown_limit + " (" + currency + ")";
}

}  // namespace rcbatch::jobs
