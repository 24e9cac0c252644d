#include "jobs/actions/actions.hpp"

namespace rcbatch::jobs::actions {

namespace {
std::vector<ParamSpec> log_params() {
    return {{.name = "no-of-records",
             .type = ParamType::integer,
             .required = true,
             .description = "page size",
             .min = 10,
             .max = 500},
            {.name = "page-no",
             .type = ParamType::integer,
             .required = true,
             .description = "from 1",
             .min = 1},
            {.name = "order-id",
             .type = ParamType::integer,
             .required = false,
             .description = "one order's actions"}};
}
}  // namespace

// api.md §6: not job actions; reconciliation reads them.
const ActionSpec action_log_current{
    .name = "actions.search-current",
    .summary = "An order's current (pending) actions",
    .method = HttpMethod::get,
    .path = "/api/actions/search-current.json",
    .id_param = "",
    .targets = TargetKind::none,
    .mutating = false,
    .costs_money = false,
    .params = log_params(),
    .result_fields = {},
};

const ActionSpec action_log_archived{
    .name = "actions.search-archived",
    .summary = "An order's archived (finished) actions",
    .method = HttpMethod::get,
    .path = "/api/actions/search-archived.json",
    .id_param = "",
    .targets = TargetKind::none,
    .mutating = false,
    .costs_money = false,
    .params = log_params(),
    .result_fields = {},
};

}  // namespace rcbatch::jobs::actions
