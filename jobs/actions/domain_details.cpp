#include "jobs/actions/actions.hpp"
#include "jobs/api/verification_fields.hpp"

namespace rcbatch::jobs::actions {

const ActionSpec domain_details{
    .name = "domain.details",
    .summary = "Read a domain order's details (status, end time, verification state)",
    .method = HttpMethod::get,
    .path = "/api/domains/details.json",
    .id_param = "order-id",
    .targets = TargetKind::domain_order,
    .mutating = false,
    .costs_money = false,
    .params = {{.name = "options",
                .type = ParamType::string_list,
                .required = false,
                .description = "which details to return (default All)",
                .allowed = {"All", "OrderDetails", "ContactIds", "RegistrantContactDetails",
                            "AdminContactDetails", "TechContactDetails", "BillingContactDetails",
                            "NsDetails", "DomainStatus", "DNSSECDetails", "StatusDetails"}}},
    .result_fields = {"domainname", "currentstatus", "endtime", default_email_verification_field,
                      default_ekyc_verification_field},
};

}  // namespace rcbatch::jobs::actions
