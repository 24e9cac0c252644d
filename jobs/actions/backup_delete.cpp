#include "jobs/actions/action_behaviour.hpp"
#include "jobs/actions/actions.hpp"
#include "jobs/order/preflight.hpp"

namespace rcbatch::jobs::actions {

namespace {

PreflightVerdict preflight(std::string_view, const boost::json::object& details,
                           const PreflightOptions&, std::int64_t) {
    const OrderState state = state_of(details);
    if (state.status == "Deleted") return skip("already Deleted", state);
    return {true, "", state};
}

StateEvidence state_evidence(const OrderState&, const OrderState& after) {
    if (after.status == "Deleted") return {Applied::yes, "the order is Deleted"};
    return {Applied::no, "the order is still " + after.status};
}

std::string plan_text(const std::vector<CallParam>&, const std::optional<OrderState>&) {
    return "delete";
}

const ActionBehaviour behaviour{
    .reader = "backup.details",
    .preflight = preflight,
    .judge_reply = judge_action_object,
    .state_evidence = state_evidence,
    .log_types = {"Delete"},
    .without_evidence = WithoutEvidence::reconcile,
    .plan_text = plan_text,
    .done_verb = "deleted",
};

}  // namespace

const ActionSpec backup_delete{
    .name = "backup.delete",
    .summary = "Delete an Acronis backup order",
    .method = HttpMethod::post,
    .path = "/api/backup/{region}/delete.json",
    .id_param = "backup-order-id",
    .targets = TargetKind::backup_order,
    .mutating = true,
    .costs_money = false,
    .params = {},
    .result_fields = {"eaqid", "actionstatus", "actionstatusdesc"},
    .behaviour = &behaviour,
};

}  // namespace rcbatch::jobs::actions
