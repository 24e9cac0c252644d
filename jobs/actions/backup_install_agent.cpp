#include "jobs/actions/action_behaviour.hpp"
#include "jobs/actions/actions.hpp"
#include "jobs/order/preflight.hpp"

namespace rcbatch::jobs::actions {

namespace {

PreflightVerdict preflight(std::string_view, const boost::json::object& details,
                           const PreflightOptions&, std::int64_t) {
    return require_active(state_of(details));
}

std::string plan_text(const std::vector<CallParam>& params, const std::optional<OrderState>&) {
    const auto hosting = integer_param(params, "hosting-order-id");
    return "install the backup agent on hosting order " +
           (hosting ? std::to_string(*hosting) : std::string("?"));
}

// The order's state does not show an installed agent: only the action log can.
const ActionBehaviour behaviour{
    .reader = "backup.details",
    .preflight = preflight,
    .judge_reply = judge_status_success,
    .state_evidence = nullptr,
    .log_types = {"InstallAgent"},
    .without_evidence = WithoutEvidence::reconcile,
    .plan_text = plan_text,
    .done_verb = "had the agent installed",
};

}  // namespace

const ActionSpec backup_install_agent{
    .name = "backup.install-agent",
    .summary = "Install the backup agent on a hosting (server) order",
    .method = HttpMethod::post,
    .path = "/api/backup/{region}/install-agent.json",
    .id_param = "backup-order-id",
    .targets = TargetKind::backup_order,
    .mutating = true,
    .costs_money = false,
    .params = {{.name = "hosting-order-id",
                .type = ParamType::integer,
                .required = true,
                .description = "the server order to install the agent on",
                .min = 1}},
    .result_fields = {"message"},
    .behaviour = &behaviour,
};

}  // namespace rcbatch::jobs::actions
