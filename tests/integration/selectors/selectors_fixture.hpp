#pragma once
// The selector tests run jobs through the shared run fixture (tests/support/run_fixture.hpp)
// against a sandbox whose seed data is pinned to a known `now`, so a test can compute from the
// sandbox's own data which orders a search must select, and compare with the run's
// targets.jsonl and records.

#include "jobs/run_folder/run_history.hpp"
#include "jobs/select/search_selector.hpp"
#include "tests/support/run_fixture.hpp"

#include <chrono>
#include <cstdint>
#include <set>
#include <string>
#include <string_view>

namespace rcbatch::test {

inline std::int64_t unix_now() {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

inline constexpr std::int64_t day_seconds = 24 * 3600;

// Several search pages of 500 per region, and of domains.
inline sandbox::Options selector_options(std::int64_t now, std::uint64_t seed = 11) {
    sandbox::Options o;
    o.seed = seed;
    o.now = now;
    o.sizes.backups_per_region = 1234;
    o.sizes.domains = 1100;
    return o;
}

inline std::string field(const json::object& record, std::string_view name) {
    const auto* v = record.at("fields").as_object().if_contains(name);
    return v ? text_of(*v) : std::string("<absent>");
}

// The run fixture with the selector tests' settings: 8 workers, 3 attempts, 5 s timeouts.
struct SelectorFixture : RunFixture {
    // `options.now` must be set: the selector's clock is the seed data's.
    explicit SelectorFixture(sandbox::Options options = selector_options(unix_now()))
        : RunFixture(std::move(options), {.concurrency = 8,
                                          .attempts = 3,
                                          .attempt_timeout = std::chrono::seconds(5),
                                          .account = "selectors"}) {}

    // min-interval as `rcbatch run` wires it: the run reads the ledger of the fixture's state
    // directory (one account: this sandbox).
    void with_min_interval(jobs::ActionSetup& a, const std::string&,
                           std::chrono::seconds interval) {
        a.flow.preflight_options.min_interval = interval;
    }

    jobs::SearchSelector search(const jobs::SearchFilter& filter, jobs::TargetKind kind,
                                std::string_view region = "us") {
        return jobs::make_search_selector(filter, kind, region, now,
                                          jobs::default_nixi_product_keys());
    }
};

// The first `n` of `ids`.
inline std::set<std::uint64_t> first(const std::set<std::uint64_t>& ids, std::size_t n) {
    std::set<std::uint64_t> out;
    for (auto id : ids)
        if (out.size() < n) out.insert(id);
    return out;
}

inline bool backup_in(const sandbox::Order& o, std::string_view region) {
    return o.kind == sandbox::OrderKind::backup && o.region == region;
}

inline bool nixi_key(std::string_view key) {
    return key == "dotin" || key == "thirdleveldotin" || key == "dotbharat";
}

}  // namespace rcbatch::test
