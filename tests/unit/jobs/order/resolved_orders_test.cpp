#include "jobs/order/resolved_orders.hpp"

#include <doctest/doctest.h>

namespace resolved_orders_test {

using rcbatch::jobs::ResolvedOrders;

TEST_CASE("resolved orders: a second target of one order is the first one's duplicate") {
    ResolvedOrders orders;
    CHECK_FALSE(orders.reached("91", "shop.in").has_value());
    CHECK(orders.reached("91", "SHOP.in") == "shop.in");       // another name of it
    CHECK(orders.reached("91", "91") == "shop.in");            // its id
    CHECK_FALSE(orders.reached("91", "shop.in").has_value());  // the same target again
    CHECK_FALSE(orders.reached("92", "other.in").has_value());
    CHECK(orders.size() == 2);
}

}  // namespace resolved_orders_test
