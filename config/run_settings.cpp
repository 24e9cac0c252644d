#include "config/run_settings.hpp"

#include "config/toml_reader.hpp"

#include <cmath>

namespace rcbatch::config {

namespace {
constexpr double max_assumed_price = 1e9;

// unpriced = "refuse" | "skip" | a price per month (more than 0, in the plans' currency).
std::optional<jobs::UnpricedPolicy> read_unpriced(TomlReader& reader) {
    using Kind = jobs::UnpricedPolicy::Kind;
    const toml::node* n = reader.node("unpriced");
    if (!n) return std::nullopt;
    if (n->is_string()) {
        const std::string& text = n->as_string()->get();
        if (text == "refuse") return jobs::UnpricedPolicy{Kind::refuse, 0};
        if (text == "skip") return jobs::UnpricedPolicy{Kind::skip, 0};
    } else if (n->is_number()) {
        const double price = n->value<double>().value_or(0);
        const auto milli = std::llround(price * 1000);
        if (price > 0 && price <= max_assumed_price && milli > 0)
            return jobs::UnpricedPolicy{Kind::assume, milli};
    }
    reader.error_at_key("unpriced",
                        "must be \"refuse\", \"skip\" or a price per month above 0 (such as "
                        "5.0, in the currency of the plan prices)");
    return std::nullopt;
}
}  // namespace

RunSettings merge(RunSettings base, const RunOverrides& over) {
    if (over.concurrency) base.concurrency = *over.concurrency;
    if (over.rate) base.rate = *over.rate;
    if (over.timeout) base.timeout = *over.timeout;
    if (over.max_orders) base.max_orders = *over.max_orders;
    if (over.max_charge) base.max_charge = *over.max_charge;
    if (over.unpriced) base.unpriced = *over.unpriced;
    if (over.retry_attempts) base.retry.attempts = *over.retry_attempts;
    if (over.retry_base) base.retry.base = *over.retry_base;
    if (over.retry_max) base.retry.max = *over.retry_max;
    if (over.reports) base.reports = *over.reports;
    if (over.csv) base.csv = *over.csv;
    return base;
}

const std::vector<std::string_view>& run_setting_keys() {
    static const std::vector<std::string_view> keys{
        "concurrency", "rate", "timeout", "max-orders", "max-charge", "unpriced", "retry", "csv"};
    return keys;
}

RunOverrides read_run_settings(TomlReader& reader) {
    RunOverrides out;
    if (auto v = reader.integer(settings::concurrency)) out.concurrency = static_cast<int>(*v);
    out.rate = reader.number(settings::rate);
    out.timeout = reader.duration(settings::timeout);
    out.max_orders = reader.integer(settings::max_orders);
    out.max_charge = reader.number(settings::max_charge);
    out.unpriced = read_unpriced(reader);
    if (auto cells = reader.one_of("csv", false, {"safe", "raw"}))
        out.csv = *cells == "raw" ? engine::CsvCells::raw : engine::CsvCells::safe;
    if (const toml::table* retry = reader.table("retry", false)) {
        TomlReader r(*retry, reader.file(), reader.qualified("retry"), reader.diagnostics());
        r.allow_only({"attempts", "base", "max"});
        if (auto a = r.integer(settings::retry_attempts)) out.retry_attempts = static_cast<int>(*a);
        out.retry_base = r.duration(settings::retry_base);
        out.retry_max = r.duration(settings::retry_max);
        if (out.retry_base && out.retry_max && *out.retry_base > *out.retry_max)
            r.error_at_key("base", "must not be longer than retry.max");
    }
    return out;
}

}  // namespace rcbatch::config
