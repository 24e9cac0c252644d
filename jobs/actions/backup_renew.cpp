#include "jobs/actions/actions.hpp"

namespace rcbatch::jobs::actions {

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
    .result_fields = {"eaqid", "actionstatus", "actionstatusdesc", "invoiceid", "sellingamount"},
};

}  // namespace rcbatch::jobs::actions
