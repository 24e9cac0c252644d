#pragma once
// Preflight: before a request that changes an order, read the order and decide whether the
// change is wanted at all (api.md §3, §4). The decisions are pure; order_runner does the I/O.

#include "jobs/actions/action_spec.hpp"
#include "jobs/api/request_builder.hpp"
#include "jobs/order/preflight_verdict.hpp"

#include <boost/json/object.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rcbatch::jobs {

// The read-only action that reads an order for `spec`'s preflight (backup.details or
// domain.details), or nullptr when `spec` has no preflight.
const ActionSpec* preflight_reader(const ActionSpec& spec);

// A verdict that skips the order for `reason`.
PreflightVerdict skip(std::string reason, OrderState state);
// Goes ahead only on an Active order.
PreflightVerdict require_active(const OrderState& state);
// "42 min", "5 h".
std::string hours_text(std::int64_t seconds);

// The state of an order in a details reply.
OrderState state_of(const boost::json::object& details);
// The state as the keys of a details reply, with the kept fields under "fields", which
// saved_state reads back (in plans and intents).
boost::json::object details_of(const OrderState& state);
OrderState saved_state(const boost::json::object& saved);

// Whether `spec` should go ahead on the order whose details are `details`, at `now` (Unix s).
// `params` are the order's own (a rule may compare a field with one).
PreflightVerdict judge(const ActionSpec& spec, std::string_view order_id,
                       const boost::json::object& details, const PreflightOptions& options,
                       std::int64_t now, const std::vector<CallParam>& params = {});

// Why an order's state changed since a plan was made; nullopt when it did not.
std::optional<std::string> staleness(const OrderState& planned, const OrderState& now);

// Unix seconds + whole calendar months (a renewal's new end time), in UTC.
std::int64_t add_months(std::int64_t unix_seconds, int months);

// "2026-12-20" for Unix seconds in a string; the text itself when it is not a number.
std::string date_of(const std::string& unix_seconds);

}  // namespace rcbatch::jobs
