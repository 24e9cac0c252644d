#include "jobs/money/charge_summary.hpp"

#include "jobs/api/text_fields.hpp"

namespace rcbatch::jobs {

namespace json = boost::json;
using engine::Outcome;

namespace {
constexpr std::pair<ChargeFrom, std::string_view> from_names[] = {
    {ChargeFrom::invoice, "invoice"},
    {ChargeFrom::list_price, "list price"},
    {ChargeFrom::no_invoice, "no invoice"},
    {ChargeFrom::unknown, "unknown"},
};

std::string_view name_of(ChargeFrom from) {
    for (const auto& [value, name] : from_names)
        if (value == from) return name;
    return "unknown";
}

ChargeFrom from_name(std::string_view text) {
    for (const auto& [value, name] : from_names)
        if (name == text) return value;
    return ChargeFrom::unknown;
}

// Whether the record is of a change made, maybe made, or none. The order flow writes
// "change" = "applied" or "pending" for a change made (answered or reconciled) and "in doubt"
// for one it could not decide; an `unknown` outcome is in doubt whatever it says.
RecordCharge::State change_state(Outcome outcome, const json::object& fields) {
    const std::string change = string_field(fields, "change");
    if (outcome == Outcome::unknown || change == "in doubt") return RecordCharge::State::in_doubt;
    if (outcome != Outcome::ok) return RecordCharge::State::none;
    if (change == "applied" || change == "pending" || !string_field(fields, "invoiceid").empty())
        return RecordCharge::State::applied;
    return RecordCharge::State::none;
}

// The reply's invoice: the amount is negative for a debit (api.md §4), so the charge is its
// negation. nullopt without an invoice id or a readable amount.
std::optional<std::int64_t> invoiced(const json::object& fields) {
    if (string_field(fields, "invoiceid").empty()) return std::nullopt;
    const auto milli = parse_milli(string_field(fields, "sellingamount"));
    if (!milli) return std::nullopt;
    return -*milli;
}

std::string amount_text(const RecordCharge& c) { return money_text(c.currency, c.milli); }

bool raises_no_invoice(const std::vector<CallParam>& params) {
    for (const CallParam& p : params)
        if (p.name == "invoice-option")
            if (const auto* text = std::get_if<std::string>(&p.value)) return *text == "NoInvoice";
    return false;
}
}  // namespace

RecordCharge::State charge_state(const engine::OrderResult& r) {
    return change_state(r.outcome, r.fields);
}

void add_charge_fields(const std::vector<CallParam>& params, engine::OrderResult& r) {
    json::object& f = r.fields;
    const RecordCharge::State state = change_state(r.outcome, f);
    if (state == RecordCharge::State::none) return;
    ChargeFrom from = ChargeFrom::unknown;
    std::optional<std::int64_t> milli;
    std::string currency;
    if (auto amount = state == RecordCharge::State::applied ? invoiced(f) : std::nullopt) {
        from = ChargeFrom::invoice;
        milli = amount;
        currency = string_field(f, "sellingcurrencysymbol");
    } else if (raises_no_invoice(params)) {
        from = ChargeFrom::no_invoice;
    } else if (auto estimate = parse_milli(string_field(f, "estimate"))) {
        from = ChargeFrom::list_price;
        milli = estimate;
        currency = string_field(f, "estimate_currency");
    }
    f["charge_from"] = name_of(from);
    if (!milli) return;
    f["charge"] = milli_text(*milli);
    f["charge_currency"] = currency;
}

RecordCharge record_charge(const engine::OrderResult& r) {
    RecordCharge c;
    const json::object& f = r.fields;
    c.state = change_state(r.outcome, f);
    if (c.state == RecordCharge::State::none) return c;
    c.invoice = string_field(f, "invoiceid");
    if (f.contains("charge_from")) {
        c.from = from_name(string_field(f, "charge_from"));
        const auto milli = parse_milli(string_field(f, "charge"));
        if ((c.from == ChargeFrom::invoice || c.from == ChargeFrom::list_price) && !milli)
            c.from = ChargeFrom::unknown;
        c.milli = milli.value_or(0);
        c.currency = string_field(f, "charge_currency");
        return c;
    }
    // A record of an older rcbatch: its reply's invoice, if any.
    if (auto milli = c.state == RecordCharge::State::applied ? invoiced(f) : std::nullopt) {
        c.from = ChargeFrom::invoice;
        c.milli = *milli;
        c.currency = string_field(f, "sellingcurrencysymbol");
    }
    return c;
}

std::string charge_text(const RecordCharge& c) {
    if (c.state == RecordCharge::State::none) return {};
    const bool doubt = c.state == RecordCharge::State::in_doubt;
    switch (c.from) {
        case ChargeFrom::invoice:
            return amount_text(c) + (c.invoice.empty() ? "" : " (invoice " + c.invoice + ")");
        case ChargeFrom::list_price:
            return (doubt ? "up to ~" : "~") + amount_text(c) +
                   (doubt ? " (list price; in doubt)" : " (list price; the answer was lost)");
        case ChargeFrom::no_invoice:
            return "no invoice";
        case ChargeFrom::unknown:
            break;
    }
    return doubt ? "amount unknown (in doubt)" : "amount unknown";
}

void ChargeSummary::add(const RecordCharge& c) {
    if (c.state == RecordCharge::State::none || c.from == ChargeFrom::no_invoice) return;
    MoneyTotals& total = c.state == RecordCharge::State::applied ? charged_ : in_doubt_;
    if (c.from == ChargeFrom::unknown) {
        total.add_unpriced();
        return;
    }
    total.add(c.currency, c.milli);
    if (c.state == RecordCharge::State::applied && c.from == ChargeFrom::list_price)
        list_priced_.add(c.currency, c.milli);
}

void ChargeSummary::into(json::object& summary) const {
    summary["charged"] = charged_.json();
    if (!list_priced_.empty()) summary["charged_list_prices"] = list_priced_.json();
    if (!in_doubt_.empty()) summary["charged_in_doubt"] = in_doubt_.json();
    summary["charged_text"] = text();
}

std::optional<ChargeSummary> ChargeSummary::from_summary(const json::object& summary) {
    const auto totals = [&](std::string_view key) {
        const json::value* v = summary.if_contains(key);
        return v && v->is_object() ? MoneyTotals::from_json(v->get_object()) : MoneyTotals{};
    };
    const json::value* charged = summary.if_contains("charged");
    if (!charged || !charged->is_object()) return std::nullopt;
    ChargeSummary out;
    out.charged_ = totals("charged");
    out.list_priced_ = totals("charged_list_prices");
    out.in_doubt_ = totals("charged_in_doubt");
    return out;
}

namespace {
std::string count_of(std::uint64_t n, std::string_view what) {
    return std::to_string(n) + " " + std::string(what) + (n == 1 ? "" : "s");
}

// "USD 4,200.00 on 46 invoices"; "orders" when some amounts are list prices.
std::string charged_phrase(const MoneyTotals& charged, const MoneyTotals& list_priced) {
    const std::uint64_t n = charged.priced();
    return (n ? charged.text() : std::string("nothing")) + " on " +
           count_of(n, list_priced.empty() ? "invoice" : "order");
}

// "up to USD 300.00 more on 2 orders in doubt, 1 of them without a list price".
std::string doubt_phrase(const MoneyTotals& in_doubt) {
    const std::uint64_t priced = in_doubt.priced(), unpriced = in_doubt.unpriced();
    std::string out = priced ? "up to " + in_doubt.text() + " more on "
                             : std::string("an unknown amount more on ");
    out += count_of(priced + unpriced, "order") + " in doubt";
    if (priced && unpriced)
        out += ", " + std::to_string(unpriced) + " of them without a list price";
    return out;
}
}  // namespace

std::vector<std::pair<std::string, std::string>> ChargeSummary::facts() const {
    std::vector<std::pair<std::string, std::string>> out;
    out.emplace_back("charged", charged_phrase(charged_, list_priced_));
    if (!list_priced_.empty())
        out.emplace_back("of it, at list prices",
                         list_priced_.text() + " on " + count_of(list_priced_.priced(), "order") +
                             " whose answer was lost (the invoices decide)");
    if (charged_.unpriced())
        out.emplace_back("applied, amount unknown", count_of(charged_.unpriced(), "order"));
    if (!in_doubt_.empty()) out.emplace_back("in doubt", doubt_phrase(in_doubt_));
    return out;
}

std::string ChargeSummary::text() const {
    std::string out = "charged " + charged_phrase(charged_, list_priced_);
    if (!list_priced_.empty())
        out += " (" + list_priced_.text() + " on " + count_of(list_priced_.priced(), "order") +
               " at list prices: their answers were lost)";
    if (charged_.unpriced())
        out += "; applied for an unknown amount on " + count_of(charged_.unpriced(), "order");
    if (!in_doubt_.empty()) out += "; " + doubt_phrase(in_doubt_);
    return out;
}

}  // namespace rcbatch::jobs
