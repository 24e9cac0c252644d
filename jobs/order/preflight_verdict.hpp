#pragma once
// What preflight decides with and what it decides (the types only): the options of a run, what
// it saw of an order and its verdict. Apart from preflight.hpp's functions so that an action's
// behaviour (action_behaviour.hpp) can name them without including preflight, whose functions
// look the behaviour up.

#include "jobs/api/verification_fields.hpp"

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>

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
    // The other fields an action file's rules read, by reference ("ns*" -> "a.com, b.com").
    std::map<std::string, std::string> fields{};
};

struct PreflightVerdict {
    bool proceed = true;
    std::string reason;  // why not, when not
    OrderState state;
    bool refused = false;  // not sent because it cannot be done: a failure, not a skip
};

}  // namespace rcbatch::jobs
