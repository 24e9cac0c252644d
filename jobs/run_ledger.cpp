#include "jobs/run_ledger.hpp"

#include "engine/result_record.hpp"
#include "jobs/action_behaviour.hpp"
#include "jobs/preflight.hpp"

namespace rcbatch::jobs {

namespace {
std::string time_text(std::int64_t unix_seconds) {
    return engine::iso8601_utc(
        std::chrono::system_clock::time_point(std::chrono::seconds(unix_seconds)));
}
}  // namespace

RunLedger::RunLedger(std::shared_ptr<Ledger> ledger, std::int64_t run_id, std::string account,
                     std::chrono::seconds repeat_guard)
    : ledger_(std::move(ledger)),
      run_id_(run_id),
      account_(std::move(account)),
      repeat_guard_(repeat_guard) {}

void RunLedger::begin_group() { ledger_->begin_group(); }

void RunLedger::commit_group() { ledger_->commit_group(); }

std::string RunLedger::claim(const std::string& order_id, const ActionSpec& spec,
                             std::int64_t now) {
    const LedgerVerdict verdict = ledger_->claim(
        {run_id_, account_, order_id, std::string(spec.name), now, repeat_guard_.count()});
    return verdict.granted ? std::string() : guard_refusal(verdict, spec, repeat_guard_);
}

void RunLedger::settle(const engine::OrderResult& r, std::int64_t now) {
    const auto* eaqid = r.fields.if_contains("eaqid");
    ledger_->settle(
        run_id_, r.order_id, r.action, std::string(engine::to_string(r.outcome)), r.message,
        eaqid && eaqid->is_string() ? std::string(eaqid->get_string()) : std::string(), now);
}

std::string guard_refusal(const LedgerVerdict& verdict, const ActionSpec& spec,
                          std::chrono::seconds repeat_guard) {
    const ChangeEntry& c = *verdict.blocking;
    const std::string run = "job " + c.job + " (" + c.folder + ")";
    if (verdict.blocking_open)
        return run + " has had a " + std::string(spec.name) + " of this order in doubt since " +
               time_text(c.intent_at) + ": finish it with rcbatch run " + c.job_file +
               " --resume " + c.folder + ", or check the order";
    std::string verb(behaviour_of(spec).done_verb);
    if (verb.empty()) verb = "changed (" + std::string(spec.name) + ")";
    return verb + " by " + run + " at " + time_text(c.intent_at) + " (" + c.outcome +
           "; repeat-guard " + hours_text(repeat_guard.count()) + ")";
}

}  // namespace rcbatch::jobs
