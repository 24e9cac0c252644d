#pragma once
// What `rcbatch run` leaves when it is killed -9 after its changes left and before their
// answers were recorded: a run folder (targets.jsonl, and a journal of its header and one
// intent line per order with the state its preflight read) and, in the fixture's ledger, its
// run (with its id) and an open change per order. Made by hand, through the same writers the
// run uses, so a test decides exactly which orders are in doubt and whether they were sent.

#include "engine/report/report_writer.hpp"
#include "engine/store/journal.hpp"
#include "jobs/order/order_runner.hpp"
#include "jobs/order/preflight.hpp"
#include "jobs/run/run_journal.hpp"
#include "jobs/run_folder/run_folder_files.hpp"
#include "jobs/run_folder/targets_jsonl.hpp"
#include "jobs/state/first_seen.hpp"
#include "jobs/state/ledger.hpp"

#include <boost/json/serialize.hpp>

#include <doctest/doctest.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <utility>
#include <vector>

namespace rcbatch::test {

namespace fs = std::filesystem;

// Now, in Unix seconds: intents are dated so.
inline std::int64_t unix_now() {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

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

// Where the killed run was and what it had read: its reports folder, state directory and
// account, and each order's state before its change (id, status, end time).
struct KilledRunPlace {
    fs::path reports, state_dir;
    std::string account;
    std::vector<std::pair<std::uint64_t, jobs::OrderState>> orders;
};

inline KilledRun make_killed_run(const KilledRunPlace& place, const std::string& job,
                                 const jobs::ActionSetup& action, std::int64_t intent_at,
                                 KilledAt at = KilledAt::sent) {
    KilledRun run;
    run.uid = jobs::new_run_uid();
    const auto started = std::chrono::system_clock::time_point(std::chrono::seconds(intent_at));
    run.dir = jobs::canonical_run_dir(engine::create_run_dir(place.reports, job, started));
    {
        jobs::TargetsWriter targets(jobs::RunFolder(run.dir).targets(), jobs::seen_keys_on_disk());
        for (const auto& [id, state] : place.orders)
            targets.write({0, std::to_string(id), std::to_string(id), {}});
        targets.close();
    }
    std::ofstream journal(jobs::RunFolder(run.dir).journal());
    journal << boost::json::serialize(jobs::journal_header(job, *action.spec, action.params,
                                                           place.orders.size(), started, run.uid))
            << '\n';
    jobs::Ledger ledger(place.state_dir);
    jobs::RunEntry entry;
    entry.folder = run.dir.string();
    entry.job = job;
    entry.job_file = "/jobs/" + job + ".toml";
    entry.account = place.account;
    entry.action = std::string(action.spec->name);
    entry.kind = "run";
    entry.started = intent_at;
    entry.targets = static_cast<std::int64_t>(place.orders.size());
    entry.uid = run.uid;
    run.run_id = ledger.begin_run(entry);
    ledger.begin_group();
    for (std::size_t seq = 0; seq < place.orders.size(); ++seq) {
        const std::string order = std::to_string(place.orders[seq].first);
        CHECK(ledger.claim({run.run_id, place.account, order, entry.action, intent_at, 0}).granted);
        if (at != KilledAt::sent) continue;
        journal << boost::json::serialize(
                       boost::json::object{{"type", "intent"},
                                           {"seq", seq},
                                           {"attempt", 1},
                                           {"order", order},
                                           {"action", entry.action},
                                           {"at", intent_at},
                                           {"server_at", intent_at},  // the sandbox's Date
                                           {"state", jobs::details_of(place.orders[seq].second)}})
                << '\n';
    }
    ledger.commit_group();
    return run;
}

}  // namespace rcbatch::test
