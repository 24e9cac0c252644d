#include "jobs/actions/action_behaviour.hpp"
#include "jobs/actions/actions.hpp"
#include "jobs/api/text_fields.hpp"
#include "jobs/order/preflight.hpp"

namespace rcbatch::jobs::actions {

namespace {

PreflightVerdict preflight(std::string_view, const boost::json::object& details,
                           const PreflightOptions& options, std::int64_t now) {
    const OrderState state = state_of(details);
    PreflightVerdict verdict = require_active(state);
    if (!verdict.proceed || !options.renew_if_expires_within) return verdict;
    auto end = parse_whole(state.endtime);
    if (!end) return skip("no end time in the order's details", state);
    if (*end > now + options.renew_if_expires_within->count())
        return skip("ends " + date_of(state.endtime) + ", not within renew-if-expires-within",
                    state);
    return verdict;
}

// A renew moves the end time later; one that moved back contradicts the change.
StateEvidence state_evidence(const OrderState& before, const OrderState& after) {
    auto was = parse_whole(before.endtime);
    auto is = parse_whole(after.endtime);
    if (!was || !is) return {Applied::cannot_tell, "no end time to compare"};
    if (*is > *was)
        return {Applied::yes,
                "end time moved " + date_of(before.endtime) + " -> " + date_of(after.endtime)};
    if (*is == *was) return {Applied::no, "end time unchanged"};
    return {Applied::cannot_tell,
            "end time moved back " + date_of(before.endtime) + " -> " + date_of(after.endtime)};
}

std::string plan_text(const std::vector<CallParam>& params,
                      const std::optional<OrderState>& state) {
    const int n = static_cast<int>(integer_param(params, "months").value_or(0));
    std::string text = "renew " + std::to_string(n) + (n == 1 ? " month" : " months");
    if (state && !state->endtime.empty()) {
        if (auto end = parse_whole(state->endtime))
            text += ": endtime " + date_of(state->endtime) + " -> " +
                    date_of(std::to_string(add_months(*end, n)));
    }
    return text;
}

const ActionBehaviour behaviour{
    .reader = "backup.details",
    .preflight = preflight,
    .judge_reply = judge_action_object,
    .state_evidence = state_evidence,
    .log_types = {"Renew"},
    .without_evidence = WithoutEvidence::reconcile,
    .plan_text = plan_text,
    .done_verb = "renewed",
};

}  // namespace

const ActionSpec backup_renew{
    .name = "backup.renew",
    .summary = "Renew an Acronis backup order (charged; never sent twice)",
    .method = HttpMethod::post,
    .path = "/api/backup/{region}/renew.json",
    .id_param = "backup-order-id",
    .targets = TargetKind::backup_order,
    .mutating = true,
    .costs_money = true,
    .params =
        {
            {.name = "months",
             .type = ParamType::integer,
             .required = true,
             .description = "how many months to renew for",
             .min = 1,
             .max = 120},
            {.name = "invoice-option",
             .type = ParamType::string,
             .required = true,
             .description = "how the renewal is invoiced",
             .allowed = {"NoInvoice", "PayInvoice", "KeepInvoice", "OnlyAdd"}},
            {.name = "auto-renew",
             .type = ParamType::boolean,
             .required = true,
             .description = "turn auto-renewal on or off"},
            {.name = "discount-amount",
             .type = ParamType::number,
             .required = false,
             .description = "discount on the renewal price",
             .min = 0},
        },
    .result_fields = {"eaqid", "actionstatus", "actionstatusdesc", "invoiceid", "sellingamount",
                      "sellingcurrencysymbol", "unutilisedsellingamount"},
    .behaviour = &behaviour,
    .job_keys = {"renew-if-expires-within"},
};

}  // namespace rcbatch::jobs::actions
