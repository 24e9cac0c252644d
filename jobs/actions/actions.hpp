#pragma once
// One ActionSpec per file in this folder; registry.cpp lists them.

#include "jobs/actions/action_spec.hpp"

namespace rcbatch::jobs::actions {

extern const ActionSpec nixi_resend;
extern const ActionSpec domain_details;
extern const ActionSpec domain_search;
extern const ActionSpec backup_search;
extern const ActionSpec backup_details;
extern const ActionSpec backup_renew;
extern const ActionSpec backup_delete;
extern const ActionSpec backup_auto_login;
extern const ActionSpec backup_install_agent;
extern const ActionSpec plan_details;
extern const ActionSpec domain_orderid;      // not a job action: resolves domain names
extern const ActionSpec action_log_current;  // not job actions: reconciliation's evidence
extern const ActionSpec action_log_archived;

// Filters shared by the two search actions (api.md §2 and §4).
std::vector<ParamSpec> search_filters();

}  // namespace rcbatch::jobs::actions
