#include "jobs/run/run_ledger.hpp"

#include "engine/report/result_record.hpp"
#include "engine/text/shell_word.hpp"
#include "jobs/actions/action_behaviour.hpp"
#include "jobs/api/request_builder.hpp"
#include "jobs/api/text_fields.hpp"
#include "jobs/evidence/dead_run.hpp"
#include "jobs/money/term.hpp"
#include "jobs/order/preflight.hpp"

namespace rcbatch::jobs {

namespace {
std::string time_text(std::int64_t unix_seconds) {
    return engine::iso8601_utc(
        std::chrono::system_clock::time_point(std::chrono::seconds(unix_seconds)));
}
}  // namespace

RunLedger::RunLedger(std::shared_ptr<Ledger> ledger, std::int64_t run_id, std::string account,
                     std::chrono::seconds repeat_guard, std::string job)
    : ledger_(std::move(ledger)),
      run_id_(run_id),
      account_(std::move(account)),
      repeat_guard_(repeat_guard),
      job_(std::move(job)) {}

void RunLedger::begin_group() { ledger_->begin_group(); }

void RunLedger::commit_group() { ledger_->commit_group(); }

bool RunLedger::alive(const ChangeEntry& c) const {
    // This run holds its own job's lock: another run of the job cannot be going on.
    if (c.account == account_ && c.job == job_) return false;
    return run_alive(ledger_->path().parent_path(), c.account, c.job);
}

void RunLedger::close_dead(std::int64_t change, const std::string& outcome,
                           const std::string& evidence, const std::string& eaqid,
                           std::int64_t now) {
    const std::optional<ChangeEntry> c = ledger_->change(change);
    if (c && c->outcome.empty() && !alive(*c))
        ledger_->close_change(change, outcome, evidence + " (settled by job " + job_ + ")", eaqid,
                              now);
}

ClaimAnswer RunLedger::claim(const std::string& order_id, const ActionSpec& spec, std::int64_t now,
                             const IntentVerdict* settled, bool record, bool continues_intent,
                             const std::string& target) {
    if (settled) close_dead(settled->change, settled->outcome, settled->evidence, "", now);
    // Each round closes one dead intent that its own journal settles, or answers.
    for (int round = 0; round < 4; ++round) {
        const ClaimRequest request{run_id_,
                                   account_,
                                   order_id,
                                   std::string(spec.name),
                                   now,
                                   repeat_guard_.count(),
                                   continues_intent,
                                   target};
        const LedgerVerdict verdict = record ? ledger_->claim(request) : ledger_->check(request);
        ClaimAnswer answer;
        // This run's open intent is another target's while a flow of this session holds it.
        const bool in_flight = in_flight_.contains(order_id);
        if (verdict.granted && !(verdict.reused_open && in_flight && !continues_intent)) {
            if (record) in_flight_.insert(order_id);
            return answer;
        }
        if (verdict.granted || verdict.same_run) {
            answer.duplicate = true;
            answer.granted = false;
            answer.refusal = "duplicate: another target of this run reached order " + order_id +
                             " first (an id and a domain name of one order run it once)";
            return answer;
        }
        const ChangeEntry& c = *verdict.blocking;
        answer.granted = false;
        if (!verdict.blocking_open || alive(c)) {
            answer.refusal = guard_refusal(verdict, spec, repeat_guard_);
            answer.doubt = !verdict.blocking_open && c.outcome == "unknown";
            return answer;
        }
        const DeadJournal journal = read_dead_journal(c.folder, c.job, order_id);
        switch (journal.says) {
            case DeadJournal::Says::never_sent:
                close_dead(c.id, "not_run", "never sent: its journal has no intent for the order",
                           "", now);
                continue;
            case DeadJournal::Says::result:
                close_dead(c.id, journal.outcome, "as its journal recorded: " + journal.message,
                           journal.eaqid, now);
                continue;
            case DeadJournal::Says::intent:
                answer.dead = DeadIntent{c.id, c.job, c.folder, journal.intent};
                return answer;
            case DeadJournal::Says::unreadable:
                answer.dead = DeadIntent{c.id, c.job, c.folder, {order_id, c.intent_at, {}}};
                return answer;
        }
    }
    ClaimAnswer answer;
    answer.granted = false;
    answer.refusal = "other runs' intents on this order could not all be settled; not sent";
    return answer;
}

ClaimAnswer RunLedger::check(const std::string& order_id, const ActionSpec& spec,
                             std::int64_t now) {
    const LedgerVerdict verdict = ledger_->check(
        {run_id_, account_, order_id, std::string(spec.name), now, repeat_guard_.count()});
    ClaimAnswer answer;
    if (verdict.granted) return answer;
    answer.granted = false;
    answer.refusal = guard_refusal(verdict, spec, repeat_guard_);
    answer.doubt = !verdict.blocking_open && verdict.blocking->outcome == "unknown";
    return answer;
}

std::string RunLedger::made_by(const std::string& eaqid, const std::string& order_id) {
    if (eaqid.empty()) return {};
    const auto change = ledger_->change_with_eaqid(eaqid, order_id);
    if (!change) return {};
    return "job " + change->job + " (" + change->folder + ")";
}

void RunLedger::settle(const engine::OrderResult& r, std::int64_t now) {
    // A repeat of another target never claimed the order: the change is the first's to close.
    if (r.fields.contains("duplicate_of")) return;
    in_flight_.erase(r.order_id);
    const auto* eaqid = r.fields.if_contains("eaqid");
    ledger_->settle(
        run_id_, r.order_id, r.action, std::string(engine::to_string(r.outcome)), r.message,
        eaqid && eaqid->is_string() ? std::string(eaqid->get_string()) : std::string(), now);
    const ChangeMoney money = change_money(r.fields, default_term_);
    if (!money.empty()) ledger_->record_money(run_id_, r.order_id, r.action, money);
    const auto* dead = r.fields.if_contains("settled_intent");
    if (!dead || !dead->is_object() || !engine::is_final(r.outcome)) return;
    const auto* change = dead->get_object().if_contains("change");
    if (change && change->is_int64())
        close_dead(change->get_int64(), string_field(dead->get_object(), "outcome"),
                   string_field(dead->get_object(), "evidence"), "", now);
}

ChangeMoney change_money(const boost::json::object& fields, const std::string& default_term) {
    ChangeMoney m;
    m.amount = string_field(fields, "sellingamount");
    m.currency = string_field(fields, "sellingcurrencysymbol");
    m.invoice = string_field(fields, "invoiceid");
    m.term = reply_term_text(fields);
    if (m.term.empty()) m.term = default_term;
    return m;
}

std::string guard_refusal(const LedgerVerdict& verdict, const ActionSpec& spec,
                          std::chrono::seconds repeat_guard) {
    const ChangeEntry& c = *verdict.blocking;
    const std::string run = "job " + c.job + " (" + c.folder + ")";
    if (verdict.blocking_open)
        return run + " has had a " + std::string(spec.name) + " of this order in doubt since " +
               time_text(c.intent_at) + ": finish it with rcbatch run " +
               engine::shell_word(c.job_file) + " --resume " + engine::shell_word(c.folder) +
               ", or check the order";
    std::string verb(behaviour_of(spec).done_verb);
    if (verb.empty()) verb = "changed (" + std::string(spec.name) + ")";
    if (c.outcome == "unknown")  // that run's doubt is this order's too: never a quiet skip
        return run + " may have " + verb + " this order at " + time_text(c.intent_at) +
               " (unknown; repeat-guard " + hours_text(repeat_guard.count()) +
               "): not sent - settle that run with rcbatch settle " + engine::shell_word(c.folder) +
               ", or check the order";
    return verb + " by " + run + " at " + time_text(c.intent_at) + " (" + c.outcome +
           "; repeat-guard " + hours_text(repeat_guard.count()) + ")";
}

}  // namespace rcbatch::jobs
