#pragma once
// What `rcbatch run` leaves when it is killed -9 after its changes left and before their
// answers were recorded: a run folder (targets.jsonl, and a journal of its header and one
// intent line per order with the state its preflight read) and, in the fixture's ledger, its
// run (with its id) and an open change per order. Made by hand, through the same writers the
// run uses, so a test decides exactly which orders are in doubt and whether they were sent.

#include "engine/journal.hpp"
#include "engine/report_writer.hpp"
#include "jobs/preflight.hpp"
#include "jobs/run_folder_files.hpp"
#include "jobs/run_journal.hpp"
#include "jobs/state/ledger.hpp"
#include "jobs/targets_file.hpp"
#include "tests/support/run_fixture.hpp"

#include <boost/json/serialize.hpp>

#include <fstream>

namespace rcbatch::test {

struct KilledRun {
    fs::path dir;  // canonical
    std::string uid;
    std::int64_t run_id = 0;
};

// Which of a killed run's orders its journal and ledger hold as sent.
enum class KilledAt {
    sent,           // an intent line and an open change: the request may have left
    before_intent,  // only the ledger's open change: it died before the intent line
};

inline KilledRun make_killed_run(RunFixture& f, const std::string& job,
                                 const jobs::ActionSetup& action,
                                 const std::vector<std::uint64_t>& ids, std::int64_t intent_at,
                                 KilledAt at = KilledAt::sent) {
    KilledRun run;
    run.uid = jobs::new_run_uid();
    run.dir = jobs::canonical_run_dir(engine::create_run_dir(
        f.reports, job, std::chrono::system_clock::time_point(std::chrono::seconds(intent_at))));
    {
        jobs::TargetsWriter targets(jobs::RunFolder(run.dir).targets());
        for (auto id : ids) targets.write({0, std::to_string(id), std::to_string(id), {}});
        targets.close();
    }
    std::ofstream journal(jobs::RunFolder(run.dir).journal());
    journal << boost::json::serialize(jobs::journal_header(
                   job, *action.spec, action.params, ids.size(),
                   std::chrono::system_clock::time_point(std::chrono::seconds(intent_at)), run.uid))
            << '\n';
    jobs::Ledger ledger(f.state_dir());
    jobs::RunEntry entry;
    entry.folder = run.dir.string();
    entry.job = job;
    entry.job_file = "/jobs/" + job + ".toml";
    entry.account = f.account();
    entry.action = std::string(action.spec->name);
    entry.kind = "run";
    entry.started = intent_at;
    entry.targets = static_cast<std::int64_t>(ids.size());
    entry.uid = run.uid;
    run.run_id = ledger.begin_run(entry);
    ledger.begin_group();
    for (std::size_t seq = 0; seq < ids.size(); ++seq) {
        const std::string order = std::to_string(ids[seq]);
        CHECK(ledger.claim({run.run_id, f.account(), order, entry.action, intent_at, 0}).granted);
        if (at != KilledAt::sent) continue;
        const sandbox::Order o = f.order(ids[seq]);
        const jobs::OrderState state{o.status, std::to_string(o.end_time)};
        journal << boost::json::serialize(boost::json::object{{"type", "intent"},
                                                              {"seq", seq},
                                                              {"attempt", 1},
                                                              {"order", order},
                                                              {"action", entry.action},
                                                              {"at", intent_at},
                                                              {"state", jobs::details_of(state)}})
                << '\n';
    }
    ledger.commit_group();
    return run;
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
