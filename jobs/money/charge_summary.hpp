#pragma once
// Money from the API's records (README "What a run will cost and did cost"): what one record
// of a charged change cost as far as the records can tell, and the run's one typed figure —
// what is known charged, the part of it that is list prices, and what may be charged on the
// orders still in doubt. The terminal, summary.json, report.html, the JUnit file, `rcbatch
// report`, the metrics file and `rcbatch history` all read it from here. Pure: no I/O.

#include "engine/batch/order_result.hpp"
#include "jobs/money/charges.hpp"

#include <boost/json/object.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace rcbatch::jobs {

// Where the amount of one change comes from, strongest first.
enum class ChargeFrom {
    invoice,     // the change's reply: its invoice's amount
    list_price,  // the answer was lost (or had no readable amount): the plan's list price
    no_invoice,  // invoice-option NoInvoice: the change raises no invoice
    unknown,     // neither: applied (or maybe applied) for an amount nobody read
};

struct RecordCharge {
    enum class State {
        none,      // no change was made: refused, skipped, not sent, a read
        applied,   // known applied or pending: answered, or reconciled in any session
        in_doubt,  // may have been applied: unknown, or stopped before it was reconciled
    };
    State state = State::none;
    ChargeFrom from = ChargeFrom::unknown;
    std::int64_t milli = 0;  // the amount, when `from` is invoice or list_price
    std::string currency;
    std::string invoice;  // the reply's invoiceid, when it had one
};

// Whether the record is of a change made (answered, or reconciled in any session), maybe
// made, or none.
RecordCharge::State charge_state(const engine::OrderResult& r);

// What the order flow adds to the record of a charged change (results.jsonl, the journal):
// "charge" (thousandths as text), "charge_currency" and "charge_from" (invoice, list price,
// no invoice, unknown), from the reply's invoice fields, else `params`' invoice-option
// NoInvoice, else the record's list-price "estimate" (charges.hpp add_estimate). Records of
// no change get nothing.
void add_charge_fields(const std::vector<CallParam>& params, engine::OrderResult& r);

// The charge of one record: its charge fields, or for a record written before they existed
// its invoice fields. Never throws.
RecordCharge record_charge(const engine::OrderResult& r);

// One record's charge for people: "USD 150.00 (invoice 700000012)", "~USD 150.00 (list price;
// the answer was lost)", "no invoice", "amount unknown"; "up to …" when in doubt; "" for none.
std::string charge_text(const RecordCharge& c);

// A run's money: the sum of record_charge over its final records.
class ChargeSummary {
  public:
    void add(const RecordCharge& c);
    void add(const engine::OrderResult& r) { add(record_charge(r)); }

    // Into summary.json: "charged" (per currency the amount and count of the changes known
    // applied, "unpriced" for those of no known amount — the member as it always was),
    // "charged_list_prices" (the part of it taken from list prices), "charged_in_doubt" (what
    // the orders in doubt may have cost, per currency, "unpriced" for those without a price;
    // "count" in all is orders) and "charged_text" (text()).
    void into(boost::json::object& summary) const;
    // Back from a summary.json; nullopt when it has no "charged".
    static std::optional<ChargeSummary> from_summary(const boost::json::object& summary);

    // "charged USD 4,200.00 on 46 invoices", then what of it is list prices, what was applied
    // for an unknown amount, and "up to USD 300.00 more on 2 orders in doubt".
    std::string text() const;
    // The same as (name, value) rows, for report.html and the JUnit properties.
    std::vector<std::pair<std::string, std::string>> facts() const;

    const MoneyTotals& charged() const noexcept { return charged_; }
    const MoneyTotals& list_priced() const noexcept { return list_priced_; }
    const MoneyTotals& in_doubt() const noexcept { return in_doubt_; }

    friend bool operator==(const ChargeSummary&, const ChargeSummary&) = default;

  private:
    MoneyTotals charged_;      // known applied: the invoice's amount, else the list price
    MoneyTotals list_priced_;  // the part of charged_ from list prices
    MoneyTotals in_doubt_;     // in doubt: the list price (an upper bound of one order's charge)
};

}  // namespace rcbatch::jobs
