#pragma once
// The one interpreter of an action file's rules (declaration.hpp): which fields of an order's
// details they read, whether an order is skipped or refused before a change, what the state
// read again shows of a change whose answer was lost, and the plan's line. Pure; no I/O.

#include "jobs/actions/declaration.hpp"
#include "jobs/api/request_builder.hpp"
#include "jobs/order/preflight_verdict.hpp"

#include <boost/json/object.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rcbatch::jobs {

// The profile settings a field reference may name with '@'.
const std::vector<std::string_view>& field_settings();

// Whether `ref` is a field reference an action file may write ("endtime", "ns*",
// "orderstatus[transferlock]", "@email-verification-field"); `error` says why not.
bool valid_field_ref(std::string_view ref, std::string& error);

// The field `ref` names, '@' settings resolved with `options`.
std::string field_name(const FieldRef& ref, const PreflightOptions& options);

// The values of `ref` in `details`: one for a plain field (a list's items for an array), every
// nsN for "ns*", "true"/"false" for "f[v]". Empty when the field is absent or empty.
std::vector<std::string> field_values(const boost::json::object& details, const FieldRef& ref,
                                      const PreflightOptions& options);
// The same as one text, joined with ", ".
std::string field_text(const boost::json::object& details, const FieldRef& ref,
                       const PreflightOptions& options);

// A parameter's value as text ("true", "3", "a, b"); nullopt when the order has none.
std::optional<std::string> param_text(const std::vector<CallParam>& params, std::string_view name);

// Whether two texts are the same value: ASCII case ignored; as sets, the ", "-joined items
// also compared without order.
bool same_value(std::string_view a, std::string_view b, bool as_set);

// The fields every rule, fence and plan text of `d` reads, as OrderState::fields keeps them.
std::vector<FieldRef> kept_fields(const Declaration& d);

// Every field the preflight's rules and reasons, the fences, the state rules and the plan text
// of `d` read from an order's details, the status and end time always among them: what a
// batched read must carry for the order to be judged from it.
std::vector<FieldRef> read_fields(const Declaration& d);

// The order's state for `d`: status, end time, plan and the kept fields.
OrderState declared_state(const Declaration& d, const boost::json::object& details,
                          const PreflightOptions& options);

// The preflight's verdict on an order: the first rule that holds skips (or refuses) it.
PreflightVerdict judge_rules(const Declaration& d, std::string_view order_id,
                             const boost::json::object& details, const PreflightOptions& options,
                             std::int64_t now, const std::vector<CallParam>& params);

// What the state read again shows: the first rule that decides.
StateEvidence state_rules_evidence(const Declaration& d, const OrderState& before,
                                   const OrderState& after, const std::vector<CallParam>& params);

// The plan's line for an order.
std::string declared_plan_text(const Declaration& d, const std::vector<CallParam>& params,
                               const std::optional<OrderState>& state);

// A value of `state` by field reference: the status, end time, plan or a kept field.
std::string state_value(const OrderState& state, const FieldRef& ref);

}  // namespace rcbatch::jobs
