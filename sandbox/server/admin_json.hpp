#pragma once
// The JSON of the /_sandbox/ admin views (admin.cpp), without I/O.

#include "sandbox/api/service.hpp"
#include "sandbox/data/model.hpp"

#include <boost/json/object.hpp>

#include <cstdint>
#include <optional>

namespace rcbatch::sandbox {

// An order's whole state: its API fields, counters-free, with "pending" (or null) and, for
// backups, "hosting_order_ids" (one per install, in order).
boost::json::object order_json(const Order& o);

// {"connections":N,...,"blocked":false,...,"peers":{"127.0.0.1":N}}.
boost::json::object stats_json(const Stats& s);

// {"actions":[{eaqid, entityid, ..., "current":true},...]} by eaqid; of one order when given.
boost::json::object actions_json(const Dataset& d, std::optional<std::uint64_t> order_id);

// {"invoices":[{"invoiceid","orderid","eaqid","amount":"-150.000","currency","paid"},...]}.
boost::json::object invoices_json(const Dataset& d, std::optional<std::uint64_t> order_id);

}  // namespace rcbatch::sandbox
