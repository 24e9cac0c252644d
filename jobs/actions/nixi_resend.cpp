#include "jobs/actions/actions.hpp"

namespace rcbatch::jobs::actions {

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
};

}  // namespace rcbatch::jobs::actions
