#include "jobs/actions/actions.hpp"

namespace rcbatch::jobs::actions {

const ActionSpec backup_auto_login{
    .name = "backup.auto-login",
    .summary = "Get an auto-login URL for the Acronis management panel (a secret)",
    .method = HttpMethod::get,
    .path = "/api/backup/{region}/auto-login-details.json",
    .id_param = "backup-order-id",
    .targets = TargetKind::backup_order,
    .mutating = false,
    .costs_money = false,
    .params = {},
    .result_fields = {"autoLoginUrl"},
    .secret_output = true,
};

}  // namespace rcbatch::jobs::actions
