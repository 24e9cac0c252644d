#pragma once
// The list prices a plan of a charged renewal needs: one plan-details call for the whole run
// (not one per order), on a connection of its own, before the first order.

#include "engine/batch.hpp"
#include "jobs/charges.hpp"
#include "jobs/order_runner.hpp"

#include <boost/asio/io_context.hpp>

#include <memory>
#include <string>

namespace rcbatch::jobs {

struct PriceRead {
    std::shared_ptr<const PriceTable> prices;  // null when the call failed
    std::string error;                         // why, then
};

// Runs one plan-details call on `ioc` to its end (then restarts it). Never throws for an API
// or network failure: it is the error.
PriceRead read_prices(boost::asio::io_context& ioc, const ActionSetup& setup,
                      const engine::BatchSettings& settings);

}  // namespace rcbatch::jobs
