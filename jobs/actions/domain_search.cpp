#include "jobs/actions/actions.hpp"

namespace rcbatch::jobs::actions {

namespace {
std::vector<ParamSpec> domain_search_params() {
    auto params = search_filters();
    params.push_back({.name = "product-key",
                      .type = ParamType::string_list,
                      .required = false,
                      .description = "product keys, e.g. dotin, thirdleveldotin, dotbharat"});
    params.push_back({.name = "domain-name",
                      .type = ParamType::string,
                      .required = false,
                      .description = "a domain name"});
    return params;
}
}  // namespace

const ActionSpec domain_search{
    .name = "domain.search",
    .summary = "List the domain orders that match the filters, one record each",
    .method = HttpMethod::get,
    .path = "/api/domains/search.json",
    .id_param = "",
    .targets = TargetKind::none,
    .mutating = false,
    .costs_money = false,
    .params = domain_search_params(),
    .result_fields = {"entity.description", "entity.currentstatus", "orders.endtime",
                      "entitytype.entitytypekey"},
    .listing = Listing::search_pages,
    .lists = TargetKind::domain_order,
};

}  // namespace rcbatch::jobs::actions
