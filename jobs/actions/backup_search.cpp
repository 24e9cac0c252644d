#include "jobs/actions/actions.hpp"

namespace rcbatch::jobs::actions {

const ActionSpec backup_search{
    .name = "backup.search",
    .summary = "List the Acronis backup orders of a region that match the filters",
    .method = HttpMethod::get,
    .path = "/api/backup/{region}/search.json",
    .id_param = "",
    .targets = TargetKind::none,
    .mutating = false,
    .costs_money = false,
    .params = search_filters(),
    .result_fields = {"entity.description", "entity.currentstatus", "orders.endtime"},
    .listing = Listing::search_pages,
    .lists = TargetKind::backup_order,
};

}  // namespace rcbatch::jobs::actions
