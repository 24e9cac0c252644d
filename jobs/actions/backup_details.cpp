#include "jobs/actions/actions.hpp"

namespace rcbatch::jobs::actions {

const ActionSpec backup_details{
    .name = "backup.details",
    .summary = "Read an Acronis backup order's details",
    .method = HttpMethod::get,
    .path = "/api/backup/{region}/details.json",
    .id_param = "order-id",
    .targets = TargetKind::backup_order,
    .mutating = false,
    .costs_money = false,
    .params = {},
    .result_fields = {"description", "currentstatus", "endtime", "planid", "storagesizegb"},
};

}  // namespace rcbatch::jobs::actions
