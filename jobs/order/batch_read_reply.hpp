#pragma once
// What one batched read answered (issue #20): a search of many orders by id, trusted only when
// it is one. Every entry must be an order asked for, once; an entry nobody asked for means the
// API ignored the filter, and then nothing of the answer is used. An order asked for and not
// returned is read on its own, never judged from its absence. Pure; batched_reads.cpp does the
// I/O.

#include "jobs/order/preflight_verdict.hpp"

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <map>
#include <string>
#include <vector>

namespace rcbatch::jobs {

// A search entry as a details reply names its fields: "orders.endtime" -> "endtime",
// "entity.currentstatus" -> "currentstatus", "entity.description" -> "description" and
// "domainname", "entitytype.entitytypekey" -> "productkey"; a plain member is kept as it is.
boost::json::object details_of_entry(const boost::json::object& entry);

// Whether `details` has the field `ref` names ("ns*": an ns1, "orderstatus[x]": orderstatus),
// '@' settings resolved with `options`. Present and empty counts as present.
bool carries(const boost::json::object& details, const std::string& ref,
             const PreflightOptions& options);

struct BatchReadReply {
    // Not a trustworthy answer to the filter (why): an entry not asked for, an order twice,
    // more records than asked, not a search reply. Nothing in it is used.
    std::string untrusted;
    // order id -> its details-shaped entry, for every order asked, returned and complete.
    std::map<std::string, boost::json::object> found;
    std::vector<std::string> missing;  // asked and not returned: each is read on its own
    // Returned without a field the preflight reads (read on its own); the first such field.
    std::vector<std::string> incomplete;
    std::string lacking_field;
};

// Checks a search reply against the ids asked and the fields the preflight reads.
BatchReadReply check_batch_reply(const boost::json::value& reply,
                                 const std::vector<std::string>& asked,
                                 const std::vector<std::string>& fields,
                                 const PreflightOptions& options);

}  // namespace rcbatch::jobs
