#include "jobs/actions/actions.hpp"

namespace rcbatch::jobs::actions {

const ActionSpec plan_details{
    .name = "plan.details",
    .summary = "Read the reseller's plans; one record per Acronis plan",
    .method = HttpMethod::get,
    .path = "/api/products/plan-details.json",
    .id_param = "",
    .targets = TargetKind::none,
    .mutating = false,
    .costs_money = false,
    .params = {},
    .result_fields = {"plan_name", "plan_status", "storage_gb", "price_per_month", "currency"},
    .listing = Listing::plans,
};

}  // namespace rcbatch::jobs::actions
