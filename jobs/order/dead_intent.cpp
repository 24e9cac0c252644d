// The order flow and another run's open intent (README "The cross-run guard"): when the run
// that left it no longer exists (killed and never resumed), the flow settles it as a lost
// answer is settled — the action log, then the order's state against what that run's preflight
// read, then both again after the settle delay — and never skips the order in silence:
// applied -> skipped, naming that run and the evidence; nothing shows -> this run's own change
// goes ahead (the ledger closes the dead intent first); undecidable -> `unknown`.
#include "engine/report/result_record.hpp"
#include "jobs/order/order_flow.hpp"

namespace rcbatch::jobs {

using engine::Outcome;

namespace {
// At most this many dead intents settled for one order (each closes one ledger row).
constexpr int most_dead_intents = 4;

std::string run_text(const DeadIntent& d) { return "job " + d.job + " (" + d.folder + ")"; }
}  // namespace

void OrderFlow::settle_dead(const DeadIntent& dead) {
    // The same row once more: closing it did not take; never go round again.
    if ((settled_ && settled_->change == dead.change) || ++dead_settled_ > most_dead_intents)
        return finish(Outcome::unknown, run_text(dead) +
                                            " left an intent on this order that could not be "
                                            "closed; not sent - check the order");
    dead_ = dead;
    in_doubt(true, dead.intent.server_at, dead.intent.state, "");
}

void OrderFlow::after_earlier_doubt(const std::string& evidence) {
    if (settings_.settle_only) {
        result_.fields["change"] = "not_applied";
        return finish(Outcome::not_run,
                      "not applied (settled: " + evidence + "): run --resume sends it");
    }
    if (dead_) {
        record_settled("not_run", "not applied: " + evidence);
        settled_ = IntentVerdict{dead_->change, "not_run", "not applied: " + evidence};
        dead_.reset();
    }
    begin_preflight();
}

void OrderFlow::record_settled(const std::string& outcome, const std::string& evidence) {
    result_.fields["settled_intent"] = boost::json::object{{"change", dead_->change},
                                                           {"job", dead_->job},
                                                           {"folder", dead_->folder},
                                                           {"outcome", outcome},
                                                           {"evidence", evidence}};
}

void OrderFlow::finish_dead_applied(const std::string& evidence) {
    std::string verb(behaviour_.done_verb);
    if (verb.empty()) verb = "changed (" + std::string(spec_.name) + ")";
    record_settled("ok", evidence);
    const std::string by = run_text(*dead_);
    dead_.reset();
    finish(Outcome::skipped, verb + " by " + by + ", which died before recording it: " + evidence);
}

void OrderFlow::finish_dead_unknown(const std::string& why) {
    record_settled("unknown", why);
    const std::string since = engine::iso8601_utc(
        std::chrono::system_clock::time_point(std::chrono::seconds(dead_->intent.at)));
    const std::string by = run_text(*dead_);
    dead_.reset();
    finish(Outcome::unknown, by + ", which died, may have sent a " + std::string(spec_.name) +
                                 " of this order at " + since + " (" + why +
                                 "); not sent - check the order");
}

}  // namespace rcbatch::jobs
