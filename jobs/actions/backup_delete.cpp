#include "jobs/actions/actions.hpp"

namespace rcbatch::jobs::actions {

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
};

}  // namespace rcbatch::jobs::actions
