#pragma once
// killed_run.hpp for the in-process run fixture: a killed run of the fixture's own sandbox,
// ledger and account, and what its ledger then says about the run's changes.

#include "tests/support/killed_run.hpp"
#include "tests/support/run_fixture.hpp"

namespace rcbatch::test {

// The same for the fixture's sandbox, ledger and account.
inline KilledRun make_killed_run(RunFixture& f, const std::string& job,
                                 const jobs::ActionSetup& action,
                                 const std::vector<std::uint64_t>& ids, std::int64_t intent_at,
                                 KilledAt at = KilledAt::sent) {
    KilledRunPlace place{f.reports, f.state_dir(), f.account(), {}};
    for (auto id : ids) {
        const sandbox::Order o = f.order(id);
        place.orders.push_back({id, {o.status, std::to_string(o.end_time)}});
    }
    return make_killed_run(place, job, action, intent_at, at);
}

// The ledger's changes of `ids` by run `run_id`, and how many of them are still open.
inline std::vector<jobs::ChangeEntry> changes_of(RunFixture& f, std::int64_t run_id,
                                                 const std::vector<std::uint64_t>& ids) {
    jobs::Ledger ledger(f.state_dir());
    std::vector<jobs::ChangeEntry> found;
    for (auto id : ids)
        for (auto& c : ledger.history(std::to_string(id)))
            if (c.run == run_id) found.push_back(std::move(c));
    return found;
}
inline std::size_t open_changes(RunFixture& f, std::int64_t run_id,
                                const std::vector<std::uint64_t>& ids) {
    std::size_t open = 0;
    for (const auto& c : changes_of(f, run_id, ids)) open += c.outcome.empty();
    return open;
}

}  // namespace rcbatch::test
