#include "jobs/evidence/run_guard.hpp"

#include "jobs/evidence/account_actions.hpp"
#include "jobs/run/run_messages.hpp"

namespace rcbatch::jobs {

void attach_account_actions(const RunRequest& request, ActionSetup& setup, std::ostream& out) {
    FlowSettings& flow = setup.flow;
    if (!setup.spec->mutating || flow.log_types.empty() || request.repeat_guard.count() == 0)
        return;
    if (!flow.action_log) {
        print_run_message(out, request.progress,
                          "the action log is off (action-log = false): the repeat guard uses "
                          "this machine's ledger alone, blind to other clients and the panel");
        return;
    }
    flow.action_guard = true;
    flow.repeat_guard = request.repeat_guard;
    setup.actions = std::make_shared<AccountActions>(setup.log, request.repeat_guard,
                                                     flow.clock_skew, setup.server_clock);
}

void tell_unreadable_lists(const ActionSetup& setup, engine::Progress& progress) {
    if (!setup.actions) return;
    setup.actions->on_unreadable = [&progress](const std::string& message) {
        progress.note("rcbatch run: " + message, std::chrono::steady_clock::now(), true);
    };
}

void guard_facts(const ActionSetup& setup, boost::json::object& extra) {
    if (setup.actions) extra["action_scan"] = setup.actions->summary();
    if (auto offset = setup.server_clock->offset())
        extra["server_clock_offset_ms"] = offset->count();
}

}  // namespace rcbatch::jobs
