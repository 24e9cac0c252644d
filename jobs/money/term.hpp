#pragma once
// What a paid change buys: a term, named by a parameter — "months" (backup.renew), or "years"
// of twelve months (a domain renew). The one place that knows the names: the estimate, the end
// time a renewal gives and the ledger's text all read the term through here.

#include "jobs/actions/action_spec.hpp"
#include "jobs/api/request_builder.hpp"

#include <boost/json/object.hpp>

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rcbatch::jobs {

struct TermUnit {
    std::string_view param;  // "months", "years"
    int months;              // months a unit is
};
inline constexpr std::array<TermUnit, 2> term_units{{{"months", 1}, {"years", 12}}};

// Whether `spec` takes a term (one of term_units as a parameter).
bool takes_term(const ActionSpec& spec);

// The term `params` give, in months; nullopt when they name none.
std::optional<std::int64_t> term_months(const std::vector<CallParam>& params);

// "12 months", "1 year" from `params`; "" when they name no term.
std::string term_text(const std::vector<CallParam>& params);

// The same from a record's fields (a reply that echoes "months" or "years", as a number or a
// string); "" when they hold none.
std::string reply_term_text(const boost::json::object& fields);

}  // namespace rcbatch::jobs
