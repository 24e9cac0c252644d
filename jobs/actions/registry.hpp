#pragma once
// Every action rcbatch knows, by name.

#include "jobs/actions/action_spec.hpp"

#include <string_view>
#include <vector>

namespace rcbatch::jobs {

// All actions, in the order `rcbatch actions` lists them.
const std::vector<const ActionSpec*>& all_actions();

// The action called `name`, or nullptr.
const ActionSpec* find_action(std::string_view name);

// The search action that lists orders of `kind` (backup.search, domain.search), or nullptr.
const ActionSpec* search_action(TargetKind kind);

// domains/orderid.json: a domain name's order id. Not a job action; selectors use it.
const ActionSpec& domain_order_id_lookup();

// actions/search-current.json (`current`) or search-archived.json: an order's action log.
const ActionSpec& action_log_reader(bool current);

}  // namespace rcbatch::jobs
