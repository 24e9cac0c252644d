#include "jobs/order/resolved_orders.hpp"

namespace rcbatch::jobs {

std::optional<std::string> ResolvedOrders::reached(const std::string& order_id,
                                                   std::string_view target) {
    auto [it, first] = first_.try_emplace(order_id, target);
    if (first || it->second == target) return std::nullopt;
    return it->second;
}

}  // namespace rcbatch::jobs
