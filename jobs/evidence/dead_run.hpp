#pragma once
// Another run's open intent in the ledger (README "The cross-run guard"): is that run still
// going, and what does its own journal say about the change? A run whose job lock is held is
// alive and its intent keeps blocking; a dead one's intent is settled by the run that meets
// it, from its journal and then from the API's evidence (dead_intent.cpp).

#include "jobs/order/order_flow.hpp"

#include <filesystem>
#include <string>

namespace rcbatch::jobs {

// Whether the run of `job` on `account` is going on: its lock in `state_dir` is held. A lock
// that cannot be checked counts as held (the intent keeps blocking, never settled behind a
// live run's back).
bool run_alive(const std::filesystem::path& state_dir, const std::string& account,
               const std::string& job);

// What the journal in a dead run's `folder` says about its change of `order_id`.
struct DeadJournal {
    enum class Says {
        intent,      // an intent with no final result: it may have left; `intent` holds it
        never_sent,  // no intent and no result: it died between the ledger and the journal
        result,      // a final result the ledger missed: `outcome`, `message`, `eaqid`
        unreadable,  // the journal is gone, damaged, or of another job: `why`
    };
    Says says = Says::unreadable;
    EarlierIntent intent;
    std::string outcome, message, eaqid;
    std::string why;
};

// Reads `folder`/journal.jsonl of the run of `job`. Never throws.
DeadJournal read_dead_journal(const std::filesystem::path& folder, const std::string& job,
                              const std::string& order_id);

}  // namespace rcbatch::jobs
