#include "jobs/actions/actions.hpp"

namespace rcbatch::jobs::actions {

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
};

}  // namespace rcbatch::jobs::actions
