#include "jobs/actions/action_behaviour.hpp"
#include "jobs/actions/actions.hpp"
#include "jobs/api/text_fields.hpp"
#include "jobs/order/preflight.hpp"

namespace rcbatch::jobs::actions {

namespace {

PreflightVerdict preflight(std::string_view order_id, const boost::json::object& d,
                           const PreflightOptions& o, std::int64_t now) {
    const OrderState state = state_of(d);
    if (state.status == "InActive" || state.status == "Deleted")
        return skip("domain is " + state.status, state);
    const std::string email = string_field(d, o.email_field);
    const std::string ekyc = string_field(d, o.ekyc_field);
    if (email.empty() && ekyc.empty())
        return skip("no verification status (" + o.email_field + ", " + o.ekyc_field +
                        "): not a NIXI domain",
                    state);
    if (ekyc == "Pending Partner Confirmation")
        return skip("eKYC Pending Partner Confirmation", state);
    if (email != "Pending" && ekyc != "Pending")
        return skip("nothing pending (e-mail " + email + ", eKYC " + ekyc + ")", state);
    if (o.min_interval && o.last_resent) {
        auto it = o.last_resent->find(std::string(order_id));
        if (it != o.last_resent->end() && now - it->second < o.min_interval->count())
            return skip("resent " + hours_text(now - it->second) + " ago (min-interval " +
                            hours_text(o.min_interval->count()) + ")",
                        state);
    }
    return {true, "", state};
}

std::string plan_text(const std::vector<CallParam>&, const std::optional<OrderState>&) {
    return "resend the verification e-mail";
}

// A resend leaves no trace the API shows: a lost answer is sent again when the job allows a
// second e-mail (repeat-resend), else it is for a human.
const ActionBehaviour behaviour{
    .reader = "domain.details",
    .preflight = preflight,
    .judge_reply = judge_status_success,
    .state_evidence = nullptr,
    .log_types = {},
    .without_evidence = WithoutEvidence::repeat_or_ask,
    .plan_text = plan_text,
    .done_verb = "resent",
};

}  // namespace

const ActionSpec nixi_resend{
    .name = "nixi.resend",
    .summary = "Resend the NIXI registrant verification e-mail of a .IN / .BHARAT domain",
    .method = HttpMethod::post,
    .path = "/api/domains/nixi/verification/resend.json",
    .id_param = "order-id",
    .targets = TargetKind::domain_order,
    .mutating = true,
    .costs_money = false,
    .params = {},
    .result_fields = {"message"},
    .behaviour = &behaviour,
    .job_keys = {"min-interval", "repeat-resend"},
};

}  // namespace rcbatch::jobs::actions
