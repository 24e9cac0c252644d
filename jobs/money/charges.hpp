#pragma once
// Money (README "What a run will cost and did cost"): the list prices of plan-details, a
// renewal's estimated charge (price per month × months − discount, in the plan's currency),
// and totals per currency of what was estimated and what the replies' invoices charged. Amounts
// are whole thousandths of the currency unit (the API's 3-decimal strings), so sums are exact.

#include "jobs/api/request_builder.hpp"

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace rcbatch::jobs {

// Whether `spec` is charged for a term (a renewal: its plan's monthly price shows what it
// would cost; term.hpp).
bool estimates_charges(const ActionSpec& spec);

// "3.000", "-150.5", "12" -> thousandths; nullopt for anything else (more than 3 decimals too).
std::optional<std::int64_t> parse_milli(std::string_view text);
// Thousandths as the API writes them: "150.000", "-2.500".
std::string milli_text(std::int64_t milli);
// How much of a currency symbol from the server a money text shows ("USD", "Rs.", "US$").
constexpr std::size_t max_currency_bytes = 16;
// "USD 1,380.00" (rounded half away from zero to cents); the currency printable and bounded.
std::string money_text(const std::string& currency, std::int64_t milli);

struct PlanPrice {
    std::optional<std::int64_t> per_month;  // none: the plan lists no price
    std::string currency;
};
// planid -> price, for every plan of every product in a plan-details reply. Never throws.
using PriceTable = std::map<std::string, PlanPrice>;
PriceTable price_table(const boost::json::value& plan_details);

// The order's expected charge into `fields` (a report record's): "estimate" (thousandths as
// text) and "estimate_currency", or "estimate" = "no list price" when its plan ("planid" in
// `fields`) has none or is unknown. The term (term.hpp) and discount from `params`.
void add_estimate(const PriceTable& prices, const std::vector<CallParam>& params,
                  boost::json::object& fields);

// Totals per currency: an amount and how many records made it.
class MoneyTotals {
  public:
    // A record's estimate (add_estimate's fields); counts one without a price as unpriced.
    void add_estimate(const boost::json::object& fields);
    // `milli` in `currency` for one more record; one more without a known amount.
    void add(const std::string& currency, std::int64_t milli);
    void add_unpriced() noexcept { ++unpriced_; }
    bool empty() const noexcept { return by_currency_.empty() && unpriced_ == 0; }
    std::uint64_t unpriced() const noexcept { return unpriced_; }
    std::uint64_t priced() const noexcept;  // records with an amount, all currencies
    const std::map<std::string, std::pair<std::int64_t, std::uint64_t>>& by_currency()
        const noexcept {
        return by_currency_;
    }
    // {"USD": {"amount": "1380.000", "count": 46}, ...} plus "unpriced" when some were; and
    // back (what cannot be read is left out).
    boost::json::object json() const;
    static MoneyTotals from_json(const boost::json::object& o);
    // "USD 1,380.00 + EUR 5.00", "" when empty.
    std::string text() const;

    friend bool operator==(const MoneyTotals&, const MoneyTotals&) = default;

  private:
    std::map<std::string, std::pair<std::int64_t, std::uint64_t>> by_currency_;
    std::uint64_t unpriced_ = 0;
};

// "would renew 46 orders for ~USD 1,380.00 (list prices; the invoice decides)", with ", 2
// without a list price" when some have none.
std::string estimate_line(const MoneyTotals& estimate, std::string_view verb);

// Why a run whose plan's summary.json is `summary` must not start under max-charge `limit`
// (in the plans' currency): its estimate is over the limit, unknown (no prices read), partial
// (an order without a list price) or in more than one currency. nullopt: it may start.
std::optional<std::string> charge_refusal(const boost::json::object& summary, double limit);

}  // namespace rcbatch::jobs
