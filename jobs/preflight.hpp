#pragma once
// Preflight: before a request that changes an order, read the order and decide whether the
// change is wanted at all (api.md §3, §4). The decisions are pure; order_runner does the I/O.

#include "jobs/action_spec.hpp"
#include "jobs/verification_fields.hpp"

#include <boost/json/object.hpp>

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace rcbatch::jobs {

struct PreflightOptions {
    std::string email_field = default_email_verification_field;
    std::string ekyc_field = default_ekyc_verification_field;
    std::optional<std::chrono::seconds> renew_if_expires_within;
    std::optional<std::chrono::seconds> min_interval;
    // Unix seconds of this job's last successful resend, by order id (for min_interval).
    std::shared_ptr<const std::map<std::string, std::int64_t>> last_resent;
};

// What preflight saw of an order: kept in the report, compared by --plan.
struct OrderState {
    std::string status;
    std::string endtime;   // Unix seconds, as the API sends them
    std::string planid{};  // the order's plan, when it has one: a renewal's list price
};

struct PreflightVerdict {
    bool proceed = true;
    std::string reason;  // why not, when not
    OrderState state;
};

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
// The state as the keys of a details reply, which state_of reads back (in plans and intents).
boost::json::object details_of(const OrderState& state);

// Whether `spec` should go ahead on the order whose details are `details`, at `now` (Unix s).
PreflightVerdict judge(const ActionSpec& spec, std::string_view order_id,
                       const boost::json::object& details, const PreflightOptions& options,
                       std::int64_t now);

// Why an order's state changed since a plan was made ("" when it did not).
std::string staleness(const OrderState& planned, const OrderState& now);

// Unix seconds + whole calendar months (a renewal's new end time), in UTC.
std::int64_t add_months(std::int64_t unix_seconds, int months);

// "2026-12-20" for Unix seconds in a string; the text itself when it is not a number.
std::string date_of(const std::string& unix_seconds);

}  // namespace rcbatch::jobs
