#pragma once
// Orders of the sandbox's seeded data set, found the way the e2e tests need them: the data is
// deterministic, so a test can name orders of a sandbox it has not started yet (--sandbox).

#include "sandbox/api/service.hpp"

#include <doctest/doctest.h>

#include <cstdint>
#include <vector>

namespace rcbatch::test {

// The first `n` active US backup orders of the sandbox's own reseller under `seed`.
inline std::vector<std::int64_t> active_us_backups(std::size_t n,
                                                   std::uint64_t seed = sandbox::Options{}.seed) {
    sandbox::Options o;
    o.seed = seed;
    sandbox::Service service(o);
    std::vector<std::int64_t> ids;
    for (const auto& [id, order] : service.data().orders)
        if (order.reseller_id == service.credentials().userid &&
            order.kind == sandbox::OrderKind::backup && order.region == "us" &&
            order.status == "Active" && ids.size() < n)
            ids.push_back(static_cast<std::int64_t>(id));
    REQUIRE(ids.size() == n);
    return ids;
}

}  // namespace rcbatch::test
