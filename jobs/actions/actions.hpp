#pragma once
// rcbatch's own lookups, compiled in and never redefined by a file: the domain-name lookup
// selectors use and the action log reconciliation reads. Every job action is a file
// (jobs/actions/*.toml, registry.hpp).

#include "jobs/actions/action_spec.hpp"

namespace rcbatch::jobs::actions {

extern const ActionSpec domain_orderid;      // resolves domain names
extern const ActionSpec action_log_current;  // reconciliation's evidence
extern const ActionSpec action_log_archived;

}  // namespace rcbatch::jobs::actions
