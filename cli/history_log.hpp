#pragma once
// `rcbatch history ORDER --profile NAME`: the order's action lists (api.md §6) read through a
// profile, so the history shows what other clients, machines and the reseller panel did.

#include "jobs/evidence/action_log.hpp"

#include <optional>
#include <string>
#include <vector>

namespace rcbatch::cli {

// Both action lists of `order_id` through profile `profile` of the profile file `config` (or
// the one found as `rcbatch run` finds it). nullopt when they cannot be read: the one-line
// reason is printed, and `bad_input` says whether it was the profile's fault (exit 2) rather
// than the API's or the network's (exit 1).
std::optional<std::vector<jobs::LoggedAction>> order_actions_from_api(const std::string& profile,
                                                                      const std::string& config,
                                                                      const std::string& order_id,
                                                                      bool& bad_input);

}  // namespace rcbatch::cli
