#include "jobs/actions/actions.hpp"

namespace rcbatch::jobs::actions {

std::vector<ParamSpec> search_filters() {
    return {
        {.name = "status",
         .type = ParamType::string_list,
         .required = false,
         .description = "order statuses to include",
         .allowed = {"InActive", "Active", "Suspended", "Pending Delete Restorable", "Deleted",
                     "Archived", "Pending Verification", "Failed Verification"}},
        {.name = "order-id",
         .type = ParamType::integer_list,
         .required = false,
         .description = "only these order ids",
         .min = 1},
        {.name = "customer-id",
         .type = ParamType::integer_list,
         .required = false,
         .description = "only orders of these customers",
         .min = 1},
        {.name = "expiry-date-start",
         .type = ParamType::integer,
         .required = false,
         .description = "end time after this Unix time (exclusive)",
         .min = 0},
        {.name = "expiry-date-end",
         .type = ParamType::integer,
         .required = false,
         .description = "end time before this Unix time (exclusive)",
         .min = 0},
        {.name = "order-by",
         .type = ParamType::string_list,
         .required = false,
         .description = "sort keys, e.g. \"endtime asc\""},
    };
}

}  // namespace rcbatch::jobs::actions
