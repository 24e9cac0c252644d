#pragma once
// The list prices a charged renewal needs (a plan's estimates, a run's charge of a change whose
// answer was lost): one plan-details call for the whole run (not one per order), on a
// connection of its own, before the first order.

#include "engine/batch/batch.hpp"
#include "jobs/money/charges.hpp"
#include "jobs/order/order_runner.hpp"

#include <boost/asio/io_context.hpp>

#include <memory>
#include <string>

namespace rcbatch::jobs {

struct PriceRead {
    std::shared_ptr<const PriceTable> prices;  // null when the call failed
    std::string error;                         // why, then
    bool fatal = false;  // the answer stops the whole run (credentials, an untrusted server)
};

// Runs one plan-details call on `ioc` to its end (then restarts it). Never throws for an API
// or network failure: it is the error.
PriceRead read_prices(boost::asio::io_context& ioc, const ActionSetup& setup,
                      const engine::BatchSettings& settings);

}  // namespace rcbatch::jobs
