#include "jobs/actions/actions.hpp"

namespace rcbatch::jobs::actions {

const ActionSpec domain_orderid{
    .name = "domain.order-id",
    .summary = "The order id of a domain name",
    .method = HttpMethod::get,
    .path = "/api/domains/orderid.json",
    .id_param = "",
    .targets = TargetKind::none,
    .mutating = false,
    .costs_money = false,
    .params = {{.name = "domain-name",
                .type = ParamType::string,
                .required = true,
                .description = "the domain name"}},
    .result_fields = {},
};

}  // namespace rcbatch::jobs::actions
