#pragma once
// What the fault tests share: orders chosen so the sandbox's fault decision for each attempt is
// known in advance.

#include "sandbox/api/api.hpp"
#include "sandbox/api/faults.hpp"
#include "tests/support/renew_params.hpp"
#include "tests/support/run_fixture.hpp"

#include <algorithm>

using namespace rcbatch;
using namespace rcbatch::test;
using engine::ExitCode;
using sandbox::FaultKind;

namespace {

using rcbatch::test::renew_params;

// Up to `n` of `candidates` whose attempts 1, 2, ... get exactly the faults of `pattern`.
inline std::vector<std::uint64_t> with_faults(const std::vector<std::uint64_t>& candidates,
                                              const sandbox::Options& o, std::string_view action,
                                              const std::vector<FaultKind>& pattern,
                                              std::size_t n) {
    std::vector<std::uint64_t> out;
    for (auto id : candidates) {
        bool match = true;
        for (std::size_t i = 0; i < pattern.size() && match; ++i)
            match = sandbox::decide_fault(o.faults, o.seed, id, action, i + 1).kind == pattern[i];
        if (match) out.push_back(id);
        if (out.size() == n) break;
    }
    REQUIRE_MESSAGE(out.size() == n, "too few orders with the fault pattern for " << action);
    return out;
}

inline sandbox::Options with_fault(FaultKind kind, double rate) {
    sandbox::Options o = run_options(11);
    o.sizes.backups_per_region = 600;
    o.faults.set_rate(kind, rate);
    o.faults.retry_after_seconds = 0;
    return o;
}

// Whether the account's action lists (read without an order: the sandbox's order 0) answer
// within `attempts` tries each time over their first `calls` attempts: no run of `attempts`
// faults in a row, so no look at them runs out of retries.
inline bool account_lists_readable(const sandbox::Options& o, int attempts, std::uint64_t calls) {
    for (const char* list : {"actions.search-current", "actions.search-archived"}) {
        int faulted = 0;
        for (std::uint64_t attempt = 1; attempt <= calls; ++attempt) {
            const bool hit =
                sandbox::decide_fault(o.faults, o.seed, 0, list, attempt).kind != FaultKind::none;
            faulted = hit ? faulted + 1 : 0;
            if (faulted >= attempts) return false;
        }
    }
    return true;
}

inline bool is_ambiguous_kind(FaultKind k) {
    return k != FaultKind::too_many_requests && k != FaultKind::unavailable;
}

}  // namespace
