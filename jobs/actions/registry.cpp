#include "jobs/actions/registry.hpp"

#include "jobs/actions/actions.hpp"

namespace rcbatch::jobs {

const std::vector<const ActionSpec*>& all_actions() {
    static const std::vector<const ActionSpec*> list{
        &actions::nixi_resend,   &actions::domain_details,    &actions::domain_search,
        &actions::backup_search, &actions::backup_details,    &actions::backup_renew,
        &actions::backup_delete, &actions::backup_auto_login, &actions::backup_install_agent,
        &actions::plan_details,
    };
    return list;
}

const ActionSpec* find_action(std::string_view name) {
    for (const ActionSpec* spec : all_actions())
        if (spec->name == name) return spec;
    return nullptr;
}

const ActionSpec* search_action(TargetKind kind) {
    for (const ActionSpec* spec : all_actions())
        if (spec->lists == kind && spec->listing == Listing::search_pages) return spec;
    return nullptr;
}

const ActionSpec& domain_order_id_lookup() { return actions::domain_orderid; }

const ActionSpec& action_log_reader(bool current) {
    return current ? actions::action_log_current : actions::action_log_archived;
}

}  // namespace rcbatch::jobs
